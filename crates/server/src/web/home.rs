//! Home: the counts an admin looks at first — devices by platform, pending and failed actions,
//! how many devices could not be reset right now — and two small charts drawn on the server as
//! inline SVG (no script): actions per day over 30 days by outcome, readiness by reason. Each
//! chart's numbers are also on the page as text (a table, the bar labels).

use super::i18n::{self, Lang};
use super::labels;
use super::page;
use super::principal::AdminUser;
use super::readiness::{reason_bars, ReasonBar};
use crate::app::readiness::DEFAULT_STALE_DAYS;
use crate::app::view::ReadAllDevices;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Duration, NaiveDate};
use pinreset_core::device::Platform;
use pinreset_core::ActionState;
use pinreset_store::ActionCounts;
use serde::Serialize;

/// Days the actions chart covers, today included.
pub const DAYS: i64 = 30;
/// The chart's drawing box (viewBox units): one bar per day.
const BAR_STEP: u64 = 10;
const BAR_WIDTH: u64 = 8;
const CHART_HEIGHT: u64 = 100;

#[derive(Serialize)]
struct PlatformCount {
    label: String,
    devices: u64,
}

/// One stacked segment of a day's bar.
#[derive(Serialize)]
struct Segment {
    class: &'static str,
    y: u64,
    height: u64,
}

#[derive(Serialize, Default)]
struct Day {
    date: String,
    x: u64,
    succeeded: u64,
    failed: u64,
    other: u64,
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct HomePage {
    #[serde(flatten)]
    chrome: page::Chrome,
    devices: u64,
    platforms: Vec<PlatformCount>,
    pending: u64,
    failed: u64,
    failed_recent: u64,
    not_ready: u64,
    stale_days: u32,
    days: Vec<Day>,
    chart_width: u64,
    bar_width: u64,
    chart_height: u64,
    actions_recent: u64,
    first_day: String,
    last_day: String,
    bars: Vec<ReasonBar>,
}

/// Which stack an action state belongs to: succeeded, failed, or pending and everything else.
fn stack(s: ActionState) -> usize {
    match s {
        ActionState::Succeeded => 0,
        ActionState::Failed => 1,
        _ => 2,
    }
}

/// The 30 days ending `today`, each with its counts and its bar's segments scaled to the
/// busiest day (succeeded at the bottom, then failed, then pending or other).
fn days(counts: &ActionCounts, today: NaiveDate) -> Vec<Day> {
    let first = today - Duration::days(DAYS - 1);
    let mut days: Vec<Day> = (0..DAYS)
        .map(|i| {
            let date = first + Duration::days(i);
            Day { date: date.format("%Y-%m-%d").to_string(), x: i as u64 * BAR_STEP + 1, ..Day::default() }
        })
        .collect();
    for (date, state, n) in &counts.by_day {
        let Ok(i) = usize::try_from((*date - first).num_days()) else { continue };
        let Some(day) = days.get_mut(i) else { continue };
        match stack(*state) {
            0 => day.succeeded += n,
            1 => day.failed += n,
            _ => day.other += n,
        }
    }
    let max = days.iter().map(|d| d.succeeded + d.failed + d.other).max().unwrap_or(0).max(1);
    for day in &mut days {
        let mut top = CHART_HEIGHT;
        for (class, n) in [("seg-ok", day.succeeded), ("seg-bad", day.failed), ("seg-other", day.other)] {
            if n == 0 {
                continue;
            }
            // At least one unit tall, so a single action on a busy chart is still visible.
            let height = (n * CHART_HEIGHT / max).max(1);
            top = top.saturating_sub(height);
            day.segments.push(Segment { class, y: top, height });
        }
    }
    days
}

pub async fn show(State(state): State<AppState>, user: AdminUser) -> Response {
    let lang: Lang = user.lang();
    let chrome = user.chrome("home");
    let view = state.view(user.actor.clone());
    let data = async {
        let granted = view.grant::<ReadAllDevices>()?;
        let today = granted.now().date_naive();
        let since = (today - Duration::days(DAYS - 1)).and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        let counts = granted.action_counts(since).await?;
        // The figures only (one aggregate), never the report's rows: cheap at any fleet size.
        let readiness = granted.readiness_summary(DEFAULT_STALE_DAYS).await?;
        Ok::<_, crate::error::AppError>((today, counts, readiness))
    };
    let (today, counts, readiness) = match data.await {
        Ok(d) => d,
        Err(e) => return page::error(&chrome, &e),
    };
    let sum = |f: &dyn Fn(ActionState) -> bool| counts.by_state.iter().filter(|(s, _)| f(*s)).map(|(_, n)| n).sum::<u64>();
    let days = days(&counts, today);
    let platforms = Platform::ALL
        .into_iter()
        .filter_map(|p| {
            let n = readiness.by_platform.get(p.as_str()).copied().unwrap_or(0);
            (n > 0).then(|| PlatformCount { label: i18n::text(lang, &labels::platform(p), &[]), devices: n })
        })
        .collect();
    let ctx = HomePage {
        chrome,
        devices: readiness.devices,
        platforms,
        pending: sum(&|s| s.is_pending()),
        failed: sum(&|s| s == ActionState::Failed),
        failed_recent: days.iter().map(|d| d.failed).sum(),
        not_ready: readiness.not_ready_devices,
        stale_days: readiness.stale_days,
        actions_recent: days.iter().map(|d| d.succeeded + d.failed + d.other).sum(),
        first_day: days.first().map(|d| d.date.clone()).unwrap_or_default(),
        last_day: days.last().map(|d| d.date.clone()).unwrap_or_default(),
        chart_width: DAYS as u64 * BAR_STEP,
        chart_height: CHART_HEIGHT,
        bar_width: BAR_WIDTH,
        days,
        bars: reason_bars(&readiness, lang),
    };
    page::render(StatusCode::OK, "home.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_stacks_succeeded_failed_and_other_scaled_to_the_busiest_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let counts = ActionCounts {
            by_state: vec![],
            by_day: vec![
                (today, ActionState::Succeeded, 2),
                (today, ActionState::Failed, 1),
                (today, ActionState::Queued, 1),
                (today - Duration::days(1), ActionState::Expired, 1),
                (today - Duration::days(45), ActionState::Failed, 9),
            ],
        };
        let d = days(&counts, today);
        assert_eq!(d.len(), 30);
        let last = &d[29];
        assert_eq!((last.succeeded, last.failed, last.other), (2, 1, 1));
        let seg: Vec<_> = last.segments.iter().map(|s| (s.class, s.y, s.height)).collect();
        assert_eq!(seg, [("seg-ok", 50, 50), ("seg-bad", 25, 25), ("seg-other", 0, 25)]);
        assert_eq!(d[28].other, 1, "expired counts as other");
        assert!(d.iter().all(|d| d.failed <= 1), "a day outside the window is left out");
    }
}
