//! The admin center's own invariants: every text a page can show exists in every language,
//! the locale files parse, and handlers stay behind the view.

use super::i18n::{self, Lang};
use super::templates::TEMPLATES;
use fluent_bundle::FluentResource;
use pinreset_core::ErrorCode;
use std::collections::BTreeSet;

const FOREIGN: [Lang; 4] = [Lang::Ja, Lang::ZhTw, Lang::Sv, Lang::It];

/// The keys in `t("…")` / `t('…')` calls of a source text.
fn template_keys(source: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for quote in ['"', '\''] {
        let opener = format!("t({quote}");
        let mut rest = source;
        while let Some(i) = rest.find(&opener) {
            // `t(` must start a call, not end a name such as `select(`.
            let before = rest[..i].chars().last();
            rest = &rest[i + opener.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(end) = rest.find(quote) {
                keys.insert(rest[..end].to_string());
            }
        }
    }
    keys
}

/// The web module's Rust files, the portal's folder included.
fn web_sources() -> Vec<std::path::PathBuf> {
    let mut files = vec![];
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}

/// Key-shaped string literals in the web module's Rust files whose first word is a prefix
/// English keys use (`"prop-model"`, `"device-never"`): a typo there would show the raw key.
fn rust_keys() -> BTreeSet<String> {
    let mut english: BTreeSet<String> = i18n::message_ids(Lang::En, "admin.ftl").into_iter().collect();
    english.extend(i18n::message_ids(Lang::En, "portal.ftl"));
    let prefixes: BTreeSet<&str> = english.iter().filter_map(|k| k.split('-').next()).collect();
    let mut keys = BTreeSet::new();
    for file in web_sources() {
        let text = std::fs::read_to_string(file).unwrap();
        for literal in text.split('"').skip(1).step_by(2) {
            let key_shaped =
                literal.contains('-') && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
            if key_shaped && literal.split('-').next().is_some_and(|p| prefixes.contains(p)) {
                keys.insert(literal.to_string());
            }
        }
    }
    keys
}

#[test]
fn every_ftl_file_parses() {
    for lang in Lang::ALL {
        for (file, text) in i18n::sources(lang) {
            if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                panic!("locales/{}/{file} has syntax errors: {errors:?}", lang.tag());
            }
        }
    }
}

#[test]
fn every_message_key_exists_in_every_language() {
    let mut needed: BTreeSet<String> = TEMPLATES.iter().flat_map(|(_, source)| template_keys(source)).collect();
    assert!(needed.contains("devices-all"), "the scanner finds template keys");
    needed.extend(rust_keys());
    needed.extend(super::labels::all_keys());
    needed.extend(super::actions::CONSEQUENCE_KEYS.iter().map(|k| k.to_string()));
    needed.extend(crate::app::mail::MESSAGE_KEYS.iter().map(|k| k.to_string()));
    needed.extend(i18n::message_ids(Lang::En, "admin.ftl"));
    let mut missing = vec![];
    for lang in Lang::ALL {
        for key in &needed {
            if !i18n::has_message(lang, key) {
                missing.push(format!("{}: {key}", lang.tag()));
            }
        }
        // And nothing a language has that English (the reference) does not.
        for key in i18n::message_ids(lang, "admin.ftl") {
            if !i18n::has_message(Lang::En, &key) {
                missing.push(format!("en (present in {}): {key}", lang.tag()));
            }
        }
    }
    assert!(missing.is_empty(), "missing messages:\n{}", missing.join("\n"));
}

#[test]
fn every_catalogue_error_is_translated_with_its_remedy() {
    let mut missing = vec![];
    for lang in FOREIGN {
        for code in ErrorCode::ALL {
            let key = format!("err-{}", code.code());
            if !i18n::has_message(lang, &key) || !i18n::has_attribute(lang, &key, "remedy") {
                missing.push(format!("{}: {key}", lang.tag()));
            }
        }
    }
    assert!(missing.is_empty(), "untranslated catalogue entries:\n{}", missing.join("\n"));
    // English comes from the Rust catalogue, not from a second copy in .ftl files.
    assert!(i18n::sources(Lang::En).iter().all(|(file, _)| *file != "errors.ftl"));
    let (reason, _) = i18n::error_texts(Lang::En, ErrorCode::AndroidDeviceAdminUnsupported);
    assert_eq!(reason, ErrorCode::AndroidDeviceAdminUnsupported.reason());
    let (reason, remedy) = i18n::error_texts(Lang::Ja, ErrorCode::AndroidDeviceAdminUnsupported);
    assert_ne!(reason, ErrorCode::AndroidDeviceAdminUnsupported.reason());
    assert!(!remedy.is_empty());
}

#[test]
fn arguments_are_filled_in_without_isolation_marks() {
    let text = i18n::text(Lang::Sv, "devices-count", &[("first", 1.into()), ("last", 25.into()), ("total", 40.into())]);
    assert_eq!(text, "Visar 1–25 av 40 enheter");
    assert_eq!(i18n::text(Lang::It, "device-pending", &[("count", 1.into())]), "1 azione in sospeso");
    assert_eq!(i18n::text(Lang::It, "device-pending", &[("count", 3.into())]), "3 azioni in sospeso");
}

#[test]
fn templates_autoescape_what_they_are_given() {
    #[derive(serde::Serialize)]
    struct Ctx {
        #[serde(flatten)]
        chrome: super::page::Chrome,
        error: super::page::ErrorView,
    }
    let mut chrome = super::page::Chrome::anonymous(Lang::En, "/admin/devices");
    chrome.tenant = Some("<script>alert(1)</script>".into());
    chrome.user = Some("Eve".into());
    let error = super::page::ErrorView::new(Lang::En, ErrorCode::NotFound);
    let html = super::templates::render("problem.html", Ctx { chrome, error }).unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)"));
    assert!(!html.contains("style="), "no inline styles (the CSP forbids them)");
}

#[test]
fn no_inline_script_or_style_in_any_template() {
    for (name, source) in TEMPLATES {
        let lower = source.to_lowercase();
        assert!(!lower.contains("<style"), "{name} has a <style> element");
        assert!(!lower.contains(" style="), "{name} has a style attribute");
        assert!(!lower.contains(" on") || !lower.contains("=\"javascript"), "{name}");
        for handler in [" onclick=", " onchange=", " onload=", " onsubmit="] {
            assert!(!lower.contains(handler), "{name} has an inline handler {handler}");
        }
        for script in lower.match_indices("<script").map(|(i, _)| &lower[i..]) {
            assert!(script.starts_with("<script src="), "{name} has an inline script");
        }
    }
}

/// The admin center is a door like the REST API: its handlers hold a view of the
/// application, never the store, so no page can skip the checks the views make.
#[test]
fn web_handlers_never_reach_the_store() {
    for path in web_sources() {
        let text = std::fs::read_to_string(&path).unwrap();
        // Spelled in pieces so that this test's own text does not match.
        for needle in [concat!(".", "store."), concat!("authz", "::require"), concat!("app", "::scope")] {
            assert!(!text.contains(needle), "{} uses {needle}: go through the view instead", path.display());
        }
    }
}

#[test]
fn every_detail_is_translated_and_fills_in_its_arguments() {
    use pinreset_core::{Detail, DetailCode};
    let mut missing = vec![];
    for lang in FOREIGN {
        for code in DetailCode::ALL {
            let key = format!("detail-{}", code.code());
            if !i18n::has_message(lang, &key) {
                missing.push(format!("{}: {key}", lang.tag()));
            }
        }
    }
    assert!(missing.is_empty(), "untranslated details:\n{}", missing.join("\n"));
    let detail = Detail::too_long("login", 64);
    assert_eq!(i18n::detail_text(Lang::En, &detail), "\"login\" must be at most 64 characters.");
    for lang in FOREIGN {
        let text = i18n::detail_text(lang, &detail);
        assert!(text.contains("login") && text.contains("64") && text != detail.english(), "{}: {text}", lang.tag());
    }
}

/// The audit page shows each event's kind in the reader's language, never the raw code: every
/// kind the engine can write has a label in every language (English included: it has no
/// Rust fallback for these), and no two kinds read the same.
#[test]
fn every_audit_event_kind_is_translated() {
    use pinreset_core::AuditKind;
    let mut missing = vec![];
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        for kind in AuditKind::ALL {
            let key = super::labels::audit_kind(*kind);
            if !i18n::has_message(lang, &key) {
                missing.push(format!("{}: {key}", lang.tag()));
                continue;
            }
            let label = i18n::text(lang, &key, &[]);
            assert_ne!(label, kind.as_str(), "{}: {key} repeats the code", lang.tag());
            assert!(seen.insert(label.clone()), "{}: two kinds read \"{label}\"", lang.tag());
        }
    }
    assert!(missing.is_empty(), "untranslated audit event kinds:\n{}", missing.join("\n"));
    assert_eq!(i18n::text(Lang::Ja, &super::labels::audit_kind(AuditKind::PasscodeRead), &[]), "パスコードを表示");
}

/// The reveal's countdown: days and hours, then hours, then minutes, then "Expired".
#[test]
fn passcode_countdown_reads_days_and_hours() {
    use chrono::{Duration, TimeZone, Utc};
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
    let at = |d: Duration| super::device::expires_in(Lang::En, now, now + d);
    assert_eq!(at(Duration::days(7) - Duration::minutes(1)), "Expires in 6 days 23 hours");
    assert_eq!(at(Duration::days(1) + Duration::hours(1)), "Expires in 1 day 1 hour");
    assert_eq!(at(Duration::hours(5) + Duration::minutes(59)), "Expires in 5 hours");
    assert_eq!(at(Duration::minutes(42)), "Expires in 42 minutes");
    assert_eq!(at(Duration::days(7)), "Expires in 7 days", "no \"0 hours\"");
    assert_eq!(super::device::expires_in(Lang::It, now, now + Duration::days(7)), "Scade tra 7 giorni");
    assert_eq!(super::device::expires_in(Lang::ZhTw, now, now + Duration::days(7)), "7 天後到期");
    assert_eq!(at(Duration::seconds(-1)), "Expired");
    assert_eq!(super::device::expires_in(Lang::Sv, now, now + Duration::days(2) + Duration::hours(3)), "Går ut om 2 dagar 3 timmar");
    assert_eq!(super::device::expires_in(Lang::Ja, now, now + Duration::days(2) + Duration::hours(3)), "残り 2 日 3 時間で期限切れ");
}
