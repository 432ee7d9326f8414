//! Storage for pinreset: ports (traits) and the SQL adapter serving SQLite and PostgreSQL.

pub mod ports;
pub mod seal;
pub mod sql;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use ports::*;
pub use seal::{MasterKey, MasterKeyError};
pub use sql::SqlStore;

use std::sync::Arc;

/// Open the store at `url` (`sqlite://PATH` or `postgres://…`), migrating it if needed.
pub async fn connect(url: &str, key: MasterKey) -> StoreResult<Arc<dyn Store>> {
    let store: Arc<dyn Store> = sql::connect(url, key).await?;
    Ok(store)
}
