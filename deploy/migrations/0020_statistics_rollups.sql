-- Statistics rollups kept current (issue 15): today's figures read from summaries, not by
-- scanning raw records per call.

-- Members whose standing may have changed, written in the transaction of the change
-- (append-only: writers never wait; the job deletes exactly the rows it took).
CREATE TABLE IF NOT EXISTS statistics_queue (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  queued_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;

-- The rollups' state, one row: the year and day they hold, the rules (plans, settings,
-- tree) they were built under, and the rule versions a report names. Its row is also the
-- lock that lets one job at a time write the rollups.
CREATE TABLE IF NOT EXISTS statistics_rollup_state (
  id TINYINT NOT NULL PRIMARY KEY,
  year SMALLINT NOT NULL,
  standing_day DATE NOT NULL,
  rules_fingerprint VARCHAR(200) CHARACTER SET ascii NOT NULL,
  setting_change_ids TEXT CHARACTER SET ascii NOT NULL,
  plan_versions TEXT CHARACTER SET ascii NOT NULL,
  build_time DATETIME(6) NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO statistics_rollup_state (id, year, standing_day, rules_fingerprint,
  setting_change_ids, plan_versions, build_time)
VALUES (1, 0, '2000-01-01', '', '', '', '2000-01-01');

-- Each active member's standing for the rollups' year as of their day (what the recount
-- computes for one member), where they belong today.
CREATE TABLE IF NOT EXISTS statistics_member_standing (
  member_id BIGINT NOT NULL PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  category_mask INT NOT NULL,
  in_plan TINYINT NOT NULL,
  hours_plan_id BIGINT NOT NULL,
  overdue_plan_id BIGINT NOT NULL,
  required_hundredths BIGINT NOT NULL,
  expected_hundredths BIGINT NOT NULL,
  credited_hundredths BIGINT NOT NULL,
  required_courses INT NOT NULL,
  completed_courses INT NOT NULL,
  overdue_courses INT NOT NULL,
  study_ms BIGINT NOT NULL,
  last_study DATETIME(6) NULL,
  -- Behind (below the requirement pro rata, or a course overdue) and by how much: the
  -- members-behind list pages over these.
  behind TINYINT NOT NULL,
  shortfall_hundredths BIGINT NOT NULL,
  KEY statistics_member_standing_organization (organization_id, behind, shortfall_hundredths),
  KEY statistics_member_standing_behind (behind, shortfall_hundredths, member_id)
) ENGINE=InnoDB;

-- Per organisation (its direct members only; a subtree adds up its organisations) and
-- member category (0: all members): the figures of CategoryFigures, and those behind.
CREATE TABLE IF NOT EXISTS statistics_organization_rollup (
  organization_id BIGINT NOT NULL,
  category TINYINT NOT NULL,
  members BIGINT NOT NULL,
  members_in_plans BIGINT NOT NULL,
  required_enrollments BIGINT NOT NULL,
  completed_enrollments BIGINT NOT NULL,
  hours_credited BIGINT NOT NULL,
  hours_required BIGINT NOT NULL,
  members_meeting_requirement BIGINT NOT NULL,
  members_on_track BIGINT NOT NULL,
  members_without_study BIGINT NOT NULL,
  study_ms BIGINT NOT NULL,
  members_behind BIGINT NOT NULL,
  members_overdue BIGINT NOT NULL,
  PRIMARY KEY (organization_id, category)
) ENGINE=InnoDB;
