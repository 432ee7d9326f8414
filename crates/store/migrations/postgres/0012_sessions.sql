-- Web sessions (admin center, portal, API sign-in): found by the SHA-256 of their cookie token,
-- which is never stored; any instance serves any session.
CREATE TABLE web_sessions (
    token_sha256 TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant_id TEXT NOT NULL, user_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL, revoked BIGINT NOT NULL DEFAULT 0, doc TEXT NOT NULL);
CREATE INDEX web_sessions_by_user ON web_sessions (tenant_id, user_id);
