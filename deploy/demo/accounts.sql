-- Demo accounts on top of the imported demo roster (see README "Demo accounts"). Idempotent.
--   branch admin 10001 / Branch-2026-demo, admin of 一车间党支部 (SC-01)
--   member       10002 / Member-2026-demo, kiosk PIN 2468
--   kiosk        一车间党员活动室, device credential kc1_demo-workshop-kiosk-0001
-- Hashes are Argon2id (19 MiB, 2 passes) of those passwords and that PIN; the kiosk
-- credential is stored as its SHA-256.
SET NAMES utf8mb4;

INSERT IGNORE INTO member_credential (member_id, password_hash, password_changed_at)
SELECT id, '$argon2id$v=19$m=19456,t=2,p=1$RUI/Nl2TxIcj337vOSPwxA$6p6apuxvBOcjWd7bFosfn24O7e3R5wgGVfg1f4hLjBI',
       UTC_TIMESTAMP(6)
FROM member WHERE member_number = '10001';
INSERT IGNORE INTO admin_grant (member_id, role, organization_id)
SELECT m.id, 3, o.id FROM member m JOIN organization o ON o.code = 'SC-01'
WHERE m.member_number = '10001';

INSERT IGNORE INTO member_credential (member_id, password_hash, password_changed_at, pin_hash)
SELECT id, '$argon2id$v=19$m=19456,t=2,p=1$99xIlhh5T8qSwdK2bGSPQA$b8nZYYtSpLhBBxm1UaE3hEbbt6zdF4AymigyhkxDi7U',
       UTC_TIMESTAMP(6),
       '$argon2id$v=19$m=19456,t=2,p=1$1AgBdqKCpWsl4PNq5iYkiw$3KDEQlTRW+cHNGehLIIp+bo48FelAhKOykW998n+USw'
FROM member WHERE member_number = '10002';

INSERT INTO kiosk (organization_id, name, credential_hash, create_time)
SELECT o.id, '一车间党员活动室',
       '11f12e349b0edc755f9ecf98d15f1a76c88bf9ef20af4bf436ea1dd0895ce836', UTC_TIMESTAMP(6)
FROM organization o
WHERE o.code = 'SC-01'
  AND NOT EXISTS (SELECT 1 FROM kiosk
                  WHERE credential_hash = '11f12e349b0edc755f9ecf98d15f1a76c88bf9ef20af4bf436ea1dd0895ce836');
