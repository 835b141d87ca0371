-- Offline exams on kiosks (README "Offline exams on kiosks"): a leased attempt, its lease
-- and what the kiosk uploaded; refused uploads kept for inspection.

-- Leased to a kiosk: answered there offline, never saved or submitted online. Its
-- deadline is the lease's upload deadline (grace 0), so the overdue grader grades an
-- exam never uploaded as abandoned.
ALTER TABLE attempt ADD COLUMN IF NOT EXISTS leased TINYINT NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS exam_lease (
  attempt_id BIGINT NOT NULL PRIMARY KEY,
  kiosk_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  -- The Ed25519 key the kiosk made for this exam, in hex: it seals every answer.
  kiosk_public_key CHAR(64) CHARACTER SET ascii NOT NULL,
  -- The signed lease as issued: a retried lease returns it, an upload must carry it.
  lease_text MEDIUMTEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  issue_time DATETIME(6) NOT NULL,
  window_end DATETIME(6) NOT NULL,
  upload_due DATETIME(6) NOT NULL,
  -- 0: untimed.
  time_limit_seconds INT NOT NULL,
  grace_seconds INT NOT NULL,
  -- lms.v1.KioskExamLeaseStatus: 1 held, 2 uploaded, 3 expired.
  status TINYINT NOT NULL,
  -- Once uploaded: the chain's last digest (the same chain again answers the same
  -- result; another one is refused), when the exam started (kiosk clock, corrected),
  -- when it arrived, the member's evidence, answers given too late, and the upload itself
  -- (lms.v1.UploadKioskExamRequest in base64: lease, chain and evidence, re-verifiable by
  -- anyone holding the public keys). Digests and keys in hex.
  chain_digest CHAR(64) CHARACTER SET ascii NULL,
  exam_start_time DATETIME(6) NULL,
  upload_time DATETIME(6) NULL,
  evidence_id BIGINT NULL,
  late_answers INT NOT NULL DEFAULT 0,
  upload MEDIUMTEXT CHARACTER SET ascii NULL,
  KEY exam_lease_kiosk (kiosk_id, status),
  CONSTRAINT exam_lease_attempt FOREIGN KEY (attempt_id) REFERENCES attempt (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Uploads the server refused, and why: tampering shows here.
CREATE TABLE IF NOT EXISTS exam_upload_refusal (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kiosk_id BIGINT NOT NULL,
  member_id BIGINT NOT NULL,
  -- The attempt the lease claims, when it could be read.
  attempt_id BIGINT NULL,
  -- lms.v1.ExamUploadRefusal.
  refusal TINYINT NOT NULL,
  detail VARCHAR(500) NOT NULL,
  receive_time DATETIME(6) NOT NULL,
  KEY exam_upload_refusal_attempt (attempt_id),
  KEY exam_upload_refusal_kiosk (kiosk_id, receive_time)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
