-- The course catalogue and the shared idempotency log.
-- utf8mb4 everywhere: Chinese text, and 4-byte characters (emoji, rare Han) verbatim.

-- One row per successful retriable mutation: (scope, request_id) is unique, inserted in
-- the same transaction as the mutation, so a retry finds the first outcome instead of
-- applying twice. `scope` names the RPC and the caller.
CREATE TABLE IF NOT EXISTS request_log (
  scope VARCHAR(96) CHARACTER SET ascii NOT NULL,
  request_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  result_id BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (scope, request_id),
  KEY request_log_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- A single row: the catalogue generation, bumped by every catalogue write inside its
-- transaction. The row lock orders generations by commit, so "changed after generation
-- N" never misses a commit.
CREATE TABLE IF NOT EXISTS catalogue_state (
  id TINYINT NOT NULL PRIMARY KEY,
  generation BIGINT NOT NULL
) ENGINE=InnoDB;
INSERT IGNORE INTO catalogue_state (id, generation) VALUES (1, 0);

CREATE TABLE IF NOT EXISTS course (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  summary VARCHAR(2000) NOT NULL,
  cover_url VARCHAR(2048) NOT NULL,
  content_category TINYINT NOT NULL,
  -- Bit (1 << category) per MemberCategory; 0 means everyone.
  audience_mask INT NOT NULL,
  -- Study hours in hundredths.
  study_hours_centi INT NOT NULL,
  -- 1 draft, 2 published, 3 archived.
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  -- The catalogue generation of the last change.
  change_seq BIGINT NOT NULL,
  learner_count BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  publish_time DATETIME(6) NULL,
  KEY course_change_seq (change_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS course_tag (
  course_id BIGINT NOT NULL,
  position SMALLINT NOT NULL,
  tag VARCHAR(32) NOT NULL,
  PRIMARY KEY (course_id, position),
  KEY course_tag_tag (tag),
  CONSTRAINT course_tag_course FOREIGN KEY (course_id) REFERENCES course (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Lessons keep their id for life: progress refers to them. A lesson taken out of a
-- course is marked removed, never deleted.
CREATE TABLE IF NOT EXISTS lesson (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  course_id BIGINT NOT NULL,
  position SMALLINT NOT NULL,
  removed TINYINT NOT NULL DEFAULT 0,
  title VARCHAR(200) NOT NULL,
  -- 1 article, 2 video, 3 audio, 4 document.
  kind TINYINT NOT NULL,
  url VARCHAR(2048) NOT NULL DEFAULT '',
  duration_seconds INT NOT NULL DEFAULT 0,
  page_count INT NOT NULL DEFAULT 0,
  body MEDIUMTEXT NOT NULL,
  body_length INT NOT NULL DEFAULT 0,
  KEY lesson_course (course_id, removed, position),
  CONSTRAINT lesson_course FOREIGN KEY (course_id) REFERENCES course (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
