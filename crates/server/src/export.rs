//! Report downloads shared by the REST API and the admin center: CSV (RFC 4180) that is safe to
//! open in a spreadsheet, and the readiness report's and audit log's rows in it.

use crate::app::readiness::Readiness;
use pinreset_core::AuditEvent;

/// One CSV cell: quoted when it holds a comma, quote or line break (RFC 4180), and a leading
/// `=`, `+`, `-` or `@` (also after a tab or carriage return) prefixed with `'`, so a device name
/// such as `=HYPERLINK(…)` is text in Excel or LibreOffice, never a formula (CSV injection).
pub fn cell(value: &str) -> String {
    let formula = value.trim_start_matches(['\t', '\r']).starts_with(['=', '+', '-', '@']) || value.starts_with(['\t', '\r']);
    let value = if formula { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Rows joined with CRLF (RFC 4180), a header first.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let mut out = String::new();
    let line = |cells: Vec<String>| cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| h.to_string()).collect()));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

pub const READINESS_HEADER: [&str; 9] =
    ["device id", "name", "owner", "platform", "os version", "reset token", "reason code", "reason", "fix"];

/// The readiness report as CSV, in English (the export is for other tools and other people).
pub fn readiness_csv(report: &Readiness) -> String {
    csv(
        &READINESS_HEADER,
        report.rows.iter().map(|r| {
            vec![
                r.device_id.to_string(),
                r.device_name.clone(),
                r.owner.clone().unwrap_or_default(),
                r.platform.as_str().to_string(),
                r.os_version.clone(),
                // Android only: none, inactive or active (empty for other platforms).
                r.reset_token.map(|t| t.as_str().to_string()).unwrap_or_default(),
                r.reason_code.clone(),
                r.reason.clone(),
                r.fix.clone(),
            ]
        }),
    )
}

pub const AUDIT_HEADER: [&str; 10] = ["seq", "at", "actor", "kind", "device id", "action id", "action", "outcome", "request id", "origin"];

pub fn audit_csv(events: &[AuditEvent]) -> String {
    csv(
        &AUDIT_HEADER,
        events.iter().map(|e| {
            let ev = &e.event;
            vec![
                e.seq.to_string(),
                ev.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                ev.actor.clone(),
                ev.kind.as_str().to_string(),
                ev.device_id.map(|d| d.to_string()).unwrap_or_default(),
                ev.action_id.map(|a| a.to_string()).unwrap_or_default(),
                ev.action.clone().unwrap_or_default(),
                ev.outcome.clone(),
                ev.request_id.clone().unwrap_or_default(),
                ev.origin.clone().unwrap_or_default(),
            ]
        }),
    )
}

/// JSON lines: one event per line, as the API's `GET /api/v1/audit` returns each.
pub fn audit_jsonl(events: &[AuditEvent]) -> String {
    events.iter().filter_map(|e| serde_json::to_string(e).ok()).map(|l| l + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_per_rfc_4180_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        for bad in ["+1", "-1+2", "@SUM(A1)", "\t=1"] {
            assert!(cell(bad).trim_start_matches('"').starts_with('\''), "{bad}: {}", cell(bad));
        }
        assert_eq!(csv(&["a", "b"], [vec!["1".into(), "x,y".into()]]), "a,b\r\n1,\"x,y\"\r\n");
    }
}
