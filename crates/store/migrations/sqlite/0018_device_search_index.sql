-- Search without a full scan: a trigram FTS5 index over the devices' lower-cased search text,
-- so a substring of 3 or more characters finds its devices from the index instead of reading
-- every device's search text (shorter ones still scan, see sql/devices.rs). The FTS5 table is
-- keyed by `device_search_keys.n` (an INTEGER PRIMARY KEY, so stable across VACUUM, unlike the
-- devices' own implicit rowid), and triggers keep it in step with every write of `search`.
-- A check-in rewrites the device with the same search text: the update trigger skips it.
CREATE TABLE device_search_keys (n INTEGER PRIMARY KEY, device_id TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE device_search USING fts5(search, tokenize = 'trigram');
INSERT INTO device_search_keys (device_id) SELECT id FROM devices;
INSERT INTO device_search (rowid, search) SELECT k.n, d.search FROM device_search_keys k JOIN devices d ON d.id = k.device_id;
CREATE TRIGGER device_search_insert AFTER INSERT ON devices BEGIN
    INSERT INTO device_search_keys (device_id) VALUES (new.id);
    INSERT INTO device_search (rowid, search) VALUES ((SELECT n FROM device_search_keys WHERE device_id = new.id), new.search);
END;
CREATE TRIGGER device_search_update AFTER UPDATE OF search ON devices WHEN old.search IS NOT new.search BEGIN
    UPDATE device_search SET search = new.search WHERE rowid = (SELECT n FROM device_search_keys WHERE device_id = new.id);
END;
CREATE TRIGGER device_search_delete AFTER DELETE ON devices BEGIN
    DELETE FROM device_search WHERE rowid = (SELECT n FROM device_search_keys WHERE device_id = old.id);
    DELETE FROM device_search_keys WHERE device_id = old.id;
END;
