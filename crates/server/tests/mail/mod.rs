//! Issue 12, item 4: notification e-mail through the tenant's own SMTP server, received by a
//! real one (Python's `aiosmtpd`, writing what it gets to a Maildir). The owner of a device
//! whose passcode was reset hears about it by mail — with a link, never the passcode — and the
//! SMTP password is sealed like every other secret.

use crate::*;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// A local SMTP server that keeps every message it accepts as a file.
pub(crate) struct SmtpSink {
    child: Child,
    pub(crate) port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpSink {
    pub(crate) async fn start() -> SmtpSink {
        let installed = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        assert!(installed, "the mail tests need Python's aiosmtpd: `python3 -m pip install aiosmtpd` (.ci/run installs it)");
        let maildir = tempfile::tempdir().unwrap();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir(maildir.path().join(sub)).unwrap();
        }
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Owned by the sink from here on: dropping it (also on a failed start) kills the server.
        let sink = SmtpSink { child, port, maildir };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return sink;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}")
    }

    /// Every message received so far, parsed by Python's own e-mail package: recipient,
    /// decoded subject and decoded plain-text body.
    fn received(&self) -> Vec<Value> {
        let script = r#"
import json, mailbox, sys
from email.header import decode_header, make_header
out = []
for m in mailbox.Maildir(sys.argv[1], create=False):
    body = m.get_payload(decode=True).decode(m.get_content_charset() or "utf-8")
    out.append({"to": m["To"], "from": m["From"], "subject": str(make_header(decode_header(m["Subject"]))), "body": body})
print(json.dumps(out))
"#;
        let out = Command::new("python3").args(["-c", script]).arg(self.maildir.path()).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    pub(crate) async fn wait_for(&self, to: &str) -> Value {
        for _ in 0..100 {
            if let Some(m) = self.received().into_iter().find(|m| m["to"].as_str().is_some_and(|t| t.contains(to))) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("no mail for {to}; received: {:?}", self.received())
    }

    fn path(&self) -> &Path {
        self.maildir.path()
    }
}

async fn put_mail(h: &Harness, body: Value) -> (StatusCode, Value) {
    let r = h.http.put(h.url("/tenant/mail")).bearer_auth(&h.creds.admin_token).json(&body).send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("new")).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default()
}

pub(crate) async fn a_reset_is_mailed_to_the_device_owner_without_the_passcode(b: Backend) {
    const PASSCODE: &str = "Wq8Zr2Tn";
    const SMTP_PASSWORD: &str = "smtp-Pw-7c41e9";
    let sink = SmtpSink::start().await;
    let h = start(b).await;
    let valid = json!({ "host": "127.0.0.1", "port": sink.port, "security": "none", "from": "pinreset@contoso.example" });

    // Bad settings are refused, each saying which field, and nothing is saved.
    let (s, _) = h.get("/tenant/mail").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let with = |k: &str, v: Value| {
        let mut b = valid.clone();
        b[k] = v;
        b
    };
    for (body, detail) in [
        (with("port", json!(0)), "field_out_of_range"),
        (with("security", json!("ssl")), "field_unknown_value"),
        (with("from", json!("pinreset")), "field_not_email"),
        (with("host", json!("smtp://mail.contoso.example")), "field_not_host"),
        (with("language", json!("klingon")), "field_unknown_value"),
        (with("password", json!("no-user")), "field_empty"),
        (json!({ "host": "127.0.0.1" }), "body_shape"),
    ] {
        let (s, p) = put_mail(&h, body.clone()).await;
        assert_eq!((s, p["detail_code"].as_str()), (StatusCode::BAD_REQUEST, Some(detail)), "{body} → {p}");
    }
    assert_eq!(h.get("/tenant/mail").await.0, StatusCode::NOT_FOUND, "nothing was saved");
    let (s, p) = h.post_as(&h.creds.admin_token, "/tenant/mail/test", Some(json!({ "to": "it@contoso.example" }))).await;
    assert_eq!((s, p["detail_code"].as_str()), (StatusCode::NOT_FOUND, Some("mail_not_set_up")));

    // A password is kept sealed and never shown.
    let mut signed_in = with("username", json!("pinreset"));
    signed_in["password"] = json!(SMTP_PASSWORD);
    let (s, v) = put_mail(&h, signed_in).await;
    assert_eq!((s, v["password_set"].as_bool()), (StatusCode::OK, Some(true)), "{v}");
    assert!(!v.to_string().contains(SMTP_PASSWORD));

    // The test message goes through (this sink wants no sign-in: set up without one).
    let (s, v) = put_mail(&h, valid.clone()).await;
    assert_eq!((s, v["password_set"].as_bool(), v["language"].as_str()), (StatusCode::OK, Some(false), Some("en")), "{v}");
    let (s, p) = h.post_as(&h.creds.admin_token, "/tenant/mail/test", Some(json!({ "to": "it@contoso.example" }))).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{p}");
    let test = sink.wait_for("it@contoso.example").await;
    assert_eq!((test["from"].as_str(), test["subject"].as_str()), (Some("pinreset@contoso.example"), Some("pinreset test message")));

    // A passcode reset of alice's phone: alice gets a mail with a link, not the passcode.
    let lumia = h.device("Lumia 950").await;
    let id = lumia["id"].as_str().unwrap();
    let (s, action) = h.post(&format!("/devices/{id}/actions/reset-passcode")).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{action}");
    assert_eq!(files_in(sink.path()).len(), 1, "nothing is mailed while the reset is pending");
    device_sets_passcode(&h, &action, PASSCODE).await;
    let mail = sink.wait_for("alice@contoso.example").await;
    let (subject, body) = (mail["subject"].as_str().unwrap(), mail["body"].as_str().unwrap());
    assert!(subject.contains("Lumia 950") && subject.contains("succeeded"), "{subject}");
    assert!(body.contains(&format!("{}/portal/devices/{id}", h.base())), "a link to the device in the portal: {body}");
    assert!(body.contains("never sent by e-mail"), "{body}");
    assert!(!body.contains(PASSCODE) && !subject.contains(PASSCODE), "the passcode is not in the mail");

    // A mail server that cannot be reached: the test says so with what went wrong.
    let (s, _) = put_mail(&h, with("port", json!(free_port()))).await;
    assert_eq!(s, StatusCode::OK);
    let (s, p) = h.post_as(&h.creds.admin_token, "/tenant/mail/test", Some(json!({ "to": "it@contoso.example" }))).await;
    assert_eq!(
        (s, p["code"].as_str(), p["detail_code"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("mail_not_sent"), Some("mail_server_answer"))
    );

    // Every change is audited, and neither secret is in the audit, the logs or the database.
    let (_, audit) = h.get("/audit?limit=1000").await;
    let changes =
        audit.as_array().unwrap().iter().filter(|e| e["outcome"].as_str().is_some_and(|o| o.starts_with("mail_configured:"))).count();
    assert_eq!(changes, 3);
    assert!(!audit.to_string().contains(SMTP_PASSWORD) && !audit.to_string().contains(PASSCODE));
    let logged = String::from_utf8_lossy(&logs().0.lock().unwrap()).to_string();
    assert!(!logged.contains(SMTP_PASSWORD), "the SMTP password leaked into the logs");
    let (s, _) = h.http.delete(h.url("/tenant/mail")).bearer_auth(&h.creds.admin_token).send().await.map(|r| (r.status(), ())).unwrap();
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_not_in_database(h, b, &[SMTP_PASSWORD]).await;
}
