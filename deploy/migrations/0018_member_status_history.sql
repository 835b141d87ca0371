-- The days each member was active, transferred out or inactive (lms.v1.MemberStatus), as
-- member_category_history keeps categories: statistics "as of a date" count a member who
-- left afterwards, and not one who had left by then. valid_to is the last day (inclusive).
CREATE TABLE IF NOT EXISTS member_status_history (
  member_id BIGINT NOT NULL,
  status TINYINT NOT NULL,
  valid_from DATE NOT NULL,
  valid_to DATE NULL,
  PRIMARY KEY (member_id, valid_from),
  KEY member_status_history_day (status, valid_from, valid_to),
  CONSTRAINT member_status_history_member FOREIGN KEY (member_id) REFERENCES member (id)
) ENGINE=InnoDB;

-- Members who exist already: active since their first day in an organisation; one who
-- has left is taken to have left on the (China) day of their record's last change, the
-- best the stored rows can tell.
INSERT IGNORE INTO member_status_history (member_id, status, valid_from, valid_to)
SELECT m.id, 1, f.first_day,
       CASE WHEN m.status = 1 THEN NULL
            ELSE DATE(m.update_time + INTERVAL 8 HOUR) - INTERVAL 1 DAY END
FROM member m
JOIN (SELECT member_id, MIN(valid_from) AS first_day FROM member_assignment
      GROUP BY member_id) f ON f.member_id = m.id
WHERE m.status = 1 OR DATE(m.update_time + INTERVAL 8 HOUR) > f.first_day;

INSERT IGNORE INTO member_status_history (member_id, status, valid_from, valid_to)
SELECT m.id, m.status, GREATEST(DATE(m.update_time + INTERVAL 8 HOUR), f.first_day), NULL
FROM member m
JOIN (SELECT member_id, MIN(valid_from) AS first_day FROM member_assignment
      GROUP BY member_id) f ON f.member_id = m.id
WHERE m.status <> 1;
