-- Work that must run on one instance at a time (the maintenance tick): a named lease, taken
-- with compare-and-set by an instance (`holder`) until a time (unix ms), renewed by its holder
-- and taken over by another instance once it lapses.
CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until_ms BIGINT NOT NULL);
