//! Single sign-on by OpenID Connect, as a service the doors share: a tenant admin sets up the
//! provider; a person signs in through it (authorization code + PKCE, `state` and `nonce`);
//! the ID token is verified (signature, `iss`, `aud`, `nonce`, expiry — the `openidconnect`
//! crate) and its login claim names the user; the session's `authenticated_at` is the
//! provider's `auth_time`, so the step-up rule measures the real sign-in.

use super::sessions::{self, Started};
use super::view::{Granted, ManageTenant};
use super::{audit, scope};
use crate::error::AppError;
use crate::oidc::error_chain;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    Scope, TokenResponse,
};
use pinreset_core::{AuditKind, Detail, DetailCode, ErrorCode, Secret, SsoSettings, TenantId, TenantSecret, User};
use pinreset_store::{NewSecret, SecretKey, SecretLookup};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A sign-in must come back from the provider within this time.
const SIGN_IN_MINUTES: i64 = 10;
/// The path the provider sends the browser back to (register `https://HOST/auth/oidc/callback`).
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoInput {
    /// `https://…` (`http://` only on a loopback address).
    pub issuer: String,
    pub client_id: String,
    /// Stored sealed; never shown again.
    pub client_secret: String,
    /// The ID token claim naming the user (login or email); default `email`.
    #[serde(default)]
    pub login_claim: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SsoView {
    pub issuer: String,
    pub client_id: String,
    pub login_claim: String,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
}

fn view_of(state: &AppState, s: &SsoSettings) -> SsoView {
    SsoView {
        issuer: s.issuer.clone(),
        client_id: s.client_id.clone(),
        login_claim: s.login_claim.clone(),
        redirect_uri: redirect_uri(state),
    }
}

fn redirect_uri(state: &AppState) -> String {
    format!("{}{CALLBACK_PATH}", state.public_url)
}

pub async fn show(g: &Granted<'_, ManageTenant>) -> Result<Option<SsoView>, AppError> {
    Ok(scope::tenant_of(g.state, g.actor).await?.sso.as_ref().map(|s| view_of(g.state, s)))
}

/// Set up (or replace) the tenant's provider. The issuer is discovered first: a provider that
/// cannot be reached, or does not call itself by that issuer, is refused and nothing changes.
pub async fn configure(g: &Granted<'_, ManageTenant>, input: SsoInput, rid: Option<String>) -> Result<SsoView, AppError> {
    let (state, actor) = (g.state, g.actor);
    let settings = SsoSettings::new(&input.issuer, &input.client_id, input.login_claim.as_deref()).map_err(AppError::invalid)?;
    pinreset_core::text::check_input("client_secret", &input.client_secret).map_err(AppError::invalid)?;
    if input.client_secret.trim().is_empty() {
        return Err(AppError::invalid(Detail::field(DetailCode::FieldEmpty, "client_secret")));
    }
    state.oidc.provider(&settings.issuer, true).await?;
    let tenant = scope::tenant_of(state, actor).await?;
    let event = audit::for_tenant(
        state.clock.now(),
        tenant.id,
        audit::by(actor),
        AuditKind::SettingsChanged,
        format!("sso_configured:{}", settings.issuer),
        rid,
    );
    let secret = Secret::new(input.client_secret.trim());
    state.store.update_tenant_sso(tenant.id, Some((&settings, &secret)), &event).await?;
    Ok(view_of(state, &settings))
}

pub async fn remove(g: &Granted<'_, ManageTenant>, rid: Option<String>) -> Result<(), AppError> {
    let (state, actor) = (g.state, g.actor);
    let tenant = scope::tenant_of(state, actor).await?;
    let event = audit::for_tenant(state.clock.now(), tenant.id, audit::by(actor), AuditKind::SettingsChanged, "sso_removed", rid);
    state.store.update_tenant_sso(tenant.id, None, &event).await?;
    Ok(())
}

/// Tenants whose people can sign in through their provider (for the sign-in page's buttons).
pub async fn tenants_with_sso(state: &AppState) -> Result<Vec<(TenantId, String)>, AppError> {
    Ok(state.store.list_tenants().await?.into_iter().filter(|t| t.sso.is_some()).map(|t| (t.id, t.display_name)).collect())
}

/// What the browser carries between the two legs (sealed in the store, keyed by `sign_in_id`
/// in a cookie): nothing of it ever travels in a URL except `state` and the challenge.
#[derive(Serialize, Deserialize)]
struct Pending {
    tenant_id: TenantId,
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    started_at: DateTime<Utc>,
    /// A portal step-up in progress (`step_up::ask`'s ticket): the provider was asked for a new
    /// sign-in, and the callback checks that it really was one.
    #[serde(default)]
    step_up: Option<uuid::Uuid>,
}

pub struct Begun {
    /// Goes into the browser's cookie; the callback needs it back.
    pub sign_in_id: uuid::Uuid,
    /// Where to send the browser.
    pub authorize_url: String,
}

/// A client built from discovery: authorization set, token and UserInfo as the provider has them.
type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

async fn client_for(state: &AppState, tenant: TenantId, fresh_keys: bool) -> Result<(Client, SsoSettings), AppError> {
    let tenant = state.store.tenant(tenant).await?.ok_or_else(|| AppError::code(ErrorCode::SsoNotConfigured))?;
    let settings = tenant.sso.ok_or_else(|| AppError::code(ErrorCode::SsoNotConfigured))?;
    let secret = match state.store.secret(&SecretKey::Tenant(tenant.id, TenantSecret::OidcClientSecret), state.clock.now()).await? {
        SecretLookup::Available { secret, .. } => secret,
        _ => return Err(AppError::code(ErrorCode::SsoNotConfigured)),
    };
    let meta = state.oidc.provider(&settings.issuer, fresh_keys).await?;
    let redirect = RedirectUrl::new(redirect_uri(state)).map_err(|e| AppError::internal("OIDC redirect URI", e))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(secret.expose().to_string())),
    )
    .set_redirect_uri(redirect);
    Ok((client, settings))
}

/// Start a sign-in at `tenant`'s provider; `next` is where the browser goes afterwards. With a
/// step-up ticket the provider is asked to sign the person in anew (`prompt=login`,
/// `max_age=0`) — asked only: `complete` checks the answer's `auth_time` itself.
pub async fn begin(state: &AppState, tenant: TenantId, next: &str, step_up: Option<uuid::Uuid>) -> Result<Begun, AppError> {
    let (client, _) = client_for(state, tenant, false).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge);
    if step_up.is_some() {
        request = request.add_prompt(openidconnect::core::CoreAuthPrompt::Login).set_max_age(std::time::Duration::ZERO);
    }
    let (url, csrf, nonce) = request.url();
    let now = state.clock.now();
    let pending = Pending {
        tenant_id: tenant,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: next.to_string(),
        started_at: now,
        step_up,
    };
    let sign_in_id = uuid::Uuid::new_v4();
    let sealed = Secret::new(serde_json::to_string(&pending).map_err(|e| AppError::internal("OIDC sign-in state", e))?);
    let expires_at = Some(now + chrono::Duration::minutes(SIGN_IN_MINUTES));
    state.store.put_secret(NewSecret { key: SecretKey::SignIn(sign_in_id), secret: &sealed, expires_at }).await?;
    Ok(Begun { sign_in_id, authorize_url: url.to_string() })
}

/// What the provider sent the browser back with.
#[derive(Deserialize, Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

fn refused(detail: Detail) -> AppError {
    tracing::warn!(reason = %detail, "single sign-on refused");
    AppError::with_detail(ErrorCode::SsoRefused, detail)
}

fn token_invalid(problem: impl Into<String>) -> AppError {
    refused(Detail::new(DetailCode::SsoTokenInvalid, [("problem", problem.into())]))
}

/// Finish a sign-in: the pending state is spent (a callback is accepted once), the code is
/// exchanged with the PKCE verifier, the ID token verified, the user found by the login claim.
/// Returns the new session and where the browser goes next.
pub async fn complete(
    state: &AppState,
    sign_in_id: Option<uuid::Uuid>,
    cb: Callback,
    client_addr: std::net::IpAddr,
    rid: Option<String>,
) -> Result<(Started, String), AppError> {
    let mismatch = || refused(Detail::plain(DetailCode::SsoStateMismatch));
    let id = sign_in_id.ok_or_else(mismatch)?;
    let taken = state.store.take_secret(&SecretKey::SignIn(id), state.clock.now()).await?.ok_or_else(mismatch)?;
    let pending: Pending = serde_json::from_str(taken.expose()).map_err(|_| mismatch())?;
    let returned = cb.state.unwrap_or_default();
    if !crate::auth::digests_equal(returned.as_bytes(), pending.state.as_bytes()) {
        return Err(mismatch());
    }
    if let Some(error) = cb.error {
        let error: String = error.chars().filter(|c| c.is_ascii_graphic()).take(64).collect();
        return Err(refused(Detail::new(DetailCode::SsoProviderError, [("error", error)])));
    }
    let code = cb.code.filter(|c| !c.is_empty()).ok_or_else(mismatch)?;
    let (client, settings) = client_for(state, pending.tenant_id, false).await?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| token_invalid(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&state.oidc.client)
        .await
        .map_err(|e| token_invalid(error_chain(&e)))?;
    let id_token = token.id_token().ok_or_else(|| token_invalid("the token answer has no ID token"))?;
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
        Ok(claims) => claims.clone(),
        // A key we have not seen: the provider may have rotated its keys; read them again once.
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
            let (fresh, _) = client_for(state, pending.tenant_id, true).await?;
            let verifier = fresh.id_token_verifier();
            let verified = id_token.claims(&verifier, &nonce).map_err(|e| token_invalid(error_chain(&e)))?.clone();
            verified
        }
        Err(e) => return Err(token_invalid(error_chain(&e))),
    };
    let value = match claim_value(&settings.login_claim, &claims, &id_token.to_string()) {
        Some(v) => Some(v),
        // Providers that follow the spec to the letter put profile claims only in UserInfo
        // when an access token is issued; ask there, for the same subject.
        None => userinfo_value(state, &client, &settings.login_claim, token.access_token(), claims.subject()).await,
    }
    .ok_or_else(|| refused(Detail::new(DetailCode::SsoClaimMissing, [("claim", settings.login_claim.clone())])))?;
    let user = user_named(state, pending.tenant_id, &value).await?;
    // The provider's own time of the sign-in; a provider that does not say (auth_time is only
    // required when asked for) is taken to have signed the person in when it issued the token.
    let authenticated_at = claims.auth_time().unwrap_or_else(|| claims.issue_time());
    let Some(ticket) = pending.step_up else {
        let started = sessions::open(state, user, authenticated_at, "session_started:oidc", rid).await?;
        return Ok((started, pending.next));
    };
    // A step-up counts only the provider's own word on when the person signed in, after they
    // asked and inside the window; otherwise no session at all (the page says why).
    let origin = super::step_up::Origin { session: None, client: client_addr, request_id: rid.clone() };
    let Some(signed_in) = claims.auth_time() else {
        super::step_up::discard(state, ticket).await?;
        return Err(AppError::with_detail(ErrorCode::ReauthRequired, Detail::plain(DetailCode::StepUpNoAuthTime)));
    };
    let ticket = super::step_up::check(state, ticket, &user, signed_in, &origin).await?;
    let login = user.login.clone();
    let started = sessions::open(state, user, signed_in, "session_started:oidc", rid).await?;
    let origin = super::step_up::Origin { session: Some(started.session.id), ..origin };
    super::step_up::grant(state, &ticket, &started.session, &login, &origin).await?;
    Ok((started, pending.next))
}

/// The login claim's value: the standard claims by their accessors, any other from the token's
/// payload (already verified above, so reading it is safe).
fn claim_value(claim: &str, claims: &openidconnect::core::CoreIdTokenClaims, jwt: &str) -> Option<String> {
    let standard = match claim {
        "sub" => Some(claims.subject().to_string()),
        "email" => claims.email().map(|e| e.to_string()),
        "preferred_username" => claims.preferred_username().map(|u| u.to_string()),
        _ => None,
    };
    standard
        .or_else(|| {
            use base64::Engine as _;
            let payload = jwt.split('.').nth(1)?;
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).ok()?;
            let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
            json.get(claim)?.as_str().map(str::to_string)
        })
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A standard claim from the provider's UserInfo endpoint (the crate checks the answer is about
/// `subject`); `None` when the provider has no such endpoint or claim.
async fn userinfo_value(
    state: &AppState,
    client: &Client,
    claim: &str,
    access_token: &openidconnect::AccessToken,
    subject: &openidconnect::SubjectIdentifier,
) -> Option<String> {
    let request = client.user_info(access_token.clone(), Some(subject.clone())).ok()?;
    let info: openidconnect::core::CoreUserInfoClaims = match request.request_async(&state.oidc.client).await {
        Ok(info) => info,
        Err(e) => {
            tracing::warn!(problem = %error_chain(&e), "OpenID UserInfo request failed");
            return None;
        }
    };
    match claim {
        "email" => info.email().map(|e| e.to_string()),
        "preferred_username" => info.preferred_username().map(|u| u.to_string()),
        "sub" => Some(info.subject().to_string()),
        _ => None,
    }
    .map(|v| v.trim().to_string())
    .filter(|v| !v.is_empty())
}

/// The tenant's enabled user whose login or email is `value` (case-insensitive).
async fn user_named(state: &AppState, tenant: TenantId, value: &str) -> Result<User, AppError> {
    let unknown = || {
        let shown: String = value.chars().take(100).collect();
        AppError::with_detail(ErrorCode::SsoUnknownUser, Detail::new(DetailCode::SsoNoSuchUser, [("value", shown)]))
    };
    pinreset_core::text::check_input("login", value).map_err(|_| unknown())?;
    let account = state
        .store
        .list_accounts(tenant)
        .await?
        .into_iter()
        .find(|a| a.user.login.eq_ignore_ascii_case(value) || a.user.email.eq_ignore_ascii_case(value))
        .ok_or_else(unknown)?;
    if account.disabled {
        return Err(unknown());
    }
    Ok(account.user)
}
