-- Sign-ins a kiosk took offline (issue 12): the evidence they came with, as for progress
-- events (offline_evidence). NULL for sign-ins made online and admins' records.
ALTER TABLE activity_attendance ADD COLUMN IF NOT EXISTS evidence_id BIGINT NULL;
