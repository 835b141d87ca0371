-- The organisation tree and its members.

-- The tree (公司党委 -> 党总支 -> 党支部 -> 党小组, any depth). `parent_id` is the truth;
-- organization_closure below is derived from it in the same transactions.
CREATE TABLE IF NOT EXISTS organization (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  parent_id BIGINT NULL,
  name VARCHAR(100) NOT NULL,
  code VARCHAR(32) CHARACTER SET ascii NOT NULL,
  -- 1 committee, 2 general branch, 3 branch, 4 group.
  kind TINYINT NOT NULL,
  closed TINYINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  UNIQUE KEY organization_code (code),
  KEY organization_parent (parent_id, id),
  CONSTRAINT organization_parent FOREIGN KEY (parent_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Closure table: one row per (ancestor, descendant) pair, the organisation itself included
-- at depth 0. Chosen over a materialised path and nested sets because both subtree
-- questions the system asks all day are one index range: "is X under admin root R?" is a
-- primary-key lookup (R, X), and "everything under R" is the range ancestor_id = R. A move
-- rewrites only the pairs that cross the moved subtree's boundary (subtree size x depth,
-- a few hundred rows at 5,000 organisations), where nested sets renumber half the tree.
CREATE TABLE IF NOT EXISTS organization_closure (
  ancestor_id BIGINT NOT NULL,
  descendant_id BIGINT NOT NULL,
  depth INT NOT NULL,
  PRIMARY KEY (ancestor_id, descendant_id),
  -- Subtree listings level by level, keyset-paged on (depth, descendant_id).
  KEY organization_closure_level (ancestor_id, depth, descendant_id),
  KEY organization_closure_descendant (descendant_id, depth),
  CONSTRAINT organization_closure_ancestor FOREIGN KEY (ancestor_id) REFERENCES organization (id),
  CONSTRAINT organization_closure_descendant FOREIGN KEY (descendant_id)
    REFERENCES organization (id)
) ENGINE=InnoDB;

-- Every parent an organisation has had, with the interval it held: statistics "as of a
-- date" rebuild the tree of that day from it. The open interval has valid_to NULL.
CREATE TABLE IF NOT EXISTS organization_parent_history (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organization_id BIGINT NOT NULL,
  parent_id BIGINT NULL,
  valid_from DATETIME(6) NOT NULL,
  valid_to DATETIME(6) NULL,
  changed_by BIGINT NOT NULL,
  KEY organization_parent_history_org (organization_id, valid_from),
  CONSTRAINT organization_parent_history_org FOREIGN KEY (organization_id)
    REFERENCES organization (id)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS member (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  member_number VARCHAR(32) CHARACTER SET ascii NOT NULL,
  -- NULL when unknown; unique when set.
  phone VARCHAR(11) CHARACTER SET ascii NULL,
  organization_id BIGINT NOT NULL,
  -- Bit (1 << category) per MemberCategory.
  category_mask INT NOT NULL,
  join_date DATE NULL,
  -- 1 active, 2 transferred out, 3 inactive.
  status TINYINT NOT NULL,
  version BIGINT NOT NULL,
  create_time DATETIME(6) NOT NULL,
  update_time DATETIME(6) NOT NULL,
  UNIQUE KEY member_number (member_number),
  UNIQUE KEY member_phone (phone),
  KEY member_organization (organization_id, status, id),
  KEY member_name (name),
  CONSTRAINT member_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

-- Which organisation a member belonged to over time (transfers keep history and dates).
-- The open interval has valid_to NULL; dates are in China Standard Time.
CREATE TABLE IF NOT EXISTS member_assignment (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  member_id BIGINT NOT NULL,
  organization_id BIGINT NOT NULL,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  KEY member_assignment_member (member_id, valid_from),
  KEY member_assignment_organization (organization_id, valid_from),
  CONSTRAINT member_assignment_member FOREIGN KEY (member_id) REFERENCES member (id),
  CONSTRAINT member_assignment_organization FOREIGN KEY (organization_id)
    REFERENCES organization (id)
) ENGINE=InnoDB;

-- Admin rights: an organisation admin manages the subtree of organization_id; a system
-- admin (role 4) manages everything, its organization_id being the root it signs in at.
CREATE TABLE IF NOT EXISTS admin_grant (
  member_id BIGINT NOT NULL,
  -- 3 organisation admin, 4 system admin (lms.v1.Role).
  role TINYINT NOT NULL,
  organization_id BIGINT NOT NULL,
  PRIMARY KEY (member_id, role, organization_id),
  CONSTRAINT admin_grant_member FOREIGN KEY (member_id) REFERENCES member (id),
  CONSTRAINT admin_grant_organization FOREIGN KEY (organization_id) REFERENCES organization (id)
) ENGINE=InnoDB;
