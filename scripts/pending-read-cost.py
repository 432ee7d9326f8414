#!/usr/bin/env python3
"""What a device's check-in read costs as its action history grows, before and after
migration 0022 (the partial index of pending actions). Query level, not over the wire: it
builds our SQLite schema from crates/store/migrations in a temporary file with Python's own
SQLite, gives each of 200 devices HISTORY finished actions and one queued, and times the
statement `deliverable_actions` runs.

    python3 scripts/pending-read-cost.py [HISTORY]    # default 500
"""
import glob
import os
import sqlite3
import sys
import tempfile
import time
import uuid

HISTORY = int(sys.argv[1]) if len(sys.argv) > 1 else 500
DEVICES = 200
MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "crates", "store", "migrations", "sqlite")
INDEX_MIGRATION = "0022_pending_actions_index.sql"
READ = ("SELECT doc FROM actions WHERE device_id = ? AND pending = 1 "
        "AND state IN ('queued', 'delivered', 'acknowledged') ORDER BY requested_at, id")


def timed_reads(db, devices, label):
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for d in devices:
            assert len(db.execute(READ, (d,)).fetchall()) == 1
    per_read = (time.perf_counter() - start) / (rounds * len(devices))
    plan = "; ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + READ, ("x",)))
    print(f"{label}: {per_read * 1e6:8.1f} µs a read   ({plan})")


with tempfile.TemporaryDirectory() as tmp:
    db = sqlite3.connect(os.path.join(tmp, "pinreset.db"))
    files = sorted(glob.glob(os.path.join(MIGRATIONS, "0*.sql")))
    for f in files:
        # The schema as it stood before 0022 (later migrations change the device index).
        if os.path.basename(f) < INDEX_MIGRATION:
            db.executescript(open(f).read())
    doc = '{"note":"' + "x" * 1200 + '"}'  # about the size of a stored action
    devices = [str(uuid.uuid4()) for _ in range(DEVICES)]
    t0 = 1_700_000_000_000
    rows = []
    for d in devices:
        rows += [(str(uuid.uuid4()), "t", d, "remote_lock", "succeeded", 0, t0 + i, t0 + i, doc) for i in range(HISTORY)]
        rows.append((str(uuid.uuid4()), "t", d, "remote_lock", "queued", 1, t0 + HISTORY, t0 + HISTORY, doc))
    db.executemany("INSERT INTO actions (id, tenant_id, device_id, kind, state, pending, requested_at, expires_at, doc) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    print(f"{DEVICES} devices, {HISTORY} finished actions each and one queued (SQLite {sqlite3.sqlite_version})")
    timed_reads(db, devices, "before 0022")
    db.executescript(open(os.path.join(MIGRATIONS, INDEX_MIGRATION)).read())
    timed_reads(db, devices, "after 0022 ")
