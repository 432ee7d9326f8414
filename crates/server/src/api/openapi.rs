//! The OpenAPI document, generated from the handlers' annotations.

use super::{
    actions, android_enterprise, audit, bulk, devices, enrollment, groups, mail, profiles, readiness, reenrollments, sessions, sign_in,
    tenant, users, views,
};
use crate::error::Problem;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "pinreset admin API", description = "Reset passcodes of managed devices; every refusal carries a reason and a remedy."),
    paths(
        devices::list, devices::show, devices::request_action, devices::history, devices::commands, devices::sync,
        actions::show, actions::passcode,
        bulk::start, bulk::show, bulk::cancel,
        audit::list,
        readiness::report,
        reenrollments::list, reenrollments::approve, reenrollments::reject,
        sessions::sign_in, sessions::current, sessions::reauthenticate, sessions::sign_out,
        sign_in::lockouts, sign_in::unlock,
        tenant::show, tenant::set_consent, tenant::update_settings, tenant::set_apns, tenant::show_sso, tenant::set_sso, tenant::remove_sso,
        mail::show, mail::set, mail::remove, mail::test,
        android_enterprise::show, android_enterprise::set, android_enterprise::remove, android_enterprise::sync,
        enrollment::apple_profile, enrollment::android_token,
        users::list, users::create, users::show, users::update, users::delete, users::create_token, users::list_tokens, users::revoke_token,
        groups::create, groups::show, groups::add_member, groups::remove_member,
        profiles::groups, profiles::list, profiles::create, profiles::show, profiles::update, profiles::assign, profiles::status,
    ),
    components(schemas(Problem, views::DevicePage, views::DeviceDetail, views::ActionView, views::PasscodeView, views::ConsentBody, views::Health, sign_in::LockoutView, enrollment::AndroidTokenView,
        crate::app::bulk::BulkInput, crate::app::bulk::BulkFilter, crate::app::bulk::BulkView, crate::app::bulk::BulkProgress,
        crate::app::readiness::Readiness, crate::app::readiness::NotReady, crate::app::readiness::ReasonCount)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;
