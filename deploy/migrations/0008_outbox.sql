-- The transactional outbox (issue 9): a service that changes something another service
-- reacts to writes an event row in the same transaction as the change, so a crash between
-- the change and the reaction loses nothing. Events name what changed, not the new state:
-- a consumer reconciles from the state as it is when it reads the event, so it may take
-- events in any order and take one twice without harm; it records each delivery under a
-- unique key in the transaction of its effect.
CREATE TABLE IF NOT EXISTS outbox_event (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  -- member.joined, member.changed (categories or status), member.transferred,
  -- organization.moved
  topic VARCHAR(64) CHARACTER SET ascii NOT NULL,
  member_id BIGINT NULL,
  organization_id BIGINT NULL,
  -- The day the change takes effect (a transfer's effective date), if it has one.
  effective_date DATE NULL,
  created_at DATETIME(6) NOT NULL,
  KEY outbox_event_member (member_id),
  KEY outbox_event_created (created_at)
) ENGINE=InnoDB;

-- Which events each consumer has taken, recorded in the transaction of the consumer's
-- effect: an event is delivered exactly once per consumer, whatever crashes between.
CREATE TABLE IF NOT EXISTS outbox_delivery (
  consumer VARCHAR(64) CHARACTER SET ascii NOT NULL,
  event_id BIGINT NOT NULL,
  delivered_at DATETIME(6) NOT NULL,
  PRIMARY KEY (consumer, event_id)
) ENGINE=InnoDB;

-- Per consumer, an event id at and below which every event is delivered or will never
-- commit, so the search for pending events starts above it. Its row is also the lock
-- that lets one process at a time consume for that consumer.
CREATE TABLE IF NOT EXISTS outbox_cursor (
  consumer VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  after_event_id BIGINT NOT NULL
) ENGINE=InnoDB;
