-- Training classes (集中培训, issue 12): an activity of kind 9 with seats. Members sign up
-- within a window; beyond the capacity they wait in order, and a freed seat goes to the
-- first waiting member.

ALTER TABLE activity_version
  ADD COLUMN IF NOT EXISTS class_capacity INT NULL,
  ADD COLUMN IF NOT EXISTS sign_up_open_time DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS sign_up_close_time DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS plan_id BIGINT NULL;

CREATE TABLE IF NOT EXISTS class_seat (
  activity_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  -- lms.v1.SeatState: 1 seated, 2 waiting, 3 withdrawn.
  state TINYINT NOT NULL,
  -- Sign-up order (the waitlist's): one more than the class's highest, taken under the
  -- lock on the class's current activity_version row that every seat change holds.
  position BIGINT NOT NULL,
  sign_up_time DATETIME(6) NOT NULL,
  seat_time DATETIME(6) NULL,
  withdraw_time DATETIME(6) NULL,
  -- Who signed up or withdrew the member when not themselves, and why.
  changed_by BIGINT NOT NULL,
  reason VARCHAR(500) NOT NULL DEFAULT '',
  PRIMARY KEY (activity_id, member_id),
  KEY class_seat_order (activity_id, state, position),
  CONSTRAINT class_seat_activity FOREIGN KEY (activity_id) REFERENCES activity (id),
  CONSTRAINT class_seat_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
