-- Settings: every change of an overridable rule, never updated or deleted. The effective
-- value for an organisation on a day is the latest change (by effective date, then
-- version) of the nearest ancestor-or-self that has one in force; a `cleared` change ends
-- an override so the subtree inherits again; with none, the default in code applies.
CREATE TABLE IF NOT EXISTS setting_change (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  setting_key VARCHAR(96) CHARACTER SET ascii NOT NULL,
  organization_id BIGINT NOT NULL,
  -- 1, 2, 3... per (key, organisation): the unique key makes two admins saving at once
  -- conflict instead of both winning.
  version INT NOT NULL,
  value BIGINT NULL,
  cleared BOOLEAN NOT NULL DEFAULT FALSE,
  effective_from DATE NOT NULL,
  changed_by BIGINT NOT NULL,
  change_time DATETIME(6) NOT NULL,
  UNIQUE KEY setting_change_version (setting_key, organization_id, version),
  KEY setting_change_lookup (setting_key, organization_id, effective_from),
  CONSTRAINT setting_change_organization FOREIGN KEY (organization_id)
    REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
