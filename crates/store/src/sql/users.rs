use super::{audit::insert_audit, db_err, doc, docs, from_ms, ms, to_doc, Backend, SqlStore};
use crate::ports::{EnrollmentGrant, StoreError, StoreResult, TokenOwner, UserStore, LAST_TENANT_ADMIN, USER_OWNS_DEVICES};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{
    ApiTokenInfo, Device, DeviceGroup, DeviceGroupId, DeviceId, GroupKind, NewAuditEvent, Role, TenantId, User, UserAccount, UserGroup,
    UserGroupId, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// A disabled user's password hash is never handed out: their password sign-ins fail like a
/// wrong password.
const HASH_IF_ENABLED: &str = "CASE WHEN disabled = 0 THEN password_hash END AS password_hash";

fn account(row: &AnyRow) -> StoreResult<UserAccount> {
    let disabled: i64 = row.try_get("disabled").map_err(db_err)?;
    let has_password: i64 = row.try_get("has_password").map_err(db_err)?;
    Ok(UserAccount { user: doc(row)?, disabled: disabled != 0, has_password: has_password != 0 })
}

const ACCOUNT_COLUMNS: &str = "doc, disabled, CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password";

/// The group and member tables of a kind; compile-time names, never input.
fn group_tables(kind: GroupKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        GroupKind::User => ("user_groups", "user_group_members", "user_id", "users"),
        GroupKind::Device => ("device_groups", "device_group_members", "device_id", "devices"),
    }
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        self.add_user(user, password_hash, &[]).await
    }

    async fn user(&self, tenant: TenantId, id: UserId) -> StoreResult<Option<User>> {
        self.doc_in_tenant("users", tenant, id).await
    }

    async fn user_by_login(&self, tenant: TenantId, login: &str) -> StoreResult<Option<(User, Option<String>)>> {
        super::no_nul("login", login)?;
        let rows = sqlx::query(&format!("SELECT doc, {HASH_IF_ENABLED} FROM users WHERE tenant_id = $1 AND login = $2"))
            .bind(tenant.to_string())
            .bind(login.to_owned())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        match rows.first() {
            Some(row) => Ok(Some((doc(row)?, row.try_get::<Option<String>, _>("password_hash").map_err(db_err)?))),
            None => Ok(None),
        }
    }

    async fn list_users(&self, tenant: TenantId) -> StoreResult<Vec<User>> {
        let rows = sqlx::query("SELECT doc FROM users WHERE tenant_id = $1 ORDER BY login")
            .bind(tenant.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        docs(&rows)
    }

    async fn users_by_email(&self, email: &str) -> StoreResult<Vec<(User, Option<String>)>> {
        super::no_nul("email", email)?;
        let rows = sqlx::query(&format!("SELECT doc, {HASH_IF_ENABLED} FROM users WHERE email = $1 ORDER BY tenant_id"))
            .bind(email.trim().to_lowercase())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|row| Ok((doc(row)?, row.try_get::<Option<String>, _>("password_hash").map_err(db_err)?))).collect()
    }

    async fn create_api_token(&self, user: UserId, token_sha256: &str, label: &str, now: DateTime<Utc>) -> StoreResult<()> {
        self.issue_api_token(user, uuid::Uuid::new_v4(), token_sha256, label, now, &[]).await
    }

    async fn user_by_api_token(&self, token_sha256: &str) -> StoreResult<Option<TokenOwner>> {
        let rows = sqlx::query(
            "SELECT u.doc AS doc, t.label AS label FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_sha256 = $1 AND u.disabled = 0",
        )
        .bind(token_sha256.to_owned())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        match rows.first() {
            Some(row) => Ok(Some(TokenOwner { user: doc(row)?, label: row.try_get("label").map_err(db_err)? })),
            None => Ok(None),
        }
    }

    async fn create_enrollment_token(&self, token_sha256: &str, user: &User, expires_at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO enrollment_tokens (token_sha256, tenant_id, user_id, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_sha256.to_owned())
            .bind(user.tenant_id.to_string())
            .bind(user.id.to_string())
            .bind(ms(expires_at))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn enrollment_token_user(&self, token_sha256: &str, now: DateTime<Utc>, consume: bool) -> StoreResult<Option<User>> {
        let sql = if consume {
            "UPDATE enrollment_tokens SET used_at = $1 WHERE token_sha256 = $2 AND used_at IS NULL AND expires_at > $1 RETURNING tenant_id, user_id"
        } else {
            "SELECT tenant_id, user_id FROM enrollment_tokens WHERE expires_at > $1 AND token_sha256 = $2 AND used_at IS NULL"
        };
        let row = sqlx::query(sql).bind(ms(now)).bind(token_sha256.to_owned()).fetch_optional(&self.pool).await.map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let (tenant, user): (String, String) = (row.try_get("tenant_id").map_err(db_err)?, row.try_get("user_id").map_err(db_err)?);
        match (tenant.parse(), user.parse()) {
            (Ok(t), Ok(u)) => self.user(t, u).await,
            _ => Ok(None),
        }
    }

    async fn create_enrollment_grant(&self, cert_serial: &str, user: &User, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO enrollment_grants (cert_serial, tenant_id, user_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(cert_serial.to_owned())
            .bind(user.tenant_id.to_string())
            .bind(user.id.to_string())
            .bind(ms(now))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn enrollment_grant(&self, cert_serial: &str) -> StoreResult<Option<EnrollmentGrant>> {
        let row = sqlx::query("SELECT tenant_id, user_id, claimed_udid FROM enrollment_grants WHERE cert_serial = $1 AND spent_at IS NULL")
            .bind(cert_serial.to_owned())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let (tenant, user): (String, String) = (row.try_get("tenant_id").map_err(db_err)?, row.try_get("user_id").map_err(db_err)?);
        let claimed_udid: Option<String> = row.try_get("claimed_udid").map_err(db_err)?;
        let user = match (tenant.parse(), user.parse()) {
            (Ok(t), Ok(u)) => self.user(t, u).await?,
            _ => None,
        };
        Ok(user.map(|user| EnrollmentGrant { user, claimed_udid }))
    }

    async fn claim_enrollment_grant(&self, cert_serial: &str, udid: &str) -> StoreResult<bool> {
        let updated = sqlx::query(
            "UPDATE enrollment_grants SET claimed_udid = $1 WHERE cert_serial = $2 AND spent_at IS NULL AND (claimed_udid IS NULL OR claimed_udid = $1)",
        )
        .bind(udid.to_owned())
        .bind(cert_serial.to_owned())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(updated.rows_affected() == 1)
    }

    async fn account(&self, tenant: TenantId, id: UserId) -> StoreResult<Option<UserAccount>> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2"))
            .bind(tenant.to_string())
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.as_ref().map(account).transpose()
    }

    async fn list_accounts(&self, tenant: TenantId) -> StoreResult<Vec<UserAccount>> {
        let rows = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY login"))
            .bind(tenant.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(account).collect()
    }

    async fn add_user(&self, user: &User, password_hash: Option<&str>, audit: &[NewAuditEvent]) -> StoreResult<()> {
        super::no_nul("the user's login, name or email", &format!("{}{}{}", user.login, user.display_name, user.email))?;
        let mut tx = self.write_tx().await?;
        let result = async {
            sqlx::query(
            "INSERT INTO users (id, tenant_id, login, email, password_hash, doc, role, disabled) VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(user.id.to_string())
        .bind(user.tenant_id.to_string())
        .bind(user.login.clone())
        .bind(user.email.trim().to_lowercase())
        .bind(password_hash.map(str::to_owned))
        .bind(to_doc(user))
        .bind(user.role.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
            insert_audit(&mut tx, audit).await
        }
        .await;
        finish(tx, result).await
    }

    async fn update_user(&self, a: &UserAccount, password_hash: Option<&str>, audit: &[NewAuditEvent]) -> StoreResult<()> {
        let user = &a.user;
        super::no_nul("the user's login, name or email", &format!("{}{}{}", user.login, user.display_name, user.email))?;
        let mut tx = self.tenant_users_tx(user.tenant_id).await?;
        let result = async {
            let updated = sqlx::query(
                "UPDATE users SET login = $1, email = $2, doc = $3, role = $4, disabled = $5, password_hash = COALESCE($6, password_hash) \
             WHERE tenant_id = $7 AND id = $8",
            )
            .bind(user.login.clone())
            .bind(user.email.trim().to_lowercase())
            .bind(to_doc(user))
            .bind(user.role.as_str())
            .bind(i64::from(a.disabled))
            .bind(password_hash.map(str::to_owned))
            .bind(user.tenant_id.to_string())
            .bind(user.id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            ensure_a_tenant_admin(&mut tx, user.tenant_id).await?;
            // The device list sorts by the owner's name: keep its devices in step.
            super::devices::rename_owner(&mut tx, user.tenant_id, user.id, &user.display_name).await?;
            insert_audit(&mut tx, audit).await
        }
        .await;
        finish(tx, result).await
    }

    async fn delete_user(
        &self,
        tenant: TenantId,
        id: UserId,
        devices: &[DeviceId],
        reassign_to: Option<UserId>,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()> {
        let mut tx = self.tenant_users_tx(tenant).await?;
        let result = async {
            let rows = sqlx::query("SELECT doc FROM devices WHERE tenant_id = $1 AND primary_user_id = $2")
                .bind(tenant.to_string())
                .bind(id.to_string())
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
            let owned: Vec<Device> = docs(&rows)?;
            let mut stored: Vec<DeviceId> = owned.iter().map(|d| d.id).collect();
            let mut expected = devices.to_vec();
            stored.sort();
            expected.sort();
            if stored != expected || (!owned.is_empty() && reassign_to.is_none()) {
                return Err(StoreError::Conflict(USER_OWNS_DEVICES.into()));
            }
            if let Some(to) = reassign_to {
                let exists = sqlx::query("SELECT id FROM users WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant.to_string())
                    .bind(to.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if exists.is_none() || to == id {
                    return Err(StoreError::NotFound);
                }
                for mut device in owned {
                    device.primary_user_id = Some(to);
                    super::devices::upsert(&mut tx, &device).await?;
                }
            }
            let uid = id.to_string();
            for sql in [
                "DELETE FROM api_tokens WHERE user_id = $1",
                "DELETE FROM user_group_members WHERE user_id = $1",
                "DELETE FROM enrollment_tokens WHERE user_id = $1",
                "DELETE FROM enrollment_grants WHERE user_id = $1",
                "DELETE FROM android_enrollment_tokens WHERE user_id = $1",
            ] {
                sqlx::query(sql).bind(uid.clone()).execute(&mut *tx).await.map_err(db_err)?;
            }
            let deleted = sqlx::query("DELETE FROM users WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.to_string())
                .bind(uid)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            if deleted.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            ensure_a_tenant_admin(&mut tx, tenant).await?;
            insert_audit(&mut tx, audit).await
        }
        .await;
        finish(tx, result).await
    }

    async fn issue_api_token(
        &self,
        user: UserId,
        id: uuid::Uuid,
        token_sha256: &str,
        label: &str,
        now: DateTime<Utc>,
        audit: &[NewAuditEvent],
    ) -> StoreResult<()> {
        super::no_nul("label", label)?;
        let mut tx = self.write_tx().await?;
        let result = async {
            sqlx::query("INSERT INTO api_tokens (token_sha256, user_id, label, created_at, id) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_sha256.to_owned())
                .bind(user.to_string())
                .bind(label.to_owned())
                .bind(ms(now))
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            insert_audit(&mut tx, audit).await
        }
        .await;
        finish(tx, result).await
    }

    async fn list_api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiTokenInfo>> {
        let rows = sqlx::query("SELECT id, label, created_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id")
            .bind(user.to_string())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id").map_err(db_err)?;
                Ok(ApiTokenInfo {
                    id: id.parse().map_err(|_| StoreError::Backend("an API token id is not a UUID".into()))?,
                    label: r.try_get("label").map_err(db_err)?,
                    created_at: from_ms(r.try_get("created_at").map_err(db_err)?),
                })
            })
            .collect()
    }

    async fn revoke_api_token(&self, user: UserId, id: uuid::Uuid, audit: &[NewAuditEvent]) -> StoreResult<bool> {
        let mut tx = self.write_tx().await?;
        let result = async {
            let deleted = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1 AND id = $2")
                .bind(user.to_string())
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            if deleted.rows_affected() == 0 {
                return Ok(false);
            }
            insert_audit(&mut tx, audit).await?;
            Ok(true)
        }
        .await;
        finish(tx, result).await
    }

    async fn user_group(&self, tenant: TenantId, id: UserGroupId) -> StoreResult<Option<UserGroup>> {
        Ok(self.list_user_groups(tenant).await?.into_iter().find(|g| g.id == id))
    }

    async fn device_group(&self, tenant: TenantId, id: DeviceGroupId) -> StoreResult<Option<DeviceGroup>> {
        Ok(self.list_device_groups(tenant).await?.into_iter().find(|g| g.id == id))
    }

    async fn add_group(
        &self,
        tenant: TenantId,
        kind: GroupKind,
        id: uuid::Uuid,
        name: &str,
        members: &[uuid::Uuid],
        audit: &[NewAuditEvent],
    ) -> StoreResult<()> {
        super::no_nul("name", name)?;
        let (table, members_table, member_col, member_of) = group_tables(kind);
        let mut tx = self.write_tx().await?;
        let result = async {
            sqlx::query(&format!("INSERT INTO {table} (id, tenant_id, name) VALUES ($1, $2, $3)"))
                .bind(id.to_string())
                .bind(tenant.to_string())
                .bind(name.to_owned())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            for m in members {
                if !add_member(&mut tx, tenant, members_table, member_col, member_of, id, *m).await? {
                    return Err(StoreError::InvalidInput(format!("a member is not a {} of the tenant", kind.as_str())));
                }
            }
            insert_audit(&mut tx, audit).await
        }
        .await;
        finish(tx, result).await
    }

    async fn set_group_member(
        &self,
        tenant: TenantId,
        kind: GroupKind,
        group: uuid::Uuid,
        member: uuid::Uuid,
        present: bool,
        audit: &[NewAuditEvent],
    ) -> StoreResult<bool> {
        let (table, members_table, member_col, member_of) = group_tables(kind);
        let mut tx = self.write_tx().await?;
        let result = async {
            let found = sqlx::query(&format!("SELECT id FROM {table} WHERE tenant_id = $1 AND id = $2"))
                .bind(tenant.to_string())
                .bind(group.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
            if found.is_none() {
                return Err(StoreError::NotFound);
            }
            let changed = if present {
                let already = sqlx::query(&format!("SELECT group_id FROM {members_table} WHERE group_id = $1 AND {member_col} = $2"))
                    .bind(group.to_string())
                    .bind(member.to_string())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db_err)?;
                if already.is_some() {
                    false
                } else if add_member(&mut tx, tenant, members_table, member_col, member_of, group, member).await? {
                    true
                } else {
                    return Err(StoreError::NotFound);
                }
            } else {
                sqlx::query(&format!("DELETE FROM {members_table} WHERE group_id = $1 AND {member_col} = $2"))
                    .bind(group.to_string())
                    .bind(member.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?
                    .rows_affected()
                    > 0
            };
            if changed {
                insert_audit(&mut tx, audit).await?;
            }
            Ok(changed)
        }
        .await;
        finish(tx, result).await
    }

    async fn create_user_group(&self, group: &UserGroup) -> StoreResult<()> {
        let members: Vec<String> = group.members.iter().map(ToString::to_string).collect();
        self.create_group("user_groups", "user_group_members", "user_id", &group.id.to_string(), group.tenant_id, &group.name, &members)
            .await
    }

    async fn create_device_group(&self, group: &DeviceGroup) -> StoreResult<()> {
        let members: Vec<String> = group.members.iter().map(ToString::to_string).collect();
        self.create_group(
            "device_groups",
            "device_group_members",
            "device_id",
            &group.id.to_string(),
            group.tenant_id,
            &group.name,
            &members,
        )
        .await
    }

    async fn list_user_groups(&self, tenant: TenantId) -> StoreResult<Vec<UserGroup>> {
        let groups = self.list_groups("user_groups", "user_group_members", "user_id", tenant).await?;
        Ok(groups
            .into_iter()
            .filter_map(|(id, name, members)| {
                Some(UserGroup {
                    id: id.parse().ok()?,
                    tenant_id: tenant,
                    name,
                    members: members.iter().filter_map(|m| m.parse().ok()).collect(),
                })
            })
            .collect())
    }

    async fn list_device_groups(&self, tenant: TenantId) -> StoreResult<Vec<DeviceGroup>> {
        let groups = self.list_groups("device_groups", "device_group_members", "device_id", tenant).await?;
        Ok(groups
            .into_iter()
            .filter_map(|(id, name, members)| {
                Some(DeviceGroup {
                    id: id.parse().ok()?,
                    tenant_id: tenant,
                    name,
                    members: members.iter().filter_map(|m| m.parse().ok()).collect(),
                })
            })
            .collect())
    }
}

/// Add a member row if the member is a user (device) of the tenant; false when it is not.
async fn add_member(
    tx: &mut Transaction<'static, Any>,
    tenant: TenantId,
    members_table: &str,
    member_col: &str,
    member_of: &str,
    group: uuid::Uuid,
    member: uuid::Uuid,
) -> StoreResult<bool> {
    let inserted = sqlx::query(&format!(
        "INSERT INTO {members_table} (group_id, {member_col}) SELECT $1, id FROM {member_of} WHERE tenant_id = $2 AND id = $3"
    ))
    .bind(group.to_string())
    .bind(tenant.to_string())
    .bind(member.to_string())
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(inserted.rows_affected() == 1)
}

/// End a transaction explicitly either way: commit what succeeded, roll back (now, not when the
/// connection is next used) what failed, so no pooled connection stays inside a transaction.
async fn finish<T>(tx: Transaction<'static, Any>, result: StoreResult<T>) -> StoreResult<T> {
    match result {
        Ok(v) => {
            tx.commit().await.map_err(db_err)?;
            Ok(v)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

/// Inside a transaction that changed the tenant's users: refuse the change when no enabled
/// tenant admin is left.
async fn ensure_a_tenant_admin(tx: &mut Transaction<'static, Any>, tenant: TenantId) -> StoreResult<()> {
    let admins: i64 = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE tenant_id = $1 AND role = $2 AND disabled = 0")
        .bind(tenant.to_string())
        .bind(Role::TenantAdmin.as_str())
        .fetch_one(&mut **tx)
        .await
        .map_err(db_err)?
        .try_get("n")
        .map_err(db_err)?;
    if admins == 0 {
        return Err(StoreError::Conflict(LAST_TENANT_ADMIN.into()));
    }
    Ok(())
}

impl SqlStore {
    /// A transaction that changes a tenant's users. On PostgreSQL it locks the tenant's row
    /// first, so two concurrent changes (each demoting a different admin) cannot both see the
    /// other admin still enabled; SQLite's `BEGIN IMMEDIATE` already serialises writers.
    async fn tenant_users_tx(&self, tenant: TenantId) -> StoreResult<Transaction<'static, Any>> {
        let mut tx = self.write_tx().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM tenants WHERE id = $1 FOR UPDATE")
                .bind(tenant.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        Ok(tx)
    }

    /// User and device groups share a shape: a group row plus member rows. Table names are
    /// compile-time constants, never input.
    #[allow(clippy::too_many_arguments)]
    async fn create_group(
        &self,
        table: &str,
        members_table: &str,
        member_col: &str,
        id: &str,
        tenant: TenantId,
        name: &str,
        members: &[String],
    ) -> StoreResult<()> {
        let mut tx = self.write_tx().await?;
        sqlx::query(&format!("INSERT INTO {table} (id, tenant_id, name) VALUES ($1, $2, $3)"))
            .bind(id.to_owned())
            .bind(tenant.to_string())
            .bind(name.to_owned())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        for m in members {
            sqlx::query(&format!("INSERT INTO {members_table} (group_id, {member_col}) VALUES ($1, $2)"))
                .bind(id.to_owned())
                .bind(m.clone())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn list_groups(
        &self,
        table: &str,
        members_table: &str,
        member_col: &str,
        tenant: TenantId,
    ) -> StoreResult<Vec<(String, String, Vec<String>)>> {
        let rows = sqlx::query(&format!(
            "SELECT g.id AS id, g.name AS name, m.{member_col} AS member FROM {table} g LEFT JOIN {members_table} m ON m.group_id = g.id \
             WHERE g.tenant_id = $1 ORDER BY g.name, g.id"
        ))
        .bind(tenant.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
        for row in rows {
            let id: String = row.try_get("id").map_err(db_err)?;
            let member: Option<String> = row.try_get("member").map_err(db_err)?;
            if out.last().map(|g| &g.0) != Some(&id) {
                out.push((id, row.try_get("name").map_err(db_err)?, Vec::new()));
            }
            if let Some(m) = member {
                out.last_mut().expect("pushed").2.push(m);
            }
        }
        Ok(out)
    }
}
