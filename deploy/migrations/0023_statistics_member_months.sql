-- The monthly trend from the rollups (issue 15's known gap): each active member's figures
-- month by month for the rollups' year, kept by the statistics job with the standings
-- (the same code as the trend's recount, for the members queued). A whole site's trend
-- then reads a few rows a member instead of the year's study events.
CREATE TABLE IF NOT EXISTS statistics_member_month (
  member_id BIGINT NOT NULL,
  -- 1-12, the China-time month.
  month TINYINT NOT NULL,
  hours_credited BIGINT NOT NULL,
  completions INT NOT NULL,
  -- Studied, credited or present that month.
  active TINYINT NOT NULL,
  PRIMARY KEY (member_id, month)
) ENGINE=InnoDB;

-- Rollups built before this table have no months: the job's next run rebuilds them all
-- (today's figures are recounted meanwhile, as during any rebuild).
UPDATE statistics_rollup_state SET standing_day = '2000-01-01' WHERE id = 1;
