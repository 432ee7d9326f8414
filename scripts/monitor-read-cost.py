#!/usr/bin/env python3
"""What the admin center's home page counts and the actions monitor's first page cost as the
actions table grows, before and after migration 0023 (the tenant's action indexes). Query
level, not over the wire: it builds our SQLite schema from crates/store/migrations in a
temporary file with Python's own SQLite, writes ACTIONS actions shared by two tenants (one in
fifty failed, a month of them), and times the statements `action_counts` and `list_actions`
run for one tenant (the list as before 0023 — one ORDER BY over failures and the rest — and
as after, the two parts each read newest first).

    python3 scripts/monitor-read-cost.py [ACTIONS]    # default 200000
"""
import glob
import os
import sqlite3
import sys
import tempfile
import time
import uuid

ACTIONS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "crates", "store", "migrations", "sqlite")
INDEX_MIGRATION = "0023_tenant_actions_indexes.sql"
T0 = 1_700_000_000_000
MONTH_MS = 30 * 86_400_000
COUNTS = [
    ("counts by state", "SELECT state, COUNT(*) AS n FROM actions WHERE tenant_id = ? GROUP BY state", ("t",)),
    ("counts by day (14 days)", "SELECT requested_at / 86400000 AS day, state, COUNT(*) AS n FROM actions "
     "WHERE tenant_id = ? AND requested_at >= ? GROUP BY requested_at / 86400000, state ORDER BY day",
     ("t", T0 + MONTH_MS - 14 * 86_400_000)),
    ("total", "SELECT COUNT(*) AS n FROM actions WHERE tenant_id = ?", ("t",)),
]
BEFORE_PAGE = ("SELECT doc FROM actions WHERE tenant_id = ? ORDER BY CASE WHEN state = 'failed' THEN 0 ELSE 1 END, "
               "requested_at DESC, id LIMIT 25 OFFSET 0", ("t",))
AFTER_PAGE = [
    ("SELECT COUNT(*) AS n FROM actions WHERE tenant_id = ? AND state = 'failed'", ("t",)),
    ("SELECT doc FROM actions WHERE tenant_id = ? AND state = 'failed' ORDER BY requested_at DESC, id LIMIT 25 OFFSET 0", ("t",)),
    ("SELECT doc FROM actions WHERE tenant_id = ? AND state <> 'failed' ORDER BY requested_at DESC, id LIMIT 25 OFFSET 0", ("t",)),
]


def ms(db, statements, rounds=5):
    start = time.perf_counter()
    for _ in range(rounds):
        for sql, args in statements:
            db.execute(sql, args).fetchall()
    return (time.perf_counter() - start) / rounds * 1000


def report(db, label, page):
    for name, sql, args in COUNTS:
        print(f"{label} {name:24} {ms(db, [(sql, args)]):8.1f} ms")
    print(f"{label} {'first page of the list':24} {ms(db, page):8.1f} ms")


with tempfile.TemporaryDirectory() as tmp:
    db = sqlite3.connect(os.path.join(tmp, "pinreset.db"))
    for f in sorted(glob.glob(os.path.join(MIGRATIONS, "0*.sql"))):
        if os.path.basename(f) < INDEX_MIGRATION:
            db.executescript(open(f).read())
    doc = '{"note":"' + "x" * 1200 + '"}'  # about the size of a stored action
    insert = ("INSERT INTO actions (id, tenant_id, device_id, kind, state, pending, requested_at, expires_at, doc) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    step = MONTH_MS // ACTIONS
    rows = []
    for i in range(ACTIONS):
        state = "failed" if i % 50 == 0 else "succeeded"
        at = T0 + i * step
        rows.append((str(uuid.uuid4()), "tu"[i % 2], str(uuid.uuid4()), "remote_lock", state, 0, at, at, doc))
        if len(rows) == 50_000:
            db.executemany(insert, rows)
            rows = []
    db.executemany(insert, rows)
    db.commit()
    print(f"{ACTIONS} actions of two tenants over a month, one in fifty failed (SQLite {sqlite3.sqlite_version})")
    report(db, "before 0023", [BEFORE_PAGE])
    db.executescript(open(os.path.join(MIGRATIONS, INDEX_MIGRATION)).read())
    report(db, "after 0023 ", AFTER_PAGE)
