-- Users API: accounts can be disabled; the role is a column so "the tenant's enabled tenant
-- admins" is one count inside the transaction that changes a user; API tokens get an id to
-- list and revoke them by (never their value or hash).
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT '';
UPDATE users SET role = doc::json->>'role';
CREATE INDEX users_by_tenant_role ON users (tenant_id, role, disabled);
ALTER TABLE api_tokens ADD COLUMN id TEXT;
UPDATE api_tokens SET id = CAST(md5(token_sha256 || random()::text) AS uuid)::text;
CREATE UNIQUE INDEX api_tokens_by_id ON api_tokens (id);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);
