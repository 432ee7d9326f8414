#!/usr/bin/env python3
"""What the admin center's home page counts and the actions monitor's first page cost as the
actions table grows, before and after migration 0023 (the tenant's action indexes). Query
level, not over the wire: it builds our SQLite schema from crates/store/migrations in a
temporary file with Python's own SQLite, writes ACTIONS actions shared by two tenants (one in
fifty failed, a month of them), and times for one tenant the statements `action_counts` and
`list_actions` ran before 0023 and run after it (the monitor's total, kept 30 s when large, is
counted here every time).

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
DAY_MS = 86_400_000
SINCE = T0 + MONTH_MS - 30 * DAY_MS  # the home page's chart: the last 30 days
STATES = ["requested", "queued", "delivered", "acknowledged", "succeeded", "failed", "expired", "cancelled"]
# (name, statements before 0023, statements after): what `action_counts` and `list_actions` ran.
DAYS = ",".join(f"({max(SINCE, d * DAY_MS)}, {(d + 1) * DAY_MS})" for d in range(SINCE // DAY_MS, (T0 + MONTH_MS) // DAY_MS + 1))
SCENARIOS = [
    ("home page: counts by state",
     [("SELECT state, COUNT(*) AS n FROM actions WHERE tenant_id = ? GROUP BY state", ("t",))],
     [("SELECT state, COUNT(*) AS n FROM actions WHERE tenant_id = ? AND state IN "
       "('requested', 'queued', 'delivered', 'acknowledged', 'failed') GROUP BY state", ("t",))]),
    ("home page: chart by day",
     [("SELECT requested_at / 86400000 AS day, state, COUNT(*) AS n FROM actions WHERE tenant_id = ? "
       "AND requested_at >= ? GROUP BY requested_at / 86400000, state ORDER BY day", ("t", SINCE))],
     [("SELECT MAX(requested_at) AS newest FROM actions WHERE tenant_id = ?", ("t",)),
      (f"WITH days(from_ms, to_ms) AS (VALUES {DAYS}), states(s) AS (VALUES {','.join(f'({chr(39)}{s}{chr(39)})' for s in STATES)}) "
       "SELECT from_ms / 86400000 AS day, s AS state, (SELECT COUNT(*) FROM actions WHERE tenant_id = ? AND state = s "
       "AND requested_at >= from_ms AND requested_at < to_ms) AS n FROM days, states", ("t",))]),
    ("monitor: total", [("SELECT COUNT(*) AS n FROM actions WHERE tenant_id = ?", ("t",))],
     [("SELECT COUNT(*) AS n FROM actions WHERE tenant_id = ?", ("t",))]),
    ("monitor: first page",
     [("SELECT doc FROM actions WHERE tenant_id = ? ORDER BY CASE WHEN state = 'failed' THEN 0 ELSE 1 END, "
       "requested_at DESC, id LIMIT 25 OFFSET 0", ("t",))],
     [("SELECT COUNT(*) AS n FROM actions WHERE tenant_id = ? AND state = 'failed'", ("t",)),
      ("SELECT doc FROM actions WHERE tenant_id = ? AND state = 'failed' ORDER BY requested_at DESC, id LIMIT 25 OFFSET 0", ("t",)),
      ("SELECT doc FROM actions WHERE tenant_id = ? AND state <> 'failed' ORDER BY requested_at DESC, id LIMIT 25 OFFSET 0", ("t",))]),
]


def ms(db, statements, rounds=5):
    start = time.perf_counter()
    for _ in range(rounds):
        for sql, args in statements:
            db.execute(sql, args).fetchall()
    return (time.perf_counter() - start) / rounds * 1000


def report(db, label, which):
    for scenario in SCENARIOS:
        print(f"{label} {scenario[0]:28} {ms(db, scenario[which]):8.1f} ms")


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
    report(db, "before 0023", 1)
    db.executescript(open(os.path.join(MIGRATIONS, INDEX_MIGRATION)).read())
    report(db, "after 0023 ", 2)
