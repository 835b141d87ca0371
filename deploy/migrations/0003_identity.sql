-- Sign-in: passwords, activation codes, kiosk PINs, sessions, kiosks, throttling.
-- Secrets are never stored: passwords and PINs as Argon2id strings, high-entropy tokens
-- (refresh tokens, device credentials, activation codes) as hex SHA-256 digests.

CREATE TABLE IF NOT EXISTS member_credential (
  member_id BIGINT NOT NULL PRIMARY KEY,
  -- Argon2id string (libsodium crypto_pwhash_str); NULL until activated.
  password_hash VARCHAR(255) CHARACTER SET ascii NULL,
  -- Set by an admin reset: the next sign-in must change the password first.
  must_change_password TINYINT NOT NULL DEFAULT 0,
  password_changed_at DATETIME(6) NULL,
  -- Argon2id string of the kiosk PIN, or NULL.
  pin_hash VARCHAR(255) CHARACTER SET ascii NULL,
  pin_failures INT NOT NULL DEFAULT 0,
  pin_locked_until DATETIME(6) NULL,
  CONSTRAINT member_credential_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB;

-- One-time codes an admin hands out for first sign-in or a forgotten password.
CREATE TABLE IF NOT EXISTS activation_code (
  code_hash CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  member_id BIGINT NOT NULL,
  issued_by BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  expire_time DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  KEY activation_code_member (member_id),
  CONSTRAINT activation_code_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS kiosk (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  credential_hash CHAR(64) CHARACTER SET ascii NOT NULL,
  create_time DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  UNIQUE KEY kiosk_credential (credential_hash),
  KEY kiosk_organization (organization_id),
  CONSTRAINT kiosk_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- A session: what one sign-in grants, and the family of refresh tokens rotated from it.
-- Access tokens name their session; revoking it refuses them within a second everywhere.
CREATE TABLE IF NOT EXISTS session (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- lms.v1.Role.
  role TINYINT NOT NULL,
  member_id BIGINT NULL,
  organization_id BIGINT NOT NULL,
  kiosk_id BIGINT NULL,
  create_time DATETIME(6) NOT NULL,
  expire_time DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  -- sign_out, refresh_reuse, kiosk_revoked, password_changed, ...
  revoke_reason VARCHAR(32) CHARACTER SET ascii NULL,
  KEY session_member (member_id),
  KEY session_kiosk (kiosk_id),
  KEY session_revoked (revoked_at)
) ENGINE=InnoDB;

-- Rotating refresh tokens. A token is used once: its use sets rotated_at and issues the
-- next one. Presenting a rotated token again means a copy leaked: the session is revoked.
CREATE TABLE IF NOT EXISTS refresh_token (
  token_hash CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  session_id BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  expire_time DATETIME(6) NOT NULL,
  rotated_at DATETIME(6) NULL,
  KEY refresh_token_session (session_id),
  CONSTRAINT refresh_token_session FOREIGN KEY (session_id) REFERENCES session (id)
) ENGINE=InnoDB;

-- Failed sign-ins per account (or per unknown login, so both answer alike) in the
-- current one-hour window, and the lock they earned.
CREATE TABLE IF NOT EXISTS sign_in_throttle (
  throttle_key VARCHAR(80) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  window_start DATETIME(6) NOT NULL,
  failures INT NOT NULL,
  locked_until DATETIME(6) NULL
) ENGINE=InnoDB;
