-- Offline sign-ins and make-up study (issue 12).
--
-- Sign-ins a kiosk took offline: the evidence they came with, as for progress
-- events (offline_evidence). NULL for sign-ins made online and admins' records.
ALTER TABLE activity_attendance ADD COLUMN IF NOT EXISTS evidence_id BIGINT NULL;

-- Make-up study (补学): the course a member who missed the activity may study instead to
-- earn its hours (NULL: none).
ALTER TABLE activity_version ADD COLUMN IF NOT EXISTS makeup_course_id BIGINT NULL;
