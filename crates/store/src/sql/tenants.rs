use super::secrets::upsert_secret;
use super::{audit::insert_audit, db_err, docs, to_doc, SqlStore};
use crate::ports::{NewSecret, SecretKey, StoreError, StoreResult, TenantStore};
use async_trait::async_trait;
use pinreset_core::{MailSettings, NewAuditEvent, Secret, SsoSettings, Tenant, TenantId, TenantSecret, TenantSettings};
use sqlx::{Any, Transaction};

/// Read-modify-write of the tenant document inside `tx`: the row is locked (PostgreSQL) —
/// SQLite's IMMEDIATE transaction already holds the only write lock.
async fn modify(store: &SqlStore, tx: &mut Transaction<'_, Any>, id: TenantId, change: impl FnOnce(&mut Tenant)) -> StoreResult<()> {
    let lock = if store.backend == super::Backend::Postgres { " FOR UPDATE" } else { "" };
    let rows = sqlx::query(&format!("SELECT doc FROM tenants WHERE id = $1{lock}"))
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await
        .map_err(db_err)?;
    let mut tenant: Tenant = docs(&rows)?.pop().ok_or(StoreError::NotFound)?;
    change(&mut tenant);
    sqlx::query("UPDATE tenants SET doc = $1 WHERE id = $2")
        .bind(to_doc(&tenant))
        .bind(id.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// The tenant secret that goes with a setting: replaced with the new one, or removed with it.
async fn replace_secret(
    store: &SqlStore,
    tx: &mut Transaction<'_, Any>,
    id: TenantId,
    purpose: TenantSecret,
    secret: Option<&Secret>,
) -> StoreResult<()> {
    match secret {
        Some(secret) => upsert_secret(tx, &store.key, &NewSecret { key: SecretKey::Tenant(id, purpose), secret, expires_at: None }).await,
        None => {
            sqlx::query("DELETE FROM secrets WHERE owner_kind = 'tenant' AND owner_id = $1 AND purpose = $2")
                .bind(id.to_string())
                .bind(purpose.as_str())
                .execute(&mut **tx)
                .await
                .map_err(db_err)?;
            Ok(())
        }
    }
}

#[async_trait]
impl TenantStore for SqlStore {
    async fn create_tenant(&self, tenant: &Tenant) -> StoreResult<()> {
        sqlx::query("INSERT INTO tenants (id, doc) VALUES ($1, $2)")
            .bind(tenant.id.to_string())
            .bind(to_doc(tenant))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn tenant(&self, id: TenantId) -> StoreResult<Option<Tenant>> {
        let rows = sqlx::query("SELECT doc FROM tenants WHERE id = $1").bind(id.to_string()).fetch_all(&self.pool).await.map_err(db_err)?;
        Ok(docs(&rows)?.pop())
    }

    async fn list_tenants(&self) -> StoreResult<Vec<Tenant>> {
        let rows = sqlx::query("SELECT doc FROM tenants ORDER BY id").fetch_all(&self.pool).await.map_err(db_err)?;
        docs(&rows)
    }

    async fn update_tenant_settings(&self, id: TenantId, settings: &TenantSettings, audit: &NewAuditEvent) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        modify(self, &mut tx, id, |t| t.settings = settings.clone()).await?;
        insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn update_tenant_sso(&self, id: TenantId, sso: Option<(&SsoSettings, &Secret)>, audit: &NewAuditEvent) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        modify(self, &mut tx, id, |t| t.sso = sso.map(|(s, _)| s.clone())).await?;
        replace_secret(self, &mut tx, id, TenantSecret::OidcClientSecret, sso.map(|(_, secret)| secret)).await?;
        insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn update_tenant_mail(
        &self,
        id: TenantId,
        mail: Option<(&MailSettings, Option<&Secret>)>,
        audit: &NewAuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        modify(self, &mut tx, id, |t| t.mail = mail.map(|(m, _)| m.clone())).await?;
        replace_secret(self, &mut tx, id, TenantSecret::SmtpPassword, mail.and_then(|(_, secret)| secret)).await?;
        insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn update_tenant_android_enterprise(
        &self,
        id: TenantId,
        binding: Option<(&pinreset_core::AndroidEnterprise, &Secret)>,
        audit: &NewAuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        modify(self, &mut tx, id, |t| t.android_enterprise = binding.map(|(b, _)| b.clone())).await?;
        replace_secret(self, &mut tx, id, TenantSecret::AmapiServiceAccountKey, binding.map(|(_, key)| key)).await?;
        insert_audit(&mut tx, std::slice::from_ref(audit)).await?;
        tx.commit().await.map_err(db_err)
    }
}
