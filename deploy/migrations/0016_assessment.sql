-- Question banks, papers and attempts (issue 13; README "Assessment").

-- A question of an organisation's bank: its identity, state and the columns draws filter
-- on (copied from the current version). What an admin edits lives in question_version.
CREATE TABLE IF NOT EXISTS question (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  -- lms.v1.QuestionType; it does not change.
  type TINYINT NOT NULL,
  -- 1 active, 2 retired.
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  content_category TINYINT NOT NULL,
  difficulty TINYINT NOT NULL,
  -- Optional, unique in the bank (NULL: none), for re-imports.
  code VARCHAR(64) NULL,
  created_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  UNIQUE KEY question_bank_code (organization_id, code),
  KEY question_bank (organization_id, id),
  -- Draws and publishing counts: the active questions of a bank by type, category and
  -- difficulty.
  KEY question_draw (organization_id, state, type, content_category, difficulty, id),
  CONSTRAINT question_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per version: attempts grade against the version they drew.
CREATE TABLE IF NOT EXISTS question_version (
  question_id BIGINT NOT NULL,
  version BIGINT NOT NULL,
  stem TEXT NOT NULL,
  -- [{"id":1,"text":"..."}...] in the admin's order.
  options_json TEXT NOT NULL,
  fixed_option_order TINYINT NOT NULL,
  -- {"options":[1,3],"truth":1,"blanks":[["..."]]}: the key without its explanation.
  key_json TEXT NOT NULL,
  explanation TEXT NOT NULL,
  content_category TINYINT NOT NULL,
  difficulty TINYINT NOT NULL,
  -- JSON array of strings.
  tags_json TEXT NOT NULL,
  -- The highest option id ever given (new options get the next one).
  last_option_id INT NOT NULL,
  changed_by BIGINT NOT NULL,
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (question_id, version),
  CONSTRAINT question_version_question FOREIGN KEY (question_id) REFERENCES question (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The current version's tags, for finding questions by tag.
CREATE TABLE IF NOT EXISTS question_tag (
  question_id BIGINT NOT NULL,
  tag VARCHAR(32) NOT NULL,
  PRIMARY KEY (question_id, tag),
  KEY question_tag_tag (tag, question_id),
  CONSTRAINT question_tag_question FOREIGN KEY (question_id) REFERENCES question (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS paper (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  -- lms.v1.PaperKind and PaperState.
  kind TINYINT NOT NULL,
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  description VARCHAR(2000) NOT NULL,
  content_category TINYINT NOT NULL,
  course_id BIGINT NULL,
  plan_id BIGINT NULL,
  shuffle_questions TINYINT NOT NULL,
  partial_credit TINYINT NOT NULL,
  time_limit_seconds INT NOT NULL,
  grace_seconds INT NOT NULL,
  max_attempts INT NOT NULL,
  open_time DATETIME(6) NULL,
  close_time DATETIME(6) NULL,
  score_policy TINYINT NOT NULL,
  review_policy TINYINT NOT NULL,
  pass_points INT NOT NULL,
  total_points INT NOT NULL,
  -- What a pass credits, fixed when published (setting assessment.hours.test).
  hours_hundredths INT NOT NULL,
  hours_rule_version BIGINT NOT NULL,
  created_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  publish_time DATETIME(6) NULL,
  closed_time DATETIME(6) NULL,
  -- A course has at most one published final test: this is its course while it is one.
  published_final_course BIGINT AS (IF(kind = 1 AND state = 2, course_id, NULL)) PERSISTENT,
  UNIQUE KEY paper_published_final (published_final_course),
  KEY paper_organization (organization_id, id),
  KEY paper_course (course_id),
  KEY paper_plan (plan_id),
  CONSTRAINT paper_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS paper_draw_rule (
  paper_id BIGINT NOT NULL,
  position INT NOT NULL,
  type TINYINT NOT NULL,
  content_category TINYINT NOT NULL,
  difficulty TINYINT NOT NULL,
  count INT NOT NULL,
  PRIMARY KEY (paper_id, position),
  CONSTRAINT paper_draw_rule_paper FOREIGN KEY (paper_id) REFERENCES paper (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS paper_fixed_question (
  paper_id BIGINT NOT NULL,
  position INT NOT NULL,
  question_id BIGINT NOT NULL,
  PRIMARY KEY (paper_id, position),
  UNIQUE KEY paper_fixed_question_once (paper_id, question_id),
  CONSTRAINT paper_fixed_question_paper FOREIGN KEY (paper_id) REFERENCES paper (id),
  CONSTRAINT paper_fixed_question_question FOREIGN KEY (question_id) REFERENCES question (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS paper_type_points (
  paper_id BIGINT NOT NULL,
  type TINYINT NOT NULL,
  points INT NOT NULL,
  PRIMARY KEY (paper_id, type),
  CONSTRAINT paper_type_points_paper FOREIGN KEY (paper_id) REFERENCES paper (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per member who started a paper or was granted an override: the row every start
-- of that member on that paper locks (attempt limits hold under concurrent starts), the
-- override totals and the paper's result under its score policy.
CREATE TABLE IF NOT EXISTS paper_standing (
  paper_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  attempts_started INT NOT NULL DEFAULT 0,
  open_attempt_id BIGINT NULL,
  extra_attempts INT NOT NULL DEFAULT 0,
  extra_seconds INT NOT NULL DEFAULT 0,
  result_attempt_id BIGINT NULL,
  result_points INT NOT NULL DEFAULT 0,
  passed TINYINT NOT NULL DEFAULT 0,
  -- The test's credit in the ledger (the first pass), if any.
  credit_id BIGINT NULL,
  PRIMARY KEY (paper_id, member_id),
  KEY paper_standing_member (member_id),
  CONSTRAINT paper_standing_paper FOREIGN KEY (paper_id) REFERENCES paper (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Each override granted, for the record (the totals are in paper_standing).
CREATE TABLE IF NOT EXISTS paper_override (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  paper_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  extra_attempts INT NOT NULL,
  extra_seconds INT NOT NULL,
  reason VARCHAR(500) NOT NULL,
  granted_by BIGINT NOT NULL,
  grant_time DATETIME(6) NOT NULL,
  KEY paper_override_member (paper_id, member_id),
  CONSTRAINT paper_override_paper FOREIGN KEY (paper_id) REFERENCES paper (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS attempt (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  paper_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  number INT NOT NULL,
  -- The paper's kind, copied: an attempt locked for a save must not lock its paper's row
  -- (every member taking the paper would wait on it).
  paper_kind TINYINT NOT NULL,
  -- 1 open, 2 graded.
  state TINYINT NOT NULL,
  paper_version BIGINT NOT NULL,
  start_time DATETIME(6) NOT NULL,
  -- NULL when untimed.
  deadline DATETIME(6) NULL,
  grace_seconds INT NOT NULL,
  -- deadline + grace while open (the overdue grader's index); NULL once graded or untimed.
  grade_due_time DATETIME(6) NULL,
  save_sequence BIGINT NOT NULL DEFAULT 0,
  total_points INT NOT NULL,
  pass_points INT NOT NULL,
  points INT NULL,
  passed TINYINT NULL,
  submit_time DATETIME(6) NULL,
  graded_by_server TINYINT NOT NULL DEFAULT 0,
  late_answers_refused TINYINT NOT NULL DEFAULT 0,
  hours_credited INT NOT NULL DEFAULT 0,
  -- A kiosk member session's kiosk, or NULL.
  kiosk_id BIGINT NULL,
  UNIQUE KEY attempt_number (paper_id, member_id, number),
  KEY attempt_member (member_id, paper_id),
  KEY attempt_due (grade_due_time),
  CONSTRAINT attempt_paper FOREIGN KEY (paper_id) REFERENCES paper (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- The questions an attempt drew, in its order, with the member's answers and the grading.
CREATE TABLE IF NOT EXISTS attempt_question (
  attempt_id BIGINT NOT NULL,
  position INT NOT NULL,
  question_id BIGINT NOT NULL,
  question_version BIGINT NOT NULL,
  points INT NOT NULL,
  -- The option ids in this attempt's order, comma-separated ('' without options).
  option_order VARCHAR(100) NOT NULL,
  -- The saved answer, {"options":[..],"truth":1,"blanks":[..]}; NULL unanswered.
  answer_json TEXT NULL,
  -- Practice quizzes: the key was shown for this answer (it is final).
  feedback_shown TINYINT NOT NULL DEFAULT 0,
  correct TINYINT NULL,
  points_awarded INT NULL,
  PRIMARY KEY (attempt_id, position),
  -- No question twice in an attempt.
  UNIQUE KEY attempt_question_once (attempt_id, question_id),
  CONSTRAINT attempt_question_attempt FOREIGN KEY (attempt_id) REFERENCES attempt (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Graded attempts waiting for the statistics job, which folds them into
-- question_answer_stat and deletes them in one transaction (crash-safe, none counted
-- twice or skipped, whatever order gradings commit in).
CREATE TABLE IF NOT EXISTS question_stat_queue (
  attempt_id BIGINT NOT NULL PRIMARY KEY,
  graded_time DATETIME(6) NOT NULL,
  KEY question_stat_queue_time (graded_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- How often each answer was given to a question on a paper ('' : unanswered).
CREATE TABLE IF NOT EXISTS question_answer_stat (
  paper_id BIGINT NOT NULL,
  question_id BIGINT NOT NULL,
  answer_hash BINARY(32) NOT NULL,
  answer_json TEXT NOT NULL,
  correct TINYINT NOT NULL,
  answer_count BIGINT NOT NULL,
  PRIMARY KEY (paper_id, question_id, answer_hash)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Progress's side of a final test: which courses wait for a test, and who passed it. A
-- course listed here completes when its lessons are complete and the member passed.
CREATE TABLE IF NOT EXISTS course_final_test (
  course_id BIGINT NOT NULL PRIMARY KEY,
  paper_id BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS course_test_pass (
  member_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  paper_id BIGINT NOT NULL,
  attempt_id BIGINT NOT NULL,
  pass_time DATETIME(6) NOT NULL,
  PRIMARY KEY (member_id, course_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
