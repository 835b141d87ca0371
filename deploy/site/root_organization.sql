-- Every site's first organisation, the root of the tree (renamed through the API as the
-- enterprise's committee is called). Idempotent.
SET NAMES utf8mb4;

INSERT IGNORE INTO organization (id, parent_id, name, code, kind, closed, version, create_time,
                                 update_time)
VALUES (1, NULL, '公司党委', 'ROOT', 1, 0, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
INSERT IGNORE INTO organization_closure (ancestor_id, descendant_id, depth) VALUES (1, 1, 0);
INSERT INTO organization_parent_history (organization_id, parent_id, valid_from, changed_by)
SELECT 1, NULL, UTC_TIMESTAMP(6), 0 FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM organization_parent_history WHERE organization_id = 1);
