-- Sign-in hardening (issue 8).
--
-- Throttles reserve an attempt before its hash, so `failures` now counts attempts
-- reserved in the window (each counts as failed until it succeeds). A kiosk device's
-- locks escalate: `lockouts` counts the locks earned since `lockouts_since`.
ALTER TABLE sign_in_throttle
  ADD COLUMN IF NOT EXISTS lockouts INT NOT NULL DEFAULT 0,
  ADD COLUMN IF NOT EXISTS lockouts_since DATETIME(6) NULL;

-- A member's PIN attempts moved to sign_in_throttle (key p:<member id>), which reserves
-- them like password attempts.
ALTER TABLE member_credential
  DROP COLUMN IF EXISTS pin_failures,
  DROP COLUMN IF EXISTS pin_locked_until;

-- The digest of the activation code that set the current password (NULL when the member
-- set it otherwise): a retried activation whose answer was lost signs in only with the
-- very code that set it.
ALTER TABLE member_credential
  ADD COLUMN IF NOT EXISTS password_set_by_code CHAR(64) CHARACTER SET ascii NULL;

-- The birth date, optional: a kiosk PIN may not be the member's birth year.
ALTER TABLE member ADD COLUMN IF NOT EXISTS birth_date DATE NULL AFTER join_date;

-- The subtrees a kiosk signs members in from beyond its own organisation's (a shared
-- activity room, the lectures of a general branch). An admin adds only organisations in
-- the admin's own subtree.
CREATE TABLE IF NOT EXISTS kiosk_served_organization (
  kiosk_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  PRIMARY KEY (kiosk_id, organization_id),
  KEY kiosk_served_organization_organization (organization_id),
  CONSTRAINT kiosk_served_kiosk FOREIGN KEY (kiosk_id) REFERENCES kiosk (id),
  CONSTRAINT kiosk_served_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB;
