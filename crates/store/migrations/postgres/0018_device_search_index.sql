-- Search without a full scan: a trigram GIN index over the devices' lower-cased search text
-- serves `search LIKE '%term%'` for a term of 3 or more characters (shorter ones still scan
-- the covering search index, see sql/devices.rs). pg_trgm ships with PostgreSQL and is a
-- trusted extension (PostgreSQL 13+): a database owner may create it. The index is built from
-- the existing rows and kept by PostgreSQL from then on.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX devices_search_trigrams ON devices USING gin (search gin_trgm_ops);
