//! The tenant's Android Enterprise binding (tenant admins only): what pinreset needs to call
//! Google's Android Management API for the organisation, and the device list sync. The
//! service-account key is sealed (`TenantSecret::AmapiServiceAccountKey`) and never shown,
//! logged or audited; the audit names the enterprise only.

use super::view::{Granted, ManageTenant};
use super::{audit, scope};
use crate::channels::android::amapi::{binding, google::ServiceAccountKey, sync};
use crate::error::AppError;
use pinreset_core::android_enterprise::{self as ae, AndroidEnterprise};
use pinreset_core::{AuditKind, Detail, DetailCode, ErrorCode, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AndroidEnterpriseInput {
    /// The Google Cloud project of the service account, e.g. `my-project-123`.
    pub project_id: String,
    /// `enterprises/LC0…`.
    pub enterprise_name: String,
    /// The service account's key file (its JSON as an object, or as text). Needed to bind;
    /// when re-binding, leave it out to keep the stored one. Stored sealed; never shown again.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub service_account_key: Option<Value>,
    /// Default `https://androidmanagement.googleapis.com`.
    #[serde(default)]
    pub amapi_url: Option<String>,
    /// Default `https://pubsub.googleapis.com`.
    #[serde(default)]
    pub pubsub_url: Option<String>,
    /// `projects/P/subscriptions/S`: a pull subscription of the enterprise's notification
    /// topic; without one, outcomes come from polling operations only.
    #[serde(default)]
    pub pubsub_subscription: Option<String>,
    /// Pace of `operations.get` (1–6000 a minute, default 60).
    #[serde(default)]
    pub operations_per_minute: Option<u32>,
    /// Seconds between two looks at one pending operation (1–3600, default 60).
    #[serde(default)]
    pub operation_check_seconds: Option<u32>,
    /// How long a command stays valid (`Command.duration`, 10–604800 s, default 600); pinreset
    /// gives up on an operation not done by then.
    #[serde(default)]
    pub command_duration_seconds: Option<u32>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AndroidEnterpriseView {
    #[serde(flatten)]
    pub settings: AndroidEnterprise,
    /// Whether a service-account key is stored (it is never shown).
    pub service_account_key_set: bool,
}

fn not_bound() -> AppError {
    AppError::with_detail(ErrorCode::NotFound, Detail::plain(DetailCode::AndroidEnterpriseNotBound))
}

fn in_range(field: &str, value: Option<u32>, default: u32, min: u32, max: u32) -> Result<u32, AppError> {
    let v = value.unwrap_or(default);
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        Err(AppError::invalid(Detail::new(
            DetailCode::FieldOutOfRange,
            [("field", field.into()), ("min", min.to_string()), ("max", max.to_string())],
        )))
    }
}

pub async fn show(g: &Granted<'_, ManageTenant>) -> Result<AndroidEnterpriseView, AppError> {
    let tenant = scope::tenant_of(g.state, g.actor).await?;
    let settings = tenant.android_enterprise.ok_or_else(not_bound)?;
    let service_account_key_set = binding::key_json(g.state, tenant.id).await?.is_some();
    Ok(AndroidEnterpriseView { settings, service_account_key_set })
}

/// Bind (or re-bind) the tenant's enterprise. Everything is checked before anything is written;
/// nothing is sent to Google here (`sync` does).
pub async fn bind(
    g: &Granted<'_, ManageTenant>,
    input: AndroidEnterpriseInput,
    rid: Option<String>,
) -> Result<AndroidEnterpriseView, AppError> {
    let (state, actor) = (g.state, g.actor);
    let project_id = input.project_id.trim().to_string();
    let enterprise_name = input.enterprise_name.trim().to_string();
    ae::check_project_id(&project_id).map_err(AppError::invalid)?;
    ae::check_enterprise_name(&enterprise_name).map_err(AppError::invalid)?;
    let url = |field: &str, v: Option<String>, default: &str| {
        ae::check_base_url(field, v.as_deref().filter(|u| !u.trim().is_empty()).unwrap_or(default)).map_err(AppError::invalid)
    };
    let amapi_url = url("amapi_url", input.amapi_url, ae::DEFAULT_AMAPI_URL)?;
    let pubsub_url = url("pubsub_url", input.pubsub_url, ae::DEFAULT_PUBSUB_URL)?;
    let pubsub_subscription = input.pubsub_subscription.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(s) = &pubsub_subscription {
        ae::check_subscription(s).map_err(AppError::invalid)?;
    }
    let operations_per_minute = in_range("operations_per_minute", input.operations_per_minute, ae::DEFAULT_OPERATIONS_PER_MINUTE, 1, 6000)?;
    let operation_check_seconds =
        in_range("operation_check_seconds", input.operation_check_seconds, ae::DEFAULT_OPERATION_CHECK_SECONDS, 1, 3600)?;
    let command_duration_seconds =
        in_range("command_duration_seconds", input.command_duration_seconds, ae::DEFAULT_COMMAND_DURATION_SECONDS, 10, 604_800)?;
    let tenant = scope::tenant_of(state, actor).await?;
    let key_text = match input.service_account_key {
        Some(Value::String(text)) => Secret::new(text),
        Some(obj @ Value::Object(_)) => Secret::new(obj.to_string()),
        Some(_) => {
            return Err(AppError::invalid(Detail::new(
                DetailCode::ServiceAccountKey,
                [("problem", "it must be the key file's JSON".into())],
            )))
        }
        // Re-binding without a new key keeps the stored one.
        None => binding::key_json(state, tenant.id)
            .await?
            .ok_or_else(|| AppError::invalid(Detail::field(DetailCode::FieldEmpty, "service_account_key")))?,
    };
    let key = ServiceAccountKey::parse(key_text.expose())?;
    let settings = AndroidEnterprise {
        project_id,
        enterprise_name,
        service_account: key.client_email.clone(),
        amapi_url,
        pubsub_url,
        pubsub_subscription,
        operations_per_minute,
        operation_check_seconds,
        command_duration_seconds,
    };
    let outcome = format!("android_enterprise_bound:{}:{}", settings.enterprise_name, settings.service_account);
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, outcome, rid);
    state.store.update_tenant_android_enterprise(tenant.id, Some((&settings, &key_text)), &event).await?;
    Ok(AndroidEnterpriseView { settings, service_account_key_set: true })
}

/// Unbind: the key is destroyed; the devices stay (their AMAPI actions wait until a binding
/// comes back or they expire).
pub async fn unbind(g: &Granted<'_, ManageTenant>, rid: Option<String>) -> Result<(), AppError> {
    let (state, actor) = (g.state, g.actor);
    let tenant = scope::tenant_of(state, actor).await?;
    let event =
        audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, "android_enterprise_unbound", rid);
    state.store.update_tenant_android_enterprise(tenant.id, None, &event).await?;
    Ok(())
}

/// List the enterprise's devices now and bring pinreset's records up to date.
pub async fn sync_devices(g: &Granted<'_, ManageTenant>, rid: Option<String>) -> Result<sync::SyncReport, AppError> {
    let (state, actor) = (g.state, g.actor);
    let tenant = scope::tenant_of(state, actor).await?;
    let bound = binding::load(state, tenant.id).await?.ok_or_else(not_bound)?;
    let report = sync::sync(state, &tenant, &bound).await?;
    let outcome = format!("android_enterprise_synced:{} listed, {} created, {} updated", report.listed, report.created, report.updated);
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, outcome, rid);
    state.store.append_audit(&[event]).await?;
    Ok(report)
}
