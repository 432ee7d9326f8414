use super::{db_err, doc, docs, ms, to_doc, SqlStore};
use crate::ports::{EnrollmentGrant, StoreResult, TokenOwner, UserStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use pinreset_core::{DeviceGroup, TenantId, User, UserGroup, UserId};
use sqlx::Row;

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: &User, password_hash: Option<&str>) -> StoreResult<()> {
        sqlx::query("INSERT INTO users (id, tenant_id, login, email, password_hash, doc) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(user.id.to_string())
            .bind(user.tenant_id.to_string())
            .bind(user.login.clone())
            .bind(user.email.trim().to_lowercase())
            .bind(password_hash.map(str::to_owned))
            .bind(to_doc(user))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn user(&self, tenant: TenantId, id: UserId) -> StoreResult<Option<User>> {
        self.doc_in_tenant("users", tenant, id).await
    }

    async fn user_by_login(&self, tenant: TenantId, login: &str) -> StoreResult<Option<(User, Option<String>)>> {
        super::no_nul("login", login)?;
        let rows = sqlx::query("SELECT doc, password_hash FROM users WHERE tenant_id = $1 AND login = $2")
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
        let rows = sqlx::query("SELECT doc, password_hash FROM users WHERE email = $1 ORDER BY tenant_id")
            .bind(email.trim().to_lowercase())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.iter().map(|row| Ok((doc(row)?, row.try_get::<Option<String>, _>("password_hash").map_err(db_err)?))).collect()
    }

    async fn create_api_token(&self, user: UserId, token_sha256: &str, label: &str, now: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("INSERT INTO api_tokens (token_sha256, user_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(token_sha256.to_owned())
            .bind(user.to_string())
            .bind(label.to_owned())
            .bind(ms(now))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn user_by_api_token(&self, token_sha256: &str) -> StoreResult<Option<TokenOwner>> {
        let rows = sqlx::query(
            "SELECT u.doc AS doc, t.label AS label FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_sha256 = $1",
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

impl SqlStore {
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
