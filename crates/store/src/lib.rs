//! Storage for pinreset: ports (traits) and the SQL adapter serving SQLite and PostgreSQL.

pub mod ports;

pub use ports::*;
