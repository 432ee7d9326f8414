-- Configuration profiles, their group assignments (JSON), and what each device answered per setting.
CREATE TABLE profiles (
    id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL, doc TEXT NOT NULL,
    assignments TEXT NOT NULL DEFAULT '{"include":[],"exclude":[]}');
CREATE INDEX profiles_by_tenant ON profiles (tenant_id, name);
CREATE TABLE profile_results (
    device_id TEXT NOT NULL, profile_id TEXT NOT NULL REFERENCES profiles(id), oma_uri TEXT NOT NULL,
    status INTEGER NOT NULL, profile_version INTEGER NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (device_id, profile_id, oma_uri));
CREATE INDEX profile_results_by_profile ON profile_results (profile_id);
