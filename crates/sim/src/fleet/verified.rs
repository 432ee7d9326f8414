//! Time from request to verified success, as the server recorded it (`requested_at` to the
//! success's `updated_at`), for the actions the fleet's devices completed.

use super::{FleetSpec, Member};
use crate::error::SimError;
use std::collections::BTreeSet;
use std::time::Duration;

#[derive(Clone, Debug, Default)]
pub struct Verified {
    /// One per succeeded action, sorted.
    pub times: Vec<Duration>,
    /// Actions of the fleet's devices not (yet) succeeded, by state.
    pub other_states: std::collections::BTreeMap<String, usize>,
}

/// The `p`-th percentile (0–100) of sorted `times` (nearest rank).
pub fn percentile(times: &[Duration], p: f64) -> Option<Duration> {
    if times.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * times.len() as f64).ceil().max(1.0) as usize;
    Some(times[rank.min(times.len()) - 1])
}

async fn get(admin: &reqwest::Client, spec: &FleetSpec, path: &str) -> Result<serde_json::Value, SimError> {
    let token = spec.token.as_deref().unwrap_or_default();
    let url = format!("{}/api/v1{path}", spec.server.trim_end_matches('/'));
    let response = admin.get(&url).bearer_auth(token).send().await?;
    if !response.status().is_success() {
        let status = response.status().as_u16();
        return Err(SimError::HttpStatus { url, status, body: response.text().await.unwrap_or_default() });
    }
    Ok(response.json().await?)
}

/// Every action of the devices that received a command: Apple commands name their action
/// (`<action id>.<step>`); a Windows device's actions are listed by its pinreset id.
pub async fn time_to_verified(admin: &reqwest::Client, spec: &FleetSpec, members: &[Member]) -> Result<Verified, SimError> {
    use futures_util::StreamExt;
    if spec.token.is_none() {
        return Ok(Verified::default());
    }
    let mut action_ids = BTreeSet::new();
    let mut windows = Vec::new();
    for m in members {
        if let Some(apple) = m.apple() {
            // Only commands of actions (`<action id>.<step>`): not the inventory queries.
            let ids = apple.history.iter().filter_map(|a| a.uuid.split_once('.').map(|(id, _)| id));
            action_ids.extend(ids.filter(|id| id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')).map(str::to_string));
        } else if let (Some(_), Some(id)) = (m.windows(), m.identifier()) {
            windows.push(id.to_string());
        }
    }
    let lookups = futures_util::stream::iter(windows.into_iter().map(|device| async move {
        let query: String = device.chars().map(|c| if c == ' ' { '+' } else { c }).collect();
        let page = get(admin, spec, &format!("/devices?search={query}&limit=500")).await?;
        let found = page["items"].as_array().and_then(|items| items.iter().find(|d| d["name"].as_str() == Some(device.as_str())));
        let Some(id) = found.and_then(|d| d["id"].as_str()).map(str::to_owned) else { return Ok(Vec::new()) };
        let actions = get(admin, spec, &format!("/devices/{id}/actions")).await?;
        Ok::<_, SimError>(actions.as_array().cloned().unwrap_or_default())
    }))
    .buffer_unordered(spec.concurrency.clamp(1, 16));
    let mut actions: Vec<serde_json::Value> = Vec::new();
    for found in lookups.collect::<Vec<_>>().await {
        actions.extend(found?);
    }
    let reads =
        futures_util::stream::iter(action_ids.into_iter().map(|id| async move { get(admin, spec, &format!("/actions/{id}")).await }))
            .buffer_unordered(spec.concurrency.clamp(1, 16));
    for read in reads.collect::<Vec<_>>().await {
        actions.push(read?);
    }
    let mut out = Verified::default();
    for a in actions {
        let state = a["state"].as_str().unwrap_or("unknown").to_string();
        let at = |k: &str| a[k].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        match (state.as_str(), at("requested_at"), at("updated_at")) {
            ("succeeded", Some(from), Some(to)) => out.times.push((to - from).to_std().unwrap_or_default()),
            _ => *out.other_states.entry(state).or_default() += 1,
        }
    }
    out.times.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let t: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&t, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&t, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&t, 100.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
