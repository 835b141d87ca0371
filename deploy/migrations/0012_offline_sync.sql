-- Kiosk uploads (issue 11; README "Offline study: the trust model"): the evidence behind
-- each offline event, and the events that wait for the member's or an admin's word.

-- One piece of evidence a kiosk uploaded for a member: a kiosk ticket, a phone
-- identification, or the kiosk's bare claim. Kept forever with what it covered.
CREATE TABLE IF NOT EXISTS offline_evidence (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kiosk_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  -- lms.v1.EvidenceKind.
  kind TINYINT NOT NULL,
  -- The ticket's id or the phone key's id; '' for a claim (one row per kiosk and member).
  reference VARCHAR(64) CHARACTER SET ascii NOT NULL,
  -- The window it vouches for (NULL for a claim).
  window_start DATETIME(6) NULL,
  window_end DATETIME(6) NULL,
  -- For a claim: whether the kiosk said it checked a PIN offline.
  pin_checked TINYINT NOT NULL DEFAULT 0,
  first_upload_time DATETIME(6) NOT NULL,
  UNIQUE KEY offline_evidence_reference (kiosk_id, member_id, kind, reference),
  KEY offline_evidence_member (member_id)
) ENGINE=InnoDB;

-- Which evidence an event recorded from a kiosk upload came with (NULL: the member's own
-- session, online or a phone's sync).
ALTER TABLE progress_event ADD COLUMN IF NOT EXISTS evidence_id BIGINT NULL;

-- Offline events that count nowhere until the member or an admin of their subtree
-- confirms them. A confirmed one is recorded into progress_event under its own id (so it
-- counts once even if it also arrived another way); a rejected one stays, with who and why.
CREATE TABLE IF NOT EXISTS pending_progress_event (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  event_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  lesson_id BIGINT NOT NULL,
  device_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
  sequence BIGINT NOT NULL,
  occur_time DATETIME(6) NOT NULL,
  sent_time DATETIME(6) NOT NULL,
  receive_time DATETIME(6) NOT NULL,
  from_position INT NOT NULL,
  to_position INT NOT NULL,
  active_seconds INT NOT NULL,
  kiosk_id BIGINT NOT NULL,
  evidence_id BIGINT NOT NULL,
  -- lms.v1.PendingReason and lms.v1.PendingState.
  reason TINYINT NOT NULL,
  state TINYINT NOT NULL,
  decided_by BIGINT NULL,
  decide_time DATETIME(6) NULL,
  decision_reason VARCHAR(500) NOT NULL DEFAULT '',
  -- What the confirmed event became: lms.v1.EventOutcome, EventRejection, credited time.
  result_outcome TINYINT NOT NULL DEFAULT 0,
  result_rejection TINYINT NOT NULL DEFAULT 0,
  result_credited_ms INT NOT NULL DEFAULT 0,
  UNIQUE KEY pending_progress_event_id (member_id, event_id),
  -- A member's waiting events, oldest first; and all of them, decided ones too.
  KEY pending_progress_event_state (member_id, state, id),
  KEY pending_progress_event_member (member_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
