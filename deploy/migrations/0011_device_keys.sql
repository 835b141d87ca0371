-- Phone keys (issue 11): a member's phone signs identifications a kiosk scans offline
-- (README "Offline study: the trust model"). Only public keys are stored.

CREATE TABLE IF NOT EXISTS member_device_key (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  -- The Ed25519 public key (crypto_sign_PUBLICKEYBYTES) in lowercase hex: one member's,
  -- once.
  public_key CHAR(64) CHARACTER SET ascii NOT NULL,
  name VARCHAR(100) NOT NULL,
  register_time DATETIME(6) NOT NULL,
  -- From then on its identifications are pending, whatever their date.
  revoke_time DATETIME(6) NULL,
  UNIQUE KEY member_device_key_public (public_key),
  KEY member_device_key_member (member_id, id),
  CONSTRAINT member_device_key_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
