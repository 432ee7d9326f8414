-- Enrollment identities handed out for a user (Apple enrollment profiles): the certificate serial
-- the device presents at Authenticate tells whose device it is.
CREATE TABLE enrollment_grants (
    cert_serial TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at BIGINT NOT NULL);
