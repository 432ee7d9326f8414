-- Aggregates are stored as a JSON document plus the columns queries filter, sort or lock on.
CREATE TABLE tenants (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE users (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), login TEXT NOT NULL,
    password_hash TEXT, doc TEXT NOT NULL, UNIQUE (tenant_id, login));
CREATE TABLE api_tokens (
    token_sha256 TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), label TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE user_groups (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL);
CREATE TABLE user_group_members (group_id TEXT NOT NULL REFERENCES user_groups(id), user_id TEXT NOT NULL REFERENCES users(id), PRIMARY KEY (group_id, user_id));
CREATE TABLE device_groups (id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL);
CREATE TABLE device_group_members (group_id TEXT NOT NULL REFERENCES device_groups(id), device_id TEXT NOT NULL, PRIMARY KEY (group_id, device_id));
CREATE TABLE devices (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL, platform TEXT NOT NULL,
    primary_user_id TEXT, retired BIGINT NOT NULL, search TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX devices_by_tenant_name ON devices (tenant_id, name, id);
CREATE TABLE actions (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,
    pending BIGINT NOT NULL, requested_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, doc TEXT NOT NULL);
-- At most one pending action of a kind per device: concurrent duplicates collide here.
CREATE UNIQUE INDEX actions_one_pending ON actions (device_id, kind) WHERE pending = 1;
CREATE INDEX actions_by_device ON actions (device_id, requested_at);
CREATE INDEX actions_overdue ON actions (pending, expires_at);
CREATE TABLE secrets (
    owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL, purpose TEXT NOT NULL, sealed BYTEA, expires_at BIGINT, purged_at BIGINT,
    PRIMARY KEY (owner_kind, owner_id, purpose));
CREATE INDEX secrets_expiry ON secrets (expires_at) WHERE sealed IS NOT NULL;
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY, tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, action_id TEXT NOT NULL,
    created_at BIGINT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0, done_at BIGINT);
CREATE TABLE audit (
    seq BIGSERIAL PRIMARY KEY, tenant_id TEXT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL,
    device_id TEXT, action_id TEXT, action TEXT, outcome TEXT NOT NULL, request_id TEXT);
CREATE INDEX audit_by_tenant ON audit (tenant_id, seq);
CREATE INDEX audit_by_device ON audit (device_id, seq);
