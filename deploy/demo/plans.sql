-- Demo training plans for the current year, as drafts: deploy/run.sh publishes them with
-- `lms-admin publish-plan`, and the server enrols their members in the background.
--   plan 1: 公司党委 (ROOT) for every member: two theory courses, and the settings'
--           hours (32 h; 56 h for branch secretaries);
--   plan 2: 一车间党支部 (SC-01) for its ordinary members: a third course, 40 h, and two
--           recommended electives.
SET @year = YEAR(CURDATE());
SET @root = (SELECT id FROM organization WHERE code = 'ROOT');
SET @branch = (SELECT id FROM organization WHERE code = 'SC-01');

INSERT IGNORE INTO training_plan (id, organization_id, year, state, version, created_by,
                                  create_time, update_time)
VALUES (1, @root, @year, 1, 1, 1, NOW(6), NOW(6)), (2, @branch, @year, 1, 1, 1, NOW(6), NOW(6));
INSERT IGNORE INTO plan_version (plan_id, plan_version, title, goals, forms_mask, changed_by,
                                 change_time)
VALUES (1, 0, CONCAT('公司党委', @year, '年度党员教育培训计划'),
        '深入学习贯彻党的创新理论，落实党员每年集中学习培训不少于32学时的要求。', 6, 1, NOW(6)),
       (2, 0, CONCAT('一车间党支部', @year, '年度学习计划'),
        '结合生产实际，开展“三会一课”和岗位建功学习。', 10, 1, NOW(6));
-- Every category of member owes plan 1's two courses; branch secretaries and leading
-- cadres also the rules-and-discipline course.
INSERT IGNORE INTO plan_category (plan_id, plan_version, category, required_hundredths)
VALUES (1, 0, 1, NULL), (1, 0, 2, NULL), (1, 0, 3, NULL), (1, 0, 4, NULL), (1, 0, 5, NULL),
       (1, 0, 6, NULL), (2, 0, 1, 4000);
INSERT IGNORE INTO plan_course (plan_id, plan_version, category, course_id, required, due_date,
                                position)
SELECT 1, 0, c.category, k.course_id, 1, MAKEDATE(@year, 1) + INTERVAL k.due_offset DAY, k.position
FROM (SELECT 1 AS category UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
      UNION ALL SELECT 5 UNION ALL SELECT 6) c
JOIN (SELECT 1 AS course_id, 364 AS due_offset, 0 AS position
      UNION ALL SELECT 9, 380, 1) k;
INSERT IGNORE INTO plan_course (plan_id, plan_version, category, course_id, required, due_date,
                                position)
VALUES (1, 0, 3, 13, 1, MAKEDATE(@year, 1) + INTERVAL 364 DAY, 2),
       (1, 0, 4, 13, 1, MAKEDATE(@year, 1) + INTERVAL 364 DAY, 2),
       (2, 0, 1, 19, 1, MAKEDATE(@year, 1) + INTERVAL 395 DAY, 0),
       (2, 0, 1, 17, 0, NULL, 1), (2, 0, 1, 20, 0, NULL, 2);
INSERT IGNORE INTO plan_schedule_item (plan_id, plan_version, position, day, title, form,
                                       content_category)
VALUES (1, 0, 0, MAKEDATE(@year, 1) + INTERVAL 180 DAY, '“七一”专题党课', 4, 5),
       (2, 0, 0, MAKEDATE(@year, 1) + INTERVAL 340 DAY, '年终组织生活会', 3, 2);
