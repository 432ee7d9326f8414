//! Single sign-on by OpenID Connect (authorization code + PKCE): the HTTP client that talks to
//! the tenants' providers and the discovery cache. The decisions — which tenant, which user,
//! how fresh the sign-in is — live in `app::sso`; verification of ID tokens (signature, `iss`,
//! `aud`, `nonce`, expiry) is the `openidconnect` crate's.

use crate::error::AppError;
use openidconnect::core::CoreProviderMetadata;
use openidconnect::IssuerUrl;
use pinreset_core::{Detail, DetailCode, ErrorCode};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a provider's discovery document (and its signing keys) is reused; a provider that
/// rotates keys is read again after this, or at once when a token does not verify.
const DISCOVERY_TTL: Duration = Duration::from_secs(15 * 60);
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

pub struct OidcHttp {
    /// Never follows redirects (a provider that redirects its token endpoint could make the
    /// server send the code and client secret elsewhere).
    pub client: reqwest::Client,
    discovered: Mutex<HashMap<String, (CoreProviderMetadata, Instant)>>,
}

impl OidcHttp {
    /// `ca_file`: extra trust for providers behind a private CA (`--oidc-ca-file`, PEM).
    pub fn new(ca_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(HTTP_TIMEOUT);
        if let Some(path) = ca_file {
            let pem = std::fs::read(path).map_err(|e| anyhow::anyhow!("reading --oidc-ca-file {}: {e}", path.display()))?;
            for cert in reqwest::Certificate::from_pem_bundle(&pem)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        Ok(OidcHttp { client: builder.build()?, discovered: Mutex::new(HashMap::new()) })
    }

    /// The provider's metadata and keys, from the cache or its discovery document. `fresh`
    /// skips the cache (a token signed by a key we have not seen yet).
    pub async fn provider(&self, issuer: &str, fresh: bool) -> Result<CoreProviderMetadata, AppError> {
        if !fresh {
            let cached = self.discovered.lock().expect("not poisoned").get(issuer).filter(|(_, at)| at.elapsed() < DISCOVERY_TTL).cloned();
            if let Some((meta, _)) = cached {
                return Ok(meta);
            }
        }
        let unreachable = |problem: String| {
            tracing::warn!(issuer, problem = %problem, "OpenID provider discovery failed");
            AppError::with_detail(
                ErrorCode::SsoProviderUnreachable,
                Detail::new(DetailCode::SsoDiscovery, [("issuer", issuer.to_string()), ("problem", problem)]),
            )
        };
        let url = IssuerUrl::new(issuer.to_string()).map_err(|e| unreachable(e.to_string()))?;
        // The crate checks that the document names this very issuer.
        let meta = CoreProviderMetadata::discover_async(url, &self.client).await.map_err(|e| unreachable(error_chain(&e)))?;
        self.discovered.lock().expect("not poisoned").insert(issuer.to_string(), (meta.clone(), Instant::now()));
        Ok(meta)
    }
}

/// An error and its causes on one line (the crate's errors nest the useful part).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
