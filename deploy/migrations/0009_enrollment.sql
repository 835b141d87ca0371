-- Annual training plans and enrolments (issue 9).
--
-- A plan's content is kept per version: plan_version 0 is a draft's working copy; each
-- publication and each published edit writes the next version (1, 2, ...) whole, so
-- "what was required on day D" is the version in force then. training_plan names the
-- version that is current.
CREATE TABLE IF NOT EXISTS training_plan (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  year SMALLINT NOT NULL,
  -- lms.v1.PlanState.
  state TINYINT NOT NULL,
  -- Optimistic concurrency, as for courses.
  version BIGINT NOT NULL,
  -- The current content's version: 0 while a draft.
  published_version INT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  publish_time DATETIME(6) NULL,
  close_time DATETIME(6) NULL,
  -- The assignment job (lms.v1.PlanAssignment.State): the members of the subtree are
  -- walked in id order; assign_cursor is the last member id done, advanced in the same
  -- transaction as that batch's enrolments, so a restart resumes where it stopped.
  assign_state TINYINT NOT NULL DEFAULT 1,
  assign_cursor BIGINT NOT NULL DEFAULT 0,
  members_targeted INT NOT NULL DEFAULT 0,
  members_assigned INT NOT NULL DEFAULT 0,
  enrollments_created BIGINT NOT NULL DEFAULT 0,
  assign_start_time DATETIME(6) NULL,
  assign_finish_time DATETIME(6) NULL,
  UNIQUE KEY training_plan_year (organization_id, year),
  KEY training_plan_assigning (assign_state),
  CONSTRAINT training_plan_organization FOREIGN KEY (organization_id)
    REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One version's headline content, and for published versions when and why it changed.
CREATE TABLE IF NOT EXISTS plan_version (
  plan_id BIGINT NOT NULL,
  plan_version INT NOT NULL,
  title VARCHAR(200) NOT NULL,
  goals TEXT NOT NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  -- Bit (1 << lms.v1.TrainingForm) per form.
  forms_mask INT NOT NULL,
  effective_date DATE NULL,
  change_reason VARCHAR(500) NOT NULL DEFAULT '',
  changed_by BIGINT NOT NULL,
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (plan_id, plan_version),
  CONSTRAINT plan_version_plan FOREIGN KEY (plan_id) REFERENCES training_plan (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A category's requirement in one version; NULL hours: the settings' default for the
-- plan's organisation.
CREATE TABLE IF NOT EXISTS plan_category (
  plan_id BIGINT NOT NULL,
  plan_version INT NOT NULL,
  category TINYINT NOT NULL,
  required_hundredths INT NULL,
  PRIMARY KEY (plan_id, plan_version, category),
  CONSTRAINT plan_category_plan FOREIGN KEY (plan_id) REFERENCES training_plan (id)
) ENGINE=InnoDB;

-- A course a category must take (required, with its due date) or is recommended.
CREATE TABLE IF NOT EXISTS plan_course (
  plan_id BIGINT NOT NULL,
  plan_version INT NOT NULL,
  category TINYINT NOT NULL,
  course_id BIGINT NOT NULL,
  required TINYINT NOT NULL,
  due_date DATE NULL,
  position SMALLINT NOT NULL,
  PRIMARY KEY (plan_id, plan_version, category, course_id),
  KEY plan_course_course (course_id),
  CONSTRAINT plan_course_plan FOREIGN KEY (plan_id) REFERENCES training_plan (id),
  CONSTRAINT plan_course_course FOREIGN KEY (course_id) REFERENCES course (id)
) ENGINE=InnoDB;

-- The dated schedule (日程).
CREATE TABLE IF NOT EXISTS plan_schedule_item (
  plan_id BIGINT NOT NULL,
  plan_version INT NOT NULL,
  position SMALLINT NOT NULL,
  day DATE NOT NULL,
  title VARCHAR(200) NOT NULL,
  form TINYINT NOT NULL,
  content_category TINYINT NOT NULL,
  PRIMARY KEY (plan_id, plan_version, position),
  CONSTRAINT plan_schedule_item_plan FOREIGN KEY (plan_id) REFERENCES training_plan (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One member in one course, whatever the number of reasons: unique per (member, course),
-- so a retry, a second publication or two plans requiring the same course never enrol
-- twice. `required` and `due_date` summarise the open reasons (any plan or admin
-- assignment; the earliest due date) and are kept in step with them. `state` holds what
-- this service decides (lms.v1.EnrollmentState: not started while open, withdrawn,
-- transferred out, waived); completed and overdue are derived, never stored.
CREATE TABLE IF NOT EXISTS enrollment (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  state TINYINT NOT NULL,
  required TINYINT NOT NULL,
  due_date DATE NULL,
  state_reason VARCHAR(500) NOT NULL DEFAULT '',
  state_changed_by BIGINT NOT NULL DEFAULT 0,
  state_change_time DATETIME(6) NULL,
  enroll_time DATETIME(6) NOT NULL,
  UNIQUE KEY enrollment_member_course (member_id, course_id),
  KEY enrollment_course (course_id, member_id),
  CONSTRAINT enrollment_member FOREIGN KEY (member_id) REFERENCES member (id),
  CONSTRAINT enrollment_course FOREIGN KEY (course_id) REFERENCES course (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Why a member is enrolled: one row per plan and category, per admin assignment, per
-- elective choice (lms.v1.EnrollmentReason.Kind), unique so that nothing is counted
-- twice. `organization_id` is the subtree the reason holds within (the plan's
-- organisation, the assignment's subtree; 0 for an elective): a member transferred out of
-- it loses the reason. An ended reason keeps its row (ended_time set) and is reopened if
-- it applies again.
CREATE TABLE IF NOT EXISTS enrollment_reason (
  member_id BIGINT NOT NULL,
  course_id BIGINT NOT NULL,
  kind TINYINT NOT NULL,
  plan_id BIGINT NOT NULL DEFAULT 0,
  category TINYINT NOT NULL DEFAULT 0,
  organization_id BIGINT NOT NULL DEFAULT 0,
  assigned_by BIGINT NOT NULL DEFAULT 0,
  due_date DATE NULL,
  since DATETIME(6) NOT NULL,
  ended_time DATETIME(6) NULL,
  PRIMARY KEY (member_id, course_id, kind, plan_id, category),
  KEY enrollment_reason_plan (plan_id, category, course_id)
) ENGINE=InnoDB;
