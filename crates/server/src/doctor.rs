//! `pinreset doctor`: checks a deployment as `serve` with the same options would run it, and
//! says what to fix. Read-only: it creates no master key, database or TLS file and migrates
//! nothing. Each finding is ok, a warning (works now, needs attention) or a problem (will not
//! work, or works unsafely).

use chrono::{DateTime, Duration, Utc};
use pinreset_store::sql::inspect::{inspect, DatabaseReport};
use pinreset_store::MasterKey;
use std::path::PathBuf;

/// Certificates expiring sooner than this are a warning.
const EXPIRY_WARNING_DAYS: i64 = 30;
/// Clock differences beyond these are a warning / a problem: certificates, ID tokens, step-up
/// windows and action expiry all compare times from both clocks.
const SKEW_WARNING_SECS: i64 = 5;
const SKEW_PROBLEM_SECS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warning,
    Problem,
}

pub struct Finding {
    pub status: Status,
    /// What was checked: "database", "TLS certificate", …
    pub check: String,
    /// What was found.
    pub found: String,
    /// What to do about it (warnings and problems).
    pub fix: Option<String>,
}

fn finding(status: Status, check: impl Into<String>, found: impl Into<String>, fix: Option<&str>) -> Finding {
    Finding { status, check: check.into(), found: found.into(), fix: fix.map(str::to_string) }
}

/// Where the deployment keeps what `doctor` looks at.
pub struct Deployment {
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The operator's own certificate, when given (else the generated one in DATA/tls/).
    pub tls_cert: Option<PathBuf>,
}

pub async fn check(d: &Deployment, now: DateTime<Utc>) -> Vec<Finding> {
    let mut out = Vec::new();
    let key = master_key(d, &mut out);
    if let Some(key) = key {
        match inspect(&d.database_url, &key).await {
            Ok(report) => database(&report, now, &mut out),
            Err(e) => out.push(finding(
                Status::Problem,
                "database",
                format!("{} cannot be opened: {e}", redacted(&d.database_url)),
                Some("check --database-url (or PINRESET_DATABASE_URL) and that the database server is running and reachable"),
            )),
        }
    }
    tls(d, now, &mut out);
    out
}

/// The URL without a password.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn master_key(d: &Deployment, out: &mut Vec<Finding>) -> Option<MasterKey> {
    // As the server reads it: the variable when set and not empty, else the data directory's file.
    if let Some(v) = std::env::var("PINRESET_MASTER_KEY").ok().filter(|v| !v.trim().is_empty()) {
        return match MasterKey::from_env_value(&v) {
            Ok(k) => {
                out.push(finding(Status::Ok, "master key", "from PINRESET_MASTER_KEY", None));
                Some(k)
            }
            Err(e) => {
                out.push(finding(
                    Status::Problem,
                    "master key",
                    format!("PINRESET_MASTER_KEY: {e}"),
                    Some("set it to the base64 key the database was sealed with"),
                ));
                None
            }
        };
    }
    let path = d.data_dir.join("master.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => match MasterKey::from_env_value(&text) {
            Ok(k) => {
                out.push(finding(Status::Ok, "master key", path.display().to_string(), None));
                Some(k)
            }
            Err(e) => {
                out.push(finding(
                    Status::Problem,
                    "master key",
                    format!("{}: {e}", path.display()),
                    Some("restore the file from the backup taken with the database"),
                ));
                None
            }
        },
        Err(e) => {
            out.push(finding(
                Status::Problem,
                "master key",
                format!("{} cannot be read: {e}", path.display()),
                Some("give the --data-dir the server runs with (a server creates its key on its first start); without the key no sealed secret opens"),
            ));
            None
        }
    }
}

fn database(r: &DatabaseReport, now: DateTime<Utc>, out: &mut Vec<Finding>) {
    let newer: Vec<i64> = r.applied.iter().filter(|v| !r.known.contains(v)).copied().collect();
    let pending = r.known.iter().filter(|v| !r.applied.contains(v)).count();
    out.push(if !newer.is_empty() {
        finding(
            Status::Problem,
            "database",
            format!("{}: migrated by a newer pinreset (migrations {newer:?} are unknown to this one)", r.backend),
            Some("run the pinreset version that migrated it, or restore a backup from before the upgrade"),
        )
    } else if r.applied.is_empty() {
        finding(
            Status::Warning,
            "database",
            format!("{}: reachable, but empty", r.backend),
            Some("start the server once: it creates the tables"),
        )
    } else if pending > 0 {
        finding(
            Status::Warning,
            "database",
            format!("{}: {pending} of {} migrations not applied yet", r.backend, r.known.len()),
            Some("the server applies them when it next starts (take a backup first)"),
        )
    } else {
        finding(Status::Ok, "database", format!("{}: reachable, all {} migrations applied", r.backend, r.known.len()), None)
    });
    out.push(match (r.unopened.first(), r.sealed_rows) {
        (Some(first), n) => finding(
            Status::Problem,
            "sealed secrets",
            format!("{} of {n} sealed rows do not open with this master key (first: {first})", r.unopened.len()),
            Some("this master key does not belong to this database: restore DATA/master.key (or PINRESET_MASTER_KEY) from the backup taken with the database"),
        ),
        (None, 0) => finding(Status::Ok, "sealed secrets", "none stored yet", None),
        (None, n) => finding(Status::Ok, "sealed secrets", format!("all {n} open with the master key"), None),
    });
    out.push(match r.server_now {
        None => finding(Status::Ok, "clock", "embedded database: one clock", None),
        Some(theirs) => {
            let skew = (now - theirs).num_seconds();
            let found = format!("this machine and the database server differ by {}s", skew.abs());
            let fix = Some("keep both clocks synchronised (NTP: systemd-timesyncd or chrony)");
            match skew.abs() {
                s if s > SKEW_PROBLEM_SECS => finding(Status::Problem, "clock", found, fix),
                s if s > SKEW_WARNING_SECS => finding(Status::Warning, "clock", found, fix),
                _ => finding(Status::Ok, "clock", found, None),
            }
        }
    });
    for (tenant, purpose, pem) in &r.certificates {
        let what = if purpose == "apns_cert" { "APNs push certificate" } else { "device CA" };
        let fix = if purpose == "apns_cert" {
            "renew the MDM push certificate at Apple's push certificates portal (same Apple ID, so devices keep their topic), then `pinreset tenant apns`"
        } else {
            "the device CA signs every device's identity: plan its renewal before devices' certificates can no longer be verified"
        };
        out.push(expiry(what, &format!("tenant {tenant}"), pem.as_bytes(), now, fix));
    }
}

fn tls(d: &Deployment, now: DateTime<Utc>, out: &mut Vec<Finding>) {
    let generated = d.tls_cert.is_none();
    let path = d.tls_cert.clone().unwrap_or_else(|| d.data_dir.join("tls").join("server.pem"));
    match std::fs::read(&path) {
        Ok(pem) => out.push(expiry(
            "TLS certificate",
            &path.display().to_string(),
            &pem,
            now,
            if generated {
                "delete DATA/tls/server.pem and server.key and restart: the server issues a new one from its local CA"
            } else {
                "renew the certificate given with --tls-cert and restart the server"
            },
        )),
        Err(_) if generated => out.push(finding(
            Status::Warning,
            "TLS certificate",
            format!("{} does not exist yet", path.display()),
            Some("the server generates it (and a local CA) on its first start; give --tls-cert/--tls-key to use your own"),
        )),
        Err(e) => out.push(finding(
            Status::Problem,
            "TLS certificate",
            format!("{}: {e}", path.display()),
            Some("check the --tls-cert path and its permissions"),
        )),
    }
}

/// A certificate's validity: not yet valid or expired is a problem; ending within 30 days, a warning.
fn expiry(what: &str, whose: &str, pem: &[u8], now: DateTime<Utc>, fix: &str) -> Finding {
    let Some((not_before, not_after)) = validity(pem) else {
        return finding(Status::Problem, what, format!("{whose}: not a PEM certificate"), Some(fix));
    };
    let days = (not_after - now).num_days();
    let (status, found, fix) = if now < not_before {
        (Status::Problem, format!("not valid before {}", not_before.format("%Y-%m-%d %H:%M UTC")), Some("check this machine's clock"))
    } else if now > not_after {
        (Status::Problem, format!("expired on {}", not_after.format("%Y-%m-%d")), Some(fix))
    } else if not_after - now < Duration::days(EXPIRY_WARNING_DAYS) {
        (Status::Warning, format!("expires on {} (in {days} days)", not_after.format("%Y-%m-%d")), Some(fix))
    } else {
        (Status::Ok, format!("valid until {}", not_after.format("%Y-%m-%d")), None)
    };
    finding(status, what, format!("{whose}: {found}"), fix)
}

fn validity(pem: &[u8]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    use rustls::pki_types::pem::PemObject;
    use x509_parser::prelude::*;
    let der = rustls::pki_types::CertificateDer::from_pem_slice(pem).ok()?;
    let (_, cert) = X509Certificate::from_der(&der).ok()?;
    let v = cert.validity();
    Some((DateTime::from_timestamp(v.not_before.timestamp(), 0)?, DateTime::from_timestamp(v.not_after.timestamp(), 0)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_shown_without_their_password() {
        assert_eq!(redacted("postgres://pinreset:s3cret@db.example.com/pinreset"), "postgres://pinreset@db.example.com/pinreset");
        assert_eq!(redacted("postgres://db.example.com/pinreset"), "postgres://db.example.com/pinreset");
        assert_eq!(redacted("sqlite:///var/lib/pinreset/pinreset.db"), "sqlite:///var/lib/pinreset/pinreset.db");
    }

    #[test]
    fn certificates_near_their_end_are_a_warning_and_past_it_a_problem() {
        let ca = pinreset_pki_test_cert();
        let (_, not_after) = validity(ca.as_bytes()).unwrap();
        let status = |now| expiry("x", "test", ca.as_bytes(), now, "renew").status;
        assert_eq!(status(not_after - Duration::days(90)), Status::Ok);
        assert_eq!(status(not_after - Duration::days(10)), Status::Warning);
        assert_eq!(status(not_after + Duration::days(1)), Status::Problem);
    }

    fn pinreset_pki_test_cert() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["doctor.test".to_string()]).unwrap();
        params.not_after = rcgen::date_time_ymd(2030, 1, 1);
        params.self_signed(&key).unwrap().pem()
    }
}
