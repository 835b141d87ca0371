-- The demo site's system admin, in the root organisation (deploy/site/root_organization.sql
-- first), so that everything else can go in through the API (deploy/run.sh imports the
-- rest with lms-admin). Idempotent.
-- Credentials (see README "Demo accounts"): login 10000, password Admin-2026-demo.
-- The hash is Argon2id (19 MiB, 2 passes) of that password; no plain secret is stored.
SET NAMES utf8mb4;

INSERT IGNORE INTO member (id, name, member_number, phone, organization_id, category_mask,
                           join_date, status, version, create_time, update_time)
VALUES (1, '张党办', '10000', '13800010000', 1, (1 << 1) | (1 << 4), '2005-07-01', 1, 1,
        UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));
INSERT INTO member_assignment (member_id, organization_id, valid_from)
SELECT 1, 1, '2005-07-01' FROM DUAL
WHERE NOT EXISTS (SELECT 1 FROM member_assignment WHERE member_id = 1);
INSERT IGNORE INTO member_credential (member_id, password_hash, password_changed_at)
VALUES (1, '$argon2id$v=19$m=19456,t=2,p=1$X4V27KGKk+FzO5rssER6sg$HQsssW04vCf8+UB5HLxSbhPx+AR6Mle7G7kb2Glo9aA',
        UTC_TIMESTAMP(6));
INSERT IGNORE INTO admin_grant (member_id, role, organization_id) VALUES (1, 4, 1);
