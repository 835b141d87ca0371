-- Idempotency scopes name the RPC by its full name ("lms.v1.CourseService.CreateCourse/
-- <role>:<member>:<kiosk>"), the same for every service, instead of the bare method name
-- each service used to spell itself. Rewrite the recorded keys, so a client retrying
-- across the upgrade still gets its first outcome, and widen the column for longer
-- service names.
ALTER TABLE request_log MODIFY scope VARCHAR(160) CHARACTER SET ascii NOT NULL;
UPDATE request_log SET scope = CONCAT('lms.v1.CourseService.', scope)
  WHERE SUBSTRING_INDEX(scope, '/', 1) IN
    ('CreateCourse', 'UpdateCourse', 'PublishCourse', 'ArchiveCourse');
UPDATE request_log SET scope = CONCAT('lms.v1.OrganizationService.', scope)
  WHERE SUBSTRING_INDEX(scope, '/', 1) IN
    ('CreateOrganization', 'UpdateOrganization', 'MoveOrganization', 'CloseOrganization',
     'CreateMember', 'UpdateMember', 'TransferMember');
UPDATE request_log SET scope = CONCAT('lms.v1.IdentityService.', scope)
  WHERE SUBSTRING_INDEX(scope, '/', 1) = 'RegisterKiosk';
