-- Study progress, completion and the study-hours ledger (issue 10).
--
-- Times in *_ms columns are milliseconds since the Unix epoch, so interval arithmetic
-- stays integer. Every progress write of a member runs under the lock of its
-- member_progress row: one member's batches apply one at a time, whatever the device.

-- One row per member: the lock its progress writes take (one at a time, whatever the
-- device), so a write can number its lesson changes after the member's last
-- (lesson_progress.checkpoint).
CREATE TABLE IF NOT EXISTS member_progress (
  member_id BIGINT NOT NULL PRIMARY KEY,
  CONSTRAINT member_progress_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB;

-- Raw progress events, as received (xAPI's timestamp and stored: occur and receive
-- time). (member, event_id) makes a retry a duplicate; (member, device, sequence) makes a
-- replay under a new id a rejection. Compacted after progress.event_retention_months;
-- events older than that are refused, so compaction never lets a replay count again.
CREATE TABLE IF NOT EXISTS progress_event (
  member_id BIGINT NOT NULL,
  event_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  lesson_id BIGINT NOT NULL,
  device_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  sequence BIGINT NOT NULL,
  occur_time DATETIME(6) NOT NULL,
  sent_time DATETIME(6) NOT NULL,
  receive_time DATETIME(6) NOT NULL,
  -- occur_time corrected for the device's clock skew: what the rules use.
  happen_time DATETIME(6) NOT NULL,
  from_position INT NOT NULL,
  to_position INT NOT NULL,
  active_seconds INT NOT NULL,
  -- What the event added to the lesson's credited time, and the rules it was computed by.
  credited_ms INT NOT NULL,
  rule_version BIGINT NOT NULL,
  PRIMARY KEY (member_id, event_id),
  UNIQUE KEY progress_event_sequence (member_id, device_id, sequence),
  KEY progress_event_lesson (member_id, lesson_id, happen_time),
  KEY progress_event_happen (happen_time)
) ENGINE=InnoDB;

-- The wall-clock time a member's events have claimed, as disjoint pieces, each within one
-- China day and credited to one lesson: a stretch of time counts once, across all lessons
-- and devices. Pieces of one lesson that touch are merged.
CREATE TABLE IF NOT EXISTS study_interval (
  member_id BIGINT NOT NULL,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  lesson_id BIGINT NOT NULL,
  PRIMARY KEY (member_id, start_ms)
) ENGINE=InnoDB;

-- A member's state in one lesson: the merged segments covered ("a-b,c-d" in the lesson's
-- units, half-open), the wall time claimed per China day ("yyyymmdd:ms,..."), the
-- credited time that follows from them, the last position to resume from, completion.
CREATE TABLE IF NOT EXISTS lesson_progress (
  member_id BIGINT NOT NULL,
  lesson_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  last_position INT NOT NULL,
  last_time DATETIME(6) NOT NULL,
  last_device_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  coverage MEDIUMTEXT CHARACTER SET ascii NOT NULL,
  covered_units INT NOT NULL,
  day_wall TEXT CHARACTER SET ascii NOT NULL,
  wall_ms BIGINT NOT NULL,
  credited_ms BIGINT NOT NULL,
  completion_time DATETIME(6) NULL,
  rule_version BIGINT NOT NULL,
  checkpoint BIGINT NOT NULL,
  PRIMARY KEY (member_id, lesson_id),
  KEY lesson_progress_course (member_id, course_id),
  KEY lesson_progress_checkpoint (member_id, checkpoint)
) ENGINE=InnoDB;

-- A member's state in one course (the statistics' per-member, per-course summary: started,
-- completed when and how), written when the course starts and when it completes, in the
-- transaction of the event or waiver that does it. Time studied and the last study are
-- the course's lessons' (lesson_progress), not copied here on every event.
CREATE TABLE IF NOT EXISTS course_progress (
  member_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  -- 1 in progress, 2 completed.
  state TINYINT NOT NULL,
  lessons_completed INT NOT NULL,
  completion_time DATETIME(6) NULL,
  -- lms.v1.CompletionKind.
  completion_kind TINYINT NOT NULL DEFAULT 0,
  completion_rule_version BIGINT NOT NULL DEFAULT 0,
  waiver_reason VARCHAR(500) NOT NULL DEFAULT '',
  waived_by BIGINT NOT NULL DEFAULT 0,
  -- The ledger credit the completion earned (NULL: none, or no hours).
  credit_id BIGINT NULL,
  PRIMARY KEY (member_id, course_id),
  KEY course_progress_course (course_id, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The ledger (学时): append-only. A credit is never updated or deleted; a reversal is a
-- credit of the opposite amount pointing at the one it undoes (once: unique). source_key
-- makes each earning count once per member ("course:<id>" for a completion or a waiver,
-- "manual:<actor>:<request id>", "reversal:<credit id>", "test:<attempt id>"...).
CREATE TABLE IF NOT EXISTS hours_credit (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  -- lms.v1.CreditSource.
  source TINYINT NOT NULL,
  -- The source the summary counts it under: its own, or for a reversal the undone one's.
  summary_source TINYINT NOT NULL,
  source_key VARCHAR(96) CHARACTER SET ascii NOT NULL,
  source_id BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  year SMALLINT NOT NULL,
  hundredths INT NOT NULL,
  content_category TINYINT NOT NULL,
  rule_version BIGINT NOT NULL,
  actor_member_id BIGINT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  happen_time DATETIME(6) NOT NULL,
  record_time DATETIME(6) NOT NULL,
  reverses_credit_id BIGINT NULL,
  UNIQUE KEY hours_credit_source (member_id, source_key),
  UNIQUE KEY hours_credit_reversal (reverses_credit_id),
  KEY hours_credit_member_year (member_id, year, id),
  CONSTRAINT hours_credit_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Summaries for statistics, per member and year, updated in the same transaction as the
-- credit or event (never a row per organisation: no hot rows).
CREATE TABLE IF NOT EXISTS member_year_hours (
  member_id BIGINT NOT NULL,
  year SMALLINT NOT NULL,
  source TINYINT NOT NULL,
  content_category TINYINT NOT NULL,
  hundredths BIGINT NOT NULL,
  PRIMARY KEY (member_id, year, source, content_category)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS member_year_study (
  member_id BIGINT NOT NULL,
  year SMALLINT NOT NULL,
  credited_ms BIGINT NOT NULL,
  PRIMARY KEY (member_id, year)
) ENGINE=InnoDB;
