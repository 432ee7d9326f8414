-- Device enrollment starts from an email address: find its user (and tenant) by index.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE users SET email = lower(doc::json->>'email');
CREATE INDEX users_by_email ON users (email);
