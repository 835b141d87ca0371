-- Exports (README "Exports"): the audit trail of member-level exports, and the credits'
-- covering index widened by the source so hours by source read from the index alone.

-- Every member-level export, recorded before its first byte leaves (personal data): who,
-- when, what scope, and when it ended, how many rows and how.
CREATE TABLE IF NOT EXISTS data_export_audit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  actor_member_id BIGINT NOT NULL,
  -- lms.v1.Role the caller acted in.
  actor_role TINYINT NOT NULL,
  -- lms.v1.ExportTable and lms.v1.ExportFormat.
  export_table TINYINT NOT NULL,
  export_format TINYINT NOT NULL,
  organization_id BIGINT NOT NULL,
  -- The scope as asked: a year or a plan, the as-of day, the received-by bound, the
  -- member category (0: all).
  year SMALLINT NOT NULL,
  plan_id BIGINT NOT NULL,
  as_of DATE NOT NULL,
  received_by DATETIME(6) NOT NULL,
  category TINYINT NOT NULL,
  start_time DATETIME(6) NOT NULL,
  finish_time DATETIME(6) NULL,
  -- Rows sent, and how it ended: 0 running (or the server stopped), 1 complete, 2
  -- cancelled by the client, 3 failed.
  exported_rows BIGINT NOT NULL DEFAULT 0,
  outcome TINYINT NOT NULL DEFAULT 0,
  file_sha256 CHAR(64) CHARACTER SET ascii NOT NULL DEFAULT '',
  KEY data_export_audit_actor (actor_member_id, start_time),
  KEY data_export_audit_organization (organization_id, start_time)
) ENGINE=InnoDB;

ALTER TABLE hours_credit
  DROP KEY IF EXISTS hours_credit_statistics,
  ADD KEY hours_credit_statistics (member_id, year, happen_time, record_time, summary_source,
                                   hundredths);
