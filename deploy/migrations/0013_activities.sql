-- Collective activities and attendance (issue 12; README "Activities and attendance").

-- An activity's identity and state. What an admin edits lives in activity_version, one
-- row per version, as training plans keep theirs; `version` names the current one.
CREATE TABLE IF NOT EXISTS activity (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  -- lms.v1.ActivityKind; it does not change (cadences count by kind).
  kind TINYINT NOT NULL,
  -- 1 scheduled (held once its start time passed), 3 closed, 4 cancelled.
  state TINYINT NOT NULL,
  version BIGINT NOT NULL,
  -- The current version's start, copied here for listings by time.
  start_time DATETIME(6) NOT NULL,
  -- Key of the rotating sign-in code (kiosks get it while online), in hex.
  sign_in_secret CHAR(64) CHARACTER SET ascii NOT NULL,
  -- Members targeted, counted on closing (those present are counted from
  -- activity_attendance: a counter here would be a row every sign-in waits on).
  targeted_count INT NULL,
  cancel_reason VARCHAR(500) NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  close_time DATETIME(6) NULL,
  closed_by BIGINT NULL,
  -- The lecturer's credit (a member who lectured), made on closing.
  lecturer_credit_id BIGINT NULL,
  KEY activity_organization_start (organization_id, start_time, id),
  CONSTRAINT activity_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

CREATE TABLE IF NOT EXISTS activity_version (
  activity_id BIGINT NOT NULL,
  version BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  content_category TINYINT NOT NULL,
  description VARCHAR(2000) NOT NULL,
  location VARCHAR(200) NOT NULL,
  start_time DATETIME(6) NOT NULL,
  end_time DATETIME(6) NOT NULL,
  sign_in_open_time DATETIME(6) NOT NULL,
  sign_in_close_time DATETIME(6) NOT NULL,
  sign_out_required TINYINT NOT NULL,
  sign_out_open_time DATETIME(6) NULL,
  sign_out_close_time DATETIME(6) NULL,
  lecturer_member_id BIGINT NULL,
  lecturer_name VARCHAR(64) NOT NULL,
  lecturer_title VARCHAR(100) NOT NULL,
  include_subtree TINYINT NOT NULL,
  -- Bit (1 << category) per lms.v1.MemberCategory; 0: every member.
  category_mask INT NOT NULL,
  -- From the settings rule of the kind and length; the change ids that made it.
  hours_hundredths INT NOT NULL,
  lecturer_hundredths INT NOT NULL,
  hours_rule_version BIGINT NOT NULL,
  change_reason VARCHAR(500) NOT NULL,
  changed_by BIGINT NOT NULL,
  change_time DATETIME(6) NOT NULL,
  PRIMARY KEY (activity_id, version),
  CONSTRAINT activity_version_activity FOREIGN KEY (activity_id) REFERENCES activity (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- One row per member and activity: signing in twice is once by this key. The credit the
-- attendance holds in the ledger is `credit_id` (NULL: none); a correction after closing
-- reverses it or credits anew under the next `credit_seq` (ledger source keys are unique).
CREATE TABLE IF NOT EXISTS activity_attendance (
  activity_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  -- lms.v1.AttendanceStatus.
  status TINYINT NOT NULL,
  -- lms.v1.AttendanceMethod; sign-out columns NULL until the member signs out.
  sign_in_method TINYINT NOT NULL,
  sign_in_time DATETIME(6) NULL,
  sign_out_method TINYINT NULL,
  sign_out_time DATETIME(6) NULL,
  kiosk_id BIGINT NULL,
  recorded_by BIGINT NULL,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  credit_id BIGINT NULL,
  credit_seq INT NOT NULL DEFAULT 0,
  credited_hundredths INT NOT NULL DEFAULT 0,
  update_time DATETIME(6) NOT NULL,
  PRIMARY KEY (activity_id, member_id),
  KEY activity_attendance_member (member_id, activity_id),
  CONSTRAINT activity_attendance_activity FOREIGN KEY (activity_id) REFERENCES activity (id),
  CONSTRAINT activity_attendance_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
