-- Member categories with history (issue 9): a member becomes a branch secretary, retires
-- or turns mobile on a date, so statistics can count by category as of any day and a
-- category gained can assign what plans require of it. One row per interval in which a
-- member held a category; `valid_to` is the last day held (inclusive), NULL while open.
-- member.category_mask stays as the current categories, kept equal to the open rows in
-- the same transactions (filters read it).
CREATE TABLE IF NOT EXISTS member_category_history (
  member_id BIGINT NOT NULL,
  -- lms.v1.MemberCategory.
  category TINYINT NOT NULL,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  PRIMARY KEY (member_id, category, valid_from),
  KEY member_category_history_day (category, valid_from, valid_to),
  CONSTRAINT member_category_history_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB;

-- Today's categories, held since the member's first day in an organisation.
INSERT IGNORE INTO member_category_history (member_id, category, valid_from)
SELECT m.id, c.category, (SELECT MIN(a.valid_from) FROM member_assignment a
                          WHERE a.member_id = m.id)
FROM member m
JOIN (SELECT 1 AS category UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
      UNION ALL SELECT 5 UNION ALL SELECT 6) c ON (m.category_mask & (1 << c.category)) <> 0
WHERE EXISTS (SELECT 1 FROM member_assignment a WHERE a.member_id = m.id);
