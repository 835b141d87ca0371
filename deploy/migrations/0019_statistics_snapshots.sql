-- Month-end statistics snapshots (issue 15): once a month has closed and
-- statistics.snapshot_grace_days have passed, the figures of every organisation as of the
-- month's last day are written here once and never changed, so an inspection can cite
-- "as of 30 June" forever.

-- A frozen month: when it froze, up to when data had been received, the rules it used.
CREATE TABLE IF NOT EXISTS statistics_month (
  year SMALLINT NOT NULL,
  month TINYINT NOT NULL,
  -- The month's last day: what the figures are "as of".
  as_of DATE NOT NULL,
  -- Data received by then is counted (the freeze's own time).
  received_by DATETIME(6) NOT NULL,
  freeze_time DATETIME(6) NOT NULL,
  -- The rule versions: setting change ids ("0,17,42") and plan versions ("920:1,921:3").
  setting_change_ids TEXT CHARACTER SET ascii NOT NULL,
  plan_versions TEXT CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (year, month)
) ENGINE=InnoDB;

-- One organisation's subtree figures for one member category (0: all members) in a frozen
-- month, with its parent as the tree stood then (drill-down reads the children from here).
CREATE TABLE IF NOT EXISTS statistics_month_figures (
  year SMALLINT NOT NULL,
  month TINYINT NOT NULL,
  organization_id BIGINT NOT NULL,
  parent_id BIGINT NOT NULL,
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
  PRIMARY KEY (year, month, organization_id, category),
  KEY statistics_month_figures_parent (year, month, parent_id, organization_id)
) ENGINE=InnoDB;
