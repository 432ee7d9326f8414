//! Free-text search of the device list: which devices' search text (lower-cased at write
//! time, `devices::search_text`) contains the lower-cased term as a literal substring.
//!
//! A term of `TRIGRAM` characters or more is looked up in a trigram index (migration 0018):
//! SQLite's FTS5 `trigram` table finds the devices holding every three-character piece of
//! the term in order, PostgreSQL's pg_trgm GIN index serves `LIKE '%term%'`. A shorter term has
//! no trigram to look up, so it still scans the tenant's covering search index. Either way the
//! substring test itself decides, so the answer is the scan's exactly; the index only narrows
//! where it looks.

use super::devices::{Bind, Where, FEW_MATCHES};
use super::{db_err, Backend, SqlStore};
use crate::ports::StoreResult;
use pinreset_core::TenantId;
use sqlx::Row;

/// Characters a term needs before a trigram index can find it.
const TRIGRAM: usize = 3;
/// Beyond this many devices in the trigram index (of every tenant) holding the term, reading
/// them one by one costs more than scanning the tenant's search index: a broad term like
/// "dev" takes the scan.
const INDEXED_CANDIDATES: usize = 2_000;

/// The devices `w` selects whose search text contains `needle`.
pub(super) struct Matches {
    /// Their ids, when there are at most `FEW_MATCHES`.
    pub(super) few: Option<Vec<String>>,
    pub(super) total: u64,
    /// `w` and the substring test: for walking the list in order when the matches are many.
    pub(super) scan: Where,
}

pub(super) async fn matches(store: &SqlStore, tenant: TenantId, w: Where, needle: &str) -> StoreResult<Matches> {
    let indexed = needle.chars().count() >= TRIGRAM;
    let mut scan = w.clone();
    match (store.backend, indexed) {
        (Backend::Sqlite, _) => scan.and("instr(search, ?) > 0", Bind::Text(needle.to_owned())),
        (Backend::Postgres, true) => scan.and("search LIKE ?", Bind::Text(literally_within(needle))),
        // A literal substring: no pattern to parse per row (faster than LIKE).
        (Backend::Postgres, false) => scan.and("strpos(search, ?) > 0", Bind::Text(needle.to_owned())),
    }
    let ids = if store.backend == Backend::Sqlite && indexed && few_candidates(store, needle).await? {
        // From the FTS5 table to the devices it names, in that order (CROSS JOIN fixes the
        // order: left alone, SQLite prefers the tenant's index and reads all of it).
        let mut from_index = w;
        let phrase = from_index.push(Bind::Text(fts_phrase(needle)));
        from_index.and("instr(d.search, ?) > 0", Bind::Text(needle.to_owned()));
        let sql = format!(
            "SELECT d.id FROM device_search s CROSS JOIN device_search_keys k ON k.n = s.rowid \
             CROSS JOIN devices d ON d.id = k.device_id WHERE s.device_search MATCH {phrase} AND {}",
            from_index.clause
        );
        ids_of(store, &from_index, &sql).await?
    } else {
        // PostgreSQL's planner picks the trigram index itself when the term is selective. A
        // scan stops at one match more than few: a term most devices hold (or a short one)
        // stops early instead of reading every matching id.
        let mut first = scan.clone();
        let limit = first.push(Bind::Int(FEW_MATCHES as i64 + 1));
        ids_of(store, &first, &format!("SELECT id FROM devices WHERE {} LIMIT {limit}", first.clause)).await?
    };
    if ids.len() <= FEW_MATCHES {
        return Ok(Matches { total: ids.len() as u64, few: Some(ids), scan });
    }
    // Many: counted (one pass over the search index, no ids read), then walked in order.
    Ok(Matches { few: None, total: store.count(tenant, &scan).await?, scan })
}

async fn ids_of(store: &SqlStore, w: &Where, sql: &str) -> StoreResult<Vec<String>> {
    let rows = w.bound(sqlx::query(sql)).fetch_all(&store.pool).await.map_err(db_err)?;
    rows.iter().map(|r| r.try_get::<String, _>(0).map_err(db_err)).collect()
}

/// Whether the FTS5 index holds few enough devices with the term to read them one by one.
async fn few_candidates(store: &SqlStore, needle: &str) -> StoreResult<bool> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM (SELECT rowid FROM device_search WHERE device_search MATCH $1 LIMIT $2)")
        .bind(fts_phrase(needle))
        .bind(INDEXED_CANDIDATES as i64 + 1)
        .fetch_one(&store.pool)
        .await
        .map_err(db_err)?
        .try_get(0)
        .map_err(db_err)?;
    Ok(n as usize <= INDEXED_CANDIDATES)
}

/// The term as one FTS5 string (a phrase: its trigrams, adjacent and in order); inside one,
/// only `"` is special, written twice.
fn fts_phrase(needle: &str) -> String {
    format!("\"{}\"", needle.replace('"', "\"\""))
}

/// A `LIKE` pattern matching `needle` literally anywhere (`\` is PostgreSQL's escape).
fn literally_within(needle: &str) -> String {
    let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    #[test]
    fn terms_are_literal() {
        assert_eq!(super::fts_phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::literally_within("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
