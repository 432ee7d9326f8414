//! The admin center's languages: one Fluent bundle per language, built once from the `.ftl`
//! files compiled into the binary. English error texts stay in the Rust catalogue
//! (`ErrorCode::reason/remedy`), so `en` has only UI strings; every other language translates
//! both. No HTTP here: `lang.rs` picks the language of a request.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use pinreset_core::{Detail, ErrorCode};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

/// The languages of the admin center, in the order the switcher lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Ja,
    ZhTw,
    Sv,
    It,
}

impl Lang {
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Ja, Lang::ZhTw, Lang::Sv, Lang::It];

    /// BCP 47 tag: the cookie value, the `lang` attribute and the locales folder name.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::ZhTw => "zh-TW",
            Lang::Sv => "sv",
            Lang::It => "it",
        }
    }

    /// The language's own name, for the switcher (never translated).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
            Lang::ZhTw => "繁體中文",
            Lang::Sv => "Svenska",
            Lang::It => "Italiano",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag))
    }
}

/// The `.ftl` sources of each language, compiled in (never read from disk at run time).
pub fn sources(lang: Lang) -> &'static [(&'static str, &'static str)] {
    macro_rules! ftl {
        ($dir:literal: $($file:literal),*) => {
            &[$(($file, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/", $dir, "/", $file)))),*]
        };
    }
    match lang {
        Lang::En => ftl!("en": "admin.ftl", "admin-people.ftl", "admin-monitor.ftl", "admin-tenantadmin.ftl", "portal.ftl"),
        Lang::Ja => {
            ftl!("ja": "admin.ftl", "errors.ftl", "details.ftl", "admin-people.ftl", "admin-monitor.ftl", "admin-tenantadmin.ftl", "portal.ftl")
        }
        Lang::ZhTw => {
            ftl!("zh-TW": "admin.ftl", "errors.ftl", "details.ftl", "admin-people.ftl", "admin-monitor.ftl", "admin-tenantadmin.ftl", "portal.ftl")
        }
        Lang::Sv => {
            ftl!("sv": "admin.ftl", "errors.ftl", "details.ftl", "admin-people.ftl", "admin-monitor.ftl", "admin-tenantadmin.ftl", "portal.ftl")
        }
        Lang::It => {
            ftl!("it": "admin.ftl", "errors.ftl", "details.ftl", "admin-people.ftl", "admin-monitor.ftl", "admin-tenantadmin.ftl", "portal.ftl")
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    let id: LanguageIdentifier = lang.tag().parse().expect("the tags above are valid BCP 47");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: they would end up inside HTML text and
    // attribute values, and every argument here is plain text in the page's direction.
    bundle.set_use_isolating(false);
    for (file, text) in sources(lang) {
        // A syntax error is caught by the tests (`every_ftl_file_parses`); at run time the
        // entries that did parse are still used.
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, errors)| {
            tracing::error!(lang = lang.tag(), file, errors = errors.len(), "locale file has syntax errors");
            partial
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(lang = lang.tag(), file, errors = errors.len(), "locale file repeats message ids");
        }
    }
    bundle
}

static BUNDLES: LazyLock<Vec<(Lang, Bundle)>> = LazyLock::new(|| Lang::ALL.into_iter().map(|l| (l, build(l))).collect());

fn bundle(lang: Lang) -> &'static Bundle {
    &BUNDLES.iter().find(|(l, _)| *l == lang).expect("a bundle per language").1
}

/// A UI string in `lang`, with named arguments; English when the language lacks it, the key
/// itself when English does too (the key test keeps both from happening).
pub fn text(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let args = (!args.is_empty()).then(|| {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(*k, v.clone());
        }
        a
    });
    for l in [lang, Lang::En] {
        let b = bundle(l);
        if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
            let mut errors = vec![];
            return b.format_pattern(pattern, args.as_ref(), &mut errors).into_owned();
        }
    }
    key.to_string()
}

/// Whether `lang`'s own files define this message (no fallback): for the key tests.
pub fn has_message(lang: Lang, key: &str) -> bool {
    bundle(lang).get_message(key).is_some_and(|m| m.value().is_some())
}

/// Whether `lang`'s own files define this message with this attribute.
pub fn has_attribute(lang: Lang, key: &str, attribute: &str) -> bool {
    bundle(lang).get_message(key).and_then(|m| m.get_attribute(attribute)).is_some()
}

/// A catalogue error's reason and remedy in `lang`: English from the Rust catalogue, other
/// languages from `err-<code>` and its `.remedy` (English if a translation is missing).
pub fn error_texts(lang: Lang, code: ErrorCode) -> (String, String) {
    let english = || (code.reason().to_string(), code.remedy().to_string());
    if lang == Lang::En {
        return english();
    }
    let b = bundle(lang);
    let Some(msg) = b.get_message(&format!("err-{}", code.code())) else { return english() };
    let mut errors = vec![];
    let reason = msg.value().map(|p| b.format_pattern(p, None, &mut errors).into_owned());
    let remedy = msg.get_attribute("remedy").map(|a| b.format_pattern(a.value(), None, &mut errors).into_owned());
    match (reason, remedy) {
        (Some(reason), Some(remedy)) => (reason, remedy),
        _ => english(),
    }
}

/// A refusal's specific detail in `lang`: English from the Rust catalogue, other languages from
/// `detail-<code>` with the detail's arguments (English if a translation is missing).
pub fn detail_text(lang: Lang, detail: &Detail) -> String {
    let key = format!("detail-{}", detail.code.code());
    if lang == Lang::En || !has_message(lang, &key) {
        return detail.english();
    }
    let args: Vec<(&str, FluentValue<'_>)> = detail.args.iter().map(|(k, v)| (k.as_str(), FluentValue::from(v.as_str()))).collect();
    text(lang, &key, &args)
}

/// Every message id a language's own files define (for the key tests).
pub fn message_ids(lang: Lang, file: &str) -> Vec<String> {
    use fluent_syntax::ast::Entry;
    sources(lang)
        .iter()
        .filter(|(f, _)| *f == file)
        .flat_map(|(_, text)| {
            let resource = fluent_syntax::parser::parse(*text).unwrap_or_else(|(partial, _)| partial);
            resource
                .body
                .into_iter()
                .filter_map(|entry| match entry {
                    Entry::Message(m) => Some(m.id.name.to_string()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
