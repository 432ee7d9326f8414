//! The binary as a user runs it: `pinreset serve --demo` in a child process, then the CLI
//! commands against it, reading what they print.

use serde_json::Value;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pinreset");

/// Issue 14: two instances behind HAProxy, a simulated fleet, a SIGKILL mid-bulk; 10,000
/// devices locked at once on one instance (one test binary per crate: modules here).
mod scale;

struct Server {
    child: Child,
    url: String,
    token: String,
    helpdesk: String,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve_demo() -> Server {
    serve_demo_with(tempfile::tempdir().unwrap(), free_port(), &[])
}

/// `serve --demo` on `dir` with `extra` arguments, once its 14 demo devices are listed (with the
/// living demo, simulated devices enroll for half of them just after the server starts).
fn serve_demo_with(dir: tempfile::TempDir, port: u16, extra: &[&str]) -> Server {
    let child = Command::new(BIN)
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path())
        .args(extra)
        .env_remove("PINRESET_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let creds_path = dir.path().join("demo-credentials.json");
    let deadline = Instant::now() + Duration::from_secs(60);
    let url = format!("https://127.0.0.1:{port}");
    let mut server = Server { child, url, token: String::new(), helpdesk: String::new(), dir };
    loop {
        assert!(Instant::now() < deadline, "server did not start within 60 s");
        if let Ok(bytes) = std::fs::read(&creds_path) {
            let creds: Value = serde_json::from_slice(&bytes).unwrap();
            server.token = creds["admin_token"].as_str().unwrap().to_string();
            server.helpdesk = creds["helpdesk_token"].as_str().unwrap().to_string();
            let list = server.cli(&["devices", "list"]);
            if list.status.success() && text(&list).contains("14 of 14 devices") {
                return server;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

impl Server {
    fn cli_as(&self, token: &str, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(["--server", &self.url, "--ca"])
            .arg(self.dir.path().join("tls/ca.pem"))
            .args(["--token", token])
            .args(args)
            .env_remove("PINRESET_TOKEN")
            .env("PINRESET_CONFIG", self.dir.path().join("no-saved-login.toml"))
            .output()
            .unwrap()
    }
    fn cli(&self, args: &[&str]) -> Output {
        self.cli_as(&self.token, args)
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.cli(&a);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
    fn device_id(&self, prefix: &str) -> String {
        let page = self.json(&["devices", "list", "--limit", "500"]);
        page["items"].as_array().unwrap().iter().find(|d| d["name"].as_str().unwrap().starts_with(prefix)).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn demo_server_and_cli_walkthrough() {
    // The seeded rows only: a living device would answer before the "waiting" checks below.
    let s = serve_demo_with(tempfile::tempdir().unwrap(), free_port(), &["--no-living-demo"]);
    // The demo wrote its CA and a private credentials file.
    assert!(s.dir.path().join("tls/ca.pem").exists());
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(s.dir.path().join("demo-credentials.json")).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "credentials readable by others");

    let list = s.cli(&["devices", "list"]);
    assert!(list.status.success());
    let out = text(&list);
    assert!(out.contains("Pixel (Android 7.1, device admin)") && out.contains("14 of 14 devices"), "{out}");
    assert!(out.lines().next().unwrap().starts_with("ID"), "table header first: {out}");

    let pixel = s.device_id("Pixel (Android 7.1");
    let show = text(&s.cli(&["devices", "show", &pixel]));
    assert!(show.contains("reset_passcode") && show.contains("factory reset"), "{show}");

    let refused = s.cli(&["reset-passcode", &pixel]);
    assert!(!refused.status.success());
    let err = text(&refused);
    assert!(err.contains("Android 7.0") && err.contains("factory reset") && err.contains("android_device_admin_unsupported"), "{err}");

    let galaxy = s.device_id("Galaxy S5");
    let queued = s.json(&["reset-passcode", &galaxy]);
    assert_eq!(queued["state"], "queued");
    let again = text(&s.cli_as(&s.helpdesk, &["reset-passcode", &galaxy]));
    assert!(again.contains("already pending"), "{again}");
    let shown = text(&s.cli(&["actions", "show", queued["id"].as_str().unwrap()]));
    assert!(shown.contains("Waiting for the device to check in"), "{shown}");
    let no_code = s.cli(&["actions", "passcode", queued["id"].as_str().unwrap()]);
    assert!(!no_code.status.success() && text(&no_code).contains("passcode_not_available"));

    let audit = text(&s.cli(&["audit", "list", "--device", &galaxy]));
    assert!(audit.contains("action_requested") && audit.contains("user:admin"), "{audit}");
    // The help desk's duplicate request is audited too, as deduplicated.
    assert!(audit.lines().any(|l| l.contains("user:helpdesk") && l.contains("deduplicated")), "{audit}");

    // Tenant consent from the command line.
    let revoked = text(&s.cli(&["tenant", "consent", "revoke"]));
    assert!(revoked.contains("PIN reset service consent  not granted"), "{revoked}");
    let lumia = s.device_id("Lumia 950");
    let refused = text(&s.cli(&["reset-passcode", &lumia]));
    assert!(refused.contains("tenant_not_onboarded"), "{refused}");
    assert!(text(&s.cli(&["tenant", "consent", "grant"])).contains("consent  granted"));
    let helpdesk = s.cli_as(&s.helpdesk, &["tenant", "consent", "revoke"]);
    assert!(!helpdesk.status.success() && text(&helpdesk).contains("role_forbidden"));
    assert!(text(&s.cli(&["profiles", "list"])).starts_with("ID"));

    // Users and groups from the command line; the password comes on standard input.
    let users = text(&s.cli(&["users", "list"]));
    assert!(users.starts_with("ID") && users.contains("alice@contoso.example") && users.contains("tenant_admin"), "{users}");
    let mut add = Command::new(BIN)
        .args(["--server", &s.url, "--ca"])
        .arg(s.dir.path().join("tls/ca.pem"))
        .args(["--token", &s.token, "users", "add", "erin", "--name", "Erin Example", "--email", "erin@contoso.example"])
        .args(["--role", "help_desk", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(add.stdin.as_mut().unwrap(), b"a long enough password\n").unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success(), "{}", text(&added));
    assert!(text(&added).contains("password  set") && !text(&added).contains("long enough"), "{}", text(&added));
    let short = text(&s.cli(&["users", "add", "x", "--name", "X", "--email", "x@contoso.example", "--role", "superuser"]));
    assert!(short.contains("invalid_input"), "{short}");
    assert!(text(&s.cli(&["users", "show", "erin"])).contains("help_desk"));
    assert!(text(&s.cli(&["users", "disable", "erin"])).contains("disabled"));
    assert!(text(&s.cli(&["users", "list", "--disabled"])).contains("erin"));
    assert!(text(&s.cli(&["users", "disable", "erin", "--enable"])).contains("enabled"));
    let last = text(&s.cli(&["users", "disable", "admin"]));
    assert!(last.contains("last_tenant_admin"), "{last}");
    let erin = s.json(&["users", "show", "erin"])["id"].as_str().unwrap().to_string();
    let group = s.json(&["groups", "add", "Night shift", "--kind", "user", "--member", &erin]);
    let gid = group["id"].as_str().unwrap();
    assert!(text(&s.cli(&["groups", "list"])).contains("Night shift"));
    let members = text(&s.cli(&["groups", "members", gid]));
    assert!(members.contains("erin (Erin Example)"), "{members}");
    let members = text(&s.cli(&["groups", "members", gid, "--remove", &erin]));
    assert!(!members.contains("erin"), "{members}");

    // A simulated Windows 10 Mobile device enrolls as a demo user and polls.
    let creds: Value = serde_json::from_slice(&std::fs::read(s.dir.path().join("demo-credentials.json")).unwrap()).unwrap();
    let alice = creds["users"].as_array().unwrap().iter().find(|u| u["login"] == "alice").unwrap();
    let sim = Command::new(BIN)
        .args(["--server", &s.url, "--ca"])
        .arg(s.dir.path().join("tls/ca.pem"))
        .args(["sim", "windows", "--profile", "w10m", "--email", "alice@contoso.example", "--sessions", "1", "--data-dir"])
        .arg(s.dir.path())
        .env("PINRESET_SIM_PASSWORD", alice["password"].as_str().unwrap())
        .output()
        .unwrap();
    let out = text(&sim);
    assert!(sim.status.success() && out.contains("enrolled device") && out.contains("nothing to do"), "{out}");
    let wrong = Command::new(BIN)
        .args(["--server", &s.url, "--ca"])
        .arg(s.dir.path().join("tls/ca.pem"))
        .args(["sim", "windows", "--email", "alice@contoso.example", "--password", "wrong", "--data-dir"])
        .arg(s.dir.path())
        .args(["--state", s.dir.path().join("wrong.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!wrong.status.success() && text(&wrong).contains("enrollment failed"), "{}", text(&wrong));

    // An admin saves a user's Apple enrollment profile; a simulated iPhone installs it, enrolls
    // with its identity and answers the server's first question (its DeviceInformation).
    let profile = s.dir.path().join("alice.mobileconfig");
    let saved = text(&s.cli(&["enroll", "apple", "--login", "alice", "--out", profile.to_str().unwrap()]));
    assert!(saved.contains("wrote") && profile.exists(), "{saved}");
    let iphone = Command::new(BIN)
        .args(["--server", &s.url, "--ca"])
        .arg(s.dir.path().join("tls/ca.pem"))
        .args(["sim", "apple", "--kind", "iphone", "--mobileconfig", profile.to_str().unwrap(), "--polls", "1", "--data-dir"])
        .arg(s.dir.path())
        .output()
        .unwrap();
    let out = text(&iphone);
    assert!(iphone.status.success() && out.contains("enrolled iPhone") && out.contains("DeviceInformation → Acknowledged"), "{out}");
    let udid = out.split("UDID ").nth(1).unwrap().split(')').next().unwrap();
    let listed = text(&s.cli(&["devices", "list", "--search", udid]));
    assert!(listed.contains("Simulated iPhone"), "{listed}");
    let nobody = text(&s.cli(&["enroll", "apple", "--login", "nobody"]));
    assert!(nobody.contains("not_found"), "{nobody}");

    // An APNs certificate that is not one is refused with the reason.
    let not_pem = s.dir.path().join("not.pem");
    std::fs::write(&not_pem, "nonsense").unwrap();
    let apns = s.cli(&["tenant", "apns", "--cert", not_pem.to_str().unwrap(), "--key", not_pem.to_str().unwrap()]);
    assert!(!apns.status.success() && text(&apns).contains("MDM push certificate"), "{}", text(&apns));

    // Single sign-on: none yet; a provider outside https, or one that does not answer, is
    // refused with the reason and nothing is saved.
    let none = s.cli(&["tenant", "sso", "show"]);
    assert!(!none.status.success() && text(&none).contains("sso_not_configured"), "{}", text(&none));
    let secret = s.dir.path().join("client-secret");
    std::fs::write(&secret, "s3cret\n").unwrap();
    let secret = secret.to_str().unwrap();
    let plain = s.cli(&[
        "tenant",
        "sso",
        "set",
        "--issuer",
        "http://idp.contoso.example",
        "--client-id",
        "pinreset",
        "--client-secret-file",
        secret,
    ]);
    assert!(!plain.status.success() && text(&plain).contains("https://"), "{}", text(&plain));
    let gone =
        s.cli(&["tenant", "sso", "set", "--issuer", "http://127.0.0.1:1", "--client-id", "pinreset", "--client-secret-file", secret]);
    assert!(!gone.status.success() && text(&gone).contains("sso_provider_unreachable"), "{}", text(&gone));
    assert!(!text(&gone).contains("s3cret"), "the secret is never echoed");
    assert!(!s.cli(&["tenant", "sso", "show"]).status.success(), "nothing saved");
    assert!(text(&s.cli(&["tenant", "sso", "clear"])).contains("single sign-on is off"));

    // Re-enrollment requests: none waiting; deciding an unknown one, or as help desk, says why.
    let waiting = text(&s.cli(&["reenrollments", "list"]));
    assert!(waiting.starts_with("ID") && waiting.contains("IDENTITY"), "{waiting}");
    let unknown = s.cli(&["reenrollments", "approve", "00000000-0000-0000-0000-000000000000"]);
    assert!(!unknown.status.success() && text(&unknown).contains("not_found"), "{}", text(&unknown));
    let helpdesk = s.cli_as(&s.helpdesk, &["reenrollments", "reject", "00000000-0000-0000-0000-000000000000"]);
    assert!(!helpdesk.status.success() && text(&helpdesk).contains("role_forbidden"), "{}", text(&helpdesk));

    // Mistakes get clear messages.
    // (A device argument that is not an id is a name to look for.)
    let bad = text(&s.cli(&["devices", "show", "nope"]));
    assert!(bad.contains("no device matches \"nope\"") && bad.contains("pinreset devices list"), "{bad}");
    let bad = text(&s.cli(&["actions", "show", "nope"]));
    assert!(bad.contains("not a valid id"), "{bad}");
    let no_token = Command::new(BIN)
        .args(["--server", &s.url, "devices", "list"])
        .env_remove("PINRESET_TOKEN")
        .env("PINRESET_CONFIG", s.dir.path().join("no-saved-login.toml"))
        .output()
        .unwrap();
    assert!(!no_token.status.success() && text(&no_token).contains("--token"), "{}", text(&no_token));
}

impl Server {
    /// Run `pinreset sim …` against this server, with its data dir.
    fn sim(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(["--server", &self.url, "--ca"])
            .arg(self.dir.path().join("tls/ca.pem"))
            .arg("sim")
            .args(args)
            .arg("--data-dir")
            .arg(self.dir.path())
            .env_remove("PINRESET_TOKEN")
            .env_remove("PINRESET_SIM_PASSWORD")
            .output()
            .unwrap()
    }
    /// What the living demo's simulated device keeps in its state file.
    fn simulated(&self, simulator: &str) -> Value {
        let saved: Value =
            serde_json::from_slice(&std::fs::read(self.dir.path().join(format!("sim/demo-{simulator}.json"))).unwrap()).unwrap();
        saved["device"].clone()
    }
    /// The simulator's saved device once `settled` holds of it: a simulator saves its state
    /// after it has answered, so the server can show an action done a moment before the file
    /// says so. Gives up after 15 s and returns the last state (the caller's assert says what).
    fn simulated_when(&self, simulator: &str, settled: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let device = self.simulated(simulator);
            if settled(&device) || Instant::now() > deadline {
                return device;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    /// Request a passcode reset through the CLI and wait until it is done.
    fn reset_and_wait(&self, device: &str) -> Value {
        let queued = self.json(&["reset-passcode", device]);
        let id = queued["id"].as_str().unwrap().to_string();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let a = self.json(&["actions", "show", &id]);
            if a["state"] != "queued" && a["state"] != "requested" && a["state"] != "delivered" {
                return a;
            }
            assert!(Instant::now() < deadline, "the reset did not complete within 60 s: {a}");
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

#[test]
fn living_demo_completes_resets_on_simulated_devices() {
    let s = serve_demo();
    let list = text(&s.cli(&["devices", "list"]));
    // Every row of the capability table once; the simulated ones show their own identifiers.
    assert!(list.contains("14 of 14 devices") && list.lines().next().unwrap().contains("IDENTIFIER"), "{list}");
    let lumia = s.device_id("Lumia 950");
    let device_id = s.simulated("w10m")["device_id"].as_str().unwrap().to_string();
    let found = text(&s.cli(&["devices", "list", "--search", &device_id[..12]]));
    assert!(found.contains("Lumia 950") && found.contains("1 of 1 devices") && found.contains(&device_id[..12]), "{found}");

    // Windows 10 Mobile: the temporary passcode the server shows is the PIN the device now has.
    let done = s.reset_and_wait(&lumia);
    assert_eq!(done["state"], "succeeded", "{done}");
    let shown = text(&s.cli(&["actions", "passcode", done["id"].as_str().unwrap()]));
    let w10m = s.simulated_when("w10m", |d| d["pin"].as_str().is_some_and(|pin| shown.contains(pin)));
    let pin = w10m["pin"].as_str().unwrap().to_string();
    assert!(pin.len() >= 6 && shown.contains(&pin), "device PIN {pin}, shown: {shown}");
    assert_eq!(w10m["locked"], true);

    // iPhone with its UnlockToken escrowed: the passcode is removed from the device.
    assert!(s.simulated("iphone")["passcode"].is_string());
    let iphone = s.device_id("iPhone 15");
    let done = s.reset_and_wait(&iphone);
    let shown = text(&s.cli(&["actions", "show", done["id"].as_str().unwrap()]));
    assert!(done["state"] == "succeeded" && shown.contains("Passcode removed"), "{shown}");
    assert!(s.simulated_when("iphone", |d| d["passcode"].is_null())["passcode"].is_null());

    // Android 6 device admin: the agent set the temporary passcode the server shows. Android 14
    // fully managed: the escrowed token (activated when its owner confirmed the screen lock)
    // let the agent set it too.
    for (row, simulator) in [("Galaxy S5", "android6-admin"), ("Pixel 8 (Android 14", "android14")] {
        let done = s.reset_and_wait(&s.device_id(row));
        assert_eq!(done["state"], "succeeded", "{row}: {done}");
        let shown = text(&s.cli(&["actions", "passcode", done["id"].as_str().unwrap()]));
        let device = s.simulated_when(simulator, |d| d["passcode"].as_str().is_some_and(|p| shown.contains(p)));
        let on_device = device["passcode"].as_str().unwrap().to_string();
        assert!(shown.contains(&on_device), "{row}: device passcode {on_device}, shown: {shown}");
    }
    // The work profile gets its own passcode; the phone's screen lock is left as it was.
    let done = s.reset_and_wait(&s.device_id("Pixel 8a (Android 14, work profile)"));
    let shown = text(&s.cli(&["actions", "passcode", done["id"].as_str().unwrap()]));
    let work = s.simulated_when("android14-work", |d| d["work_passcode"].as_str().is_some_and(|p| shown.contains(p)));
    assert!(shown.contains(work["work_passcode"].as_str().unwrap()) && work["passcode"] == "1234", "{shown} {work}");

    // The simulated rows that refuse say why.
    let android7 = text(&s.cli(&["reset-passcode", &s.device_id("Pixel (Android 7.1")]));
    assert!(android7.contains("factory reset"), "{android7}");
    let ipad = s.device_id("iPad (Shared iPad)");
    let refused = text(&s.cli(&["reset-passcode", &ipad]));
    assert!(refused.contains("ios_shared_ipad"), "{refused}");

    // Two phones locked by one bulk job, followed until both answered.
    let out = s.cli(&["bulk", "lock", "--device", &lumia, "--device", "iPhone 15"]);
    assert!(out.status.success() && text(&out).contains("2 devices: 2 succeeded"), "{}", text(&out));
    let wrong = text(&s.cli(&["bulk", "lock", "--group", "No such group"]));
    assert!(wrong.contains("no device group is named") && wrong.contains("Phones and tablets"), "{wrong}");

    // Restarted on the same data dir and address, the demo resumes the same devices (no new enrollment).
    let mut s = s;
    let dir = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    let port: u16 = s.url.rsplit(':').next().unwrap().parse().unwrap();
    drop(s); // stops the server
    let s = serve_demo_with(dir, port, &[]);
    assert_eq!(s.simulated("w10m")["device_id"], device_id.as_str());
    assert_eq!(s.device_id("Lumia 950"), lumia);
    let done = s.reset_and_wait(&lumia);
    let shown = text(&s.cli(&["actions", "passcode", done["id"].as_str().unwrap()]));
    let w10m = s.simulated_when("w10m", |d| d["pin"].as_str().is_some_and(|pin| shown.contains(pin)));
    assert!(shown.contains(w10m["pin"].as_str().unwrap()), "{shown}");
}

#[test]
fn simulator_resumes_as_the_same_device_from_its_state_file() {
    let s = serve_demo_with(tempfile::tempdir().unwrap(), free_port(), &["--no-living-demo"]);
    // Without the living demo the seeded rows stand for every device.
    assert!(!s.dir.path().join("sim").exists());

    // A bare login is told to use the email address.
    let login = s.sim(&["windows", "--email", "alice", "--password", "whatever"]);
    assert!(!login.status.success() && text(&login).contains("Sign in with your work email address"), "{}", text(&login));

    // --login finds the demo user's email and password; the device's identity goes to a file.
    let state = s.dir.path().join("my-lumia.json");
    let first = s.sim(&["windows", "--login", "alice", "--name", "Alice's test phone", "--state", state.to_str().unwrap()]);
    let out = text(&first);
    assert!(first.status.success() && out.contains("enrolled device") && out.contains("alice@contoso.example"), "{out}");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&state).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "state file readable by others");
    let id = out.split("pinreset device id: ").nth(1).unwrap().lines().next().unwrap().trim().to_string();
    assert!(out.contains(&format!("reset-passcode {id}")), "{out}");

    let second = s.sim(&["windows", "--login", "alice", "--state", state.to_str().unwrap()]);
    let again = text(&second);
    assert!(second.status.success() && again.contains("resuming device") && again.contains(&id), "{again}");
    assert!(again.contains("nothing to do"), "{again}");
    let listed = text(&s.cli(&["devices", "list", "--search", "Alice's test phone"]));
    assert!(listed.contains("1 of 1 devices"), "one device, not two: {listed}");
    assert!(text(&s.cli(&["devices", "list"])).contains("15 of 15 devices"));

    // The resumed device still answers: a reset completes at its next session.
    let queued = s.json(&["reset-passcode", &id]);
    let third = text(&s.sim(&["windows", "--state", state.to_str().unwrap()]));
    assert!(third.contains("new PIN on the device"), "{third}");
    let pin = third.split("new PIN on the device: ").nth(1).unwrap().trim();
    let shown = text(&s.cli(&["actions", "passcode", queued["id"].as_str().unwrap()]));
    assert!(shown.contains(pin), "{shown}");
}

#[test]
fn android_simulator_enrolls_resumes_and_takes_a_reset() {
    let s = serve_demo_with(tempfile::tempdir().unwrap(), free_port(), &["--no-living-demo"]);
    let first = s.sim(&["android", "--profile", "android13", "--login", "bob", "--confirm-credential", "--polls", "0"]);
    let out = text(&first);
    assert!(first.status.success() && out.contains("enrolled bob's Pixel 7") && out.contains("reset token: active"), "{out}");
    let state = s.dir.path().join("sim/android-android13-bob.json");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&state).unwrap().permissions());
    assert_eq!(mode & 0o077, 0, "state file readable by others");
    let id = out.split("pinreset device id: ").nth(1).unwrap().lines().next().unwrap().trim().to_string();

    // Resumed from its file (same key, certificate and escrowed token), it takes the reset.
    let queued = s.json(&["reset-passcode", &id]);
    let second = s.sim(&["android", "--profile", "android13", "--login", "bob", "--polls", "1", "--wait-secs", "5"]);
    let again = text(&second);
    assert!(second.status.success() && again.contains("resuming bob's Pixel 7"), "{again}");
    assert!(again.contains("poll 1: reset_passcode → success"), "{again}");
    let passcode = again.split("passcode on the device: ").nth(1).unwrap().lines().next().unwrap().trim().to_string();
    let shown = text(&s.cli(&["actions", "passcode", queued["id"].as_str().unwrap()]));
    assert!(shown.contains(&passcode), "device {passcode}, shown: {shown}");
    assert!(text(&s.cli(&["devices", "list"])).contains("15 of 15 devices"), "one device, not two");

    // A failure the device reports fails the action with its reason.
    let queued = s.json(&["lock", &id]);
    let third = text(&s.sim(&["android", "--state", state.to_str().unwrap(), "--fail-next", "unknown", "--wait-secs", "5"]));
    assert!(third.contains("poll 1: lock → unknown"), "{third}");
    let failed = s.json(&["actions", "show", queued["id"].as_str().unwrap()]);
    assert_eq!(failed["state"], "failed", "{failed}");
}

#[test]
fn help_explains_the_commands() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = text(&out);
    for cmd in ["serve", "devices", "reset-passcode", "actions", "audit"] {
        assert!(help.contains(cmd), "{help}");
    }
    let serve = text(&Command::new(BIN).args(["serve", "--help"]).output().unwrap());
    assert!(serve.contains("--database-url") && serve.contains("127.0.0.1:8443") && serve.contains("--demo"), "{serve}");
}

// ---- issue 10: the CLI from any directory, one verb per remote action, terminal wording

/// The binary run from `cwd` with only the saved login (`PINRESET_CONFIG`) to go by.
fn cli_in(cwd: &std::path::Path, config: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(cwd)
        .args(args)
        .env("PINRESET_CONFIG", config)
        .env_remove("PINRESET_TOKEN")
        .env_remove("PINRESET_SERVER")
        .env_remove("PINRESET_CA")
        .stdin(Stdio::null());
    c
}

fn run_with_stdin(mut c: Command, input: &str) -> Output {
    let mut child = c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn login_saves_the_connection_and_every_directory_uses_it() {
    let s = serve_demo();
    let elsewhere = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("pinreset/config.toml");
    let ca = s.dir.path().join("tls/ca.pem");

    // Outside the repository, without a CA: the error says which file to pass and how.
    let untrusted = cli_in(elsewhere.path(), &config, &["devices", "list", "--server", &s.url, "--token", &s.token]).output().unwrap();
    let out = text(&untrusted);
    assert!(!untrusted.status.success(), "{out}");
    assert!(out.contains("certificate is not trusted") && out.contains("--ca DATA/tls/ca.pem") && out.contains("pinreset login"), "{out}");

    // A wrong token is refused before anything is saved.
    let wrong = cli_in(elsewhere.path(), &config, &["login", "--server", &s.url, "--ca", ca.to_str().unwrap(), "--token", "nope"])
        .output()
        .unwrap();
    assert!(!wrong.status.success() && text(&wrong).contains("unauthenticated"), "{}", text(&wrong));
    assert!(!config.exists());

    // The token on standard input (not a terminal): checked, saved 0600, never echoed.
    let login = run_with_stdin(cli_in(elsewhere.path(), &config, &["login", "--server", &s.url, "--ca", ca.to_str().unwrap()]), &s.token);
    let out = text(&login);
    assert!(login.status.success(), "{out}");
    assert!(out.contains("logged in to") && out.contains("Contoso") && !out.contains(&s.token), "{out}");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&config).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600, "the config holds a token");
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(saved.contains(&s.url) && saved.contains(ca.to_str().unwrap()), "{saved}");

    // Every command now works from any directory with nothing but the saved login.
    let list = cli_in(elsewhere.path(), &config, &["devices", "list"]).output().unwrap();
    let out = text(&list);
    assert!(list.status.success() && out.contains("14 of 14 devices"), "{out}");
    // Flags still win over it: another token is used (and refused), not the saved one.
    let other = cli_in(elsewhere.path(), &config, &["devices", "list", "--token", "nope"]).output().unwrap();
    assert!(!other.status.success() && text(&other).contains("unauthenticated"), "{}", text(&other));
    // The saved token is never sent to another server.
    let port = free_port();
    let other_server = format!("https://127.0.0.1:{port}");
    let elsewhere_server = cli_in(elsewhere.path(), &config, &["devices", "list", "--server", &other_server]).output().unwrap();
    assert!(!elsewhere_server.status.success() && text(&elsewhere_server).contains("no API token"), "{}", text(&elsewhere_server));

    // Logout forgets the token only.
    let logout = cli_in(elsewhere.path(), &config, &["logout"]).output().unwrap();
    assert!(logout.status.success() && text(&logout).contains("logged out"), "{}", text(&logout));
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(!saved.contains(&s.token) && saved.contains(&s.url), "{saved}");
    let after = cli_in(elsewhere.path(), &config, &["devices", "list"]).output().unwrap();
    let out = text(&after);
    assert!(!after.status.success() && out.contains("no API token") && out.contains("pinreset login"), "{out}");
    // With the token in the environment the saved server and CA still apply.
    let env = cli_in(elsewhere.path(), &config, &["devices", "list"]).env("PINRESET_TOKEN", &s.token).output().unwrap();
    assert!(env.status.success(), "{}", text(&env));
}

#[test]
fn remote_actions_have_verbs_and_errors_read_as_terminal_text() {
    let s = serve_demo();
    let lumia = s.device_id("Lumia 950");
    let iphone = s.device_id("iPhone 15");
    // A seeded row no simulated device plays: the wipe stays queued, so the removal is queued too.
    let iphone12 = s.device_id("iPhone 12");

    // The device view: how commands reach it, when it was last seen, and the verb per action.
    let show = text(&s.cli(&["devices", "show", &iphone]));
    assert!(show.contains("reached by  its next check-in: No APNs push certificate"), "{show}");
    assert!(show.contains("last seen") && show.contains(&format!("pinreset lock {iphone}")), "{show}");
    assert!(
        show.contains("rename          refused: Apple devices are renamed only") && show.contains("what to do: Rename the device"),
        "{show}"
    );

    // One verb per remote action; options come after the command.
    let lock = s.cli(&["lock", &lumia]);
    assert!(lock.status.success() && text(&lock).contains("kind     remote_lock"), "{}", text(&lock));
    let rename = s.cli(&["rename", &lumia, "Front desk"]);
    assert!(rename.status.success() && text(&rename).contains("kind     rename"), "{}", text(&rename));
    let refused = s.cli(&["rename", &iphone, "x"]);
    assert!(!refused.status.success() && text(&refused).contains("apple_rename_unsupported"), "{}", text(&refused));
    let unconfirmed = s.cli(&["wipe", &iphone12]);
    let out = text(&unconfirmed);
    assert!(!unconfirmed.status.success() && out.contains("--yes") && out.contains("cannot be undone"), "{out}");
    let wipe = s.cli(&["wipe", &iphone12, "--yes"]);
    assert!(wipe.status.success() && text(&wipe).contains("kind     reset_device"), "{}", text(&wipe));
    let remove = s.cli(&["remove", &iphone12, "--yes"]);
    assert!(remove.status.success() && text(&remove).contains("kind     remove"), "{}", text(&remove));
    let sync = text(&s.cli(&["sync", &iphone]));
    assert!(sync.contains("not woken now: No APNs push certificate"), "{sync}");
    let sync = s.json(&["sync", &lumia]);
    assert_eq!(sync["reached_by"]["by"], "next_check_in");
    let actions = text(&s.cli(&["devices", "actions", &lumia]));
    assert!(actions.contains("remote_lock") && actions.contains("rename") && actions.contains("queued"), "{actions}");
    let none_yet = text(&s.cli(&["devices", "commands", &lumia]));
    assert!(none_yet.contains("no commands sent"), "{none_yet}");

    // A passcode asked for too early says the action is still queued.
    let reset = s.json(&["reset-passcode", &lumia]);
    let id = reset["id"].as_str().unwrap();
    let early = s.cli(&["actions", "passcode", id]);
    let out = text(&early);
    assert!(!early.status.success() && out.contains("still queued: waiting for the device to check in"), "{out}");

    // A device by a unique part of its name; an ambiguous or unknown one says which devices match.
    let by_name = text(&s.cli(&["devices", "show", "Lumia 950"]));
    assert!(by_name.contains(&lumia), "{by_name}");
    let ambiguous = s.cli(&["reset-passcode", "Lumia"]);
    let out = text(&ambiguous);
    assert!(
        !ambiguous.status.success() && out.contains("matches") && out.contains("Lumia 640") && out.contains("give the device id"),
        "{out}"
    );
    let unknown = text(&s.cli(&["devices", "show", "no such phone"]));
    assert!(unknown.contains("no device matches \"no such phone\""), "{unknown}");

    // A form's wording never reaches the terminal; the error names the field instead.
    let bad = s.cli(&["users", "add", "x", "--name", "X", "--email", "x@contoso.example", "--role", "superuser"]);
    let out = text(&bad);
    assert!(out.contains("error: ") && out.contains("superuser") && out.contains("(invalid_input)"), "{out}");
    assert!(!out.to_lowercase().contains("highlighted"), "{out}");
    // An unknown id says what to check, for the kind of item.
    let gone = text(&s.cli(&["actions", "show", "00000000-0000-0000-0000-000000000000"]));
    assert!(gone.contains("(not_found)") && gone.contains("hint: check the action id") && !gone.contains("device may"), "{gone}");

    // The simulator shows a SOAP fault's reason, not the envelope.
    let sim = Command::new(BIN)
        .args(["sim", "windows", "--email", "alice@contoso.example", "--password", "wrong", "--server", &s.url, "--ca"])
        .arg(s.dir.path().join("tls/ca.pem"))
        .env("PINRESET_CONFIG", s.dir.path().join("no-saved-login.toml"))
        .output()
        .unwrap();
    let out = text(&sim);
    assert!(!sim.status.success() && out.contains("refused") && out.contains("The email address or password is not correct"), "{out}");
    assert!(!out.contains("Envelope") && out.len() < 400, "{out}");
}

#[test]
fn serve_help_lists_only_server_options() {
    let serve = text(&Command::new(BIN).args(["serve", "--help"]).output().unwrap());
    for client_option in ["--server", "--token", "--ca ", "--json"] {
        assert!(!serve.contains(client_option), "{client_option} in serve --help: {serve}");
    }
    let list = text(&Command::new(BIN).args(["devices", "list", "--help"]).output().unwrap());
    assert!(list.contains("--server") && list.contains("--token") && list.contains("--ca") && list.contains("pinreset login"), "{list}");
    let mixed = Command::new(BIN).args(["--token", "x", "serve"]).output().unwrap();
    assert!(!mixed.status.success() && text(&mixed).contains("options of the client commands"), "{}", text(&mixed));
    for verb in ["lock", "wipe", "remove", "rename", "reset-passcode", "sync", "login", "logout"] {
        let help = Command::new(BIN).args([verb, "--help"]).output().unwrap();
        assert!(help.status.success(), "{verb}: {}", text(&help));
    }
}

/// `serve --config FILE`: options from a TOML file (paths relative to it), a flag winning over
/// the file, and a mistyped key or half a TLS pair refused with the file named.
#[test]
fn serve_reads_a_config_file_and_flags_win_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let (from_file, from_flag) = (free_port(), free_port());
    // In a directory of its own; the data directory named relative to it.
    std::fs::create_dir(dir.path().join("etc")).unwrap();
    let config = dir.path().join("etc").join("pinreset.toml");
    let write = |text: &str| std::fs::write(&config, text).unwrap();
    write(&format!(
        "# a deployment's settings\nlisten = \"127.0.0.1:{from_file}\"\ndata-dir = \"..\"\ndemo = true\nno-living-demo = true\nmax-connections = 50\n"
    ));
    let child = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .args(["--listen", &format!("127.0.0.1:{from_flag}")])
        .env_remove("PINRESET_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let creds_path = dir.path().join("demo-credentials.json");
    let mut server = Server { child, url: format!("https://127.0.0.1:{from_flag}"), token: String::new(), helpdesk: String::new(), dir };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "the server did not start from its config file within 60 s");
        if let Ok(bytes) = std::fs::read(&creds_path) {
            server.token = serde_json::from_slice::<Value>(&bytes).unwrap()["admin_token"].as_str().unwrap().to_string();
            let list = server.cli(&["devices", "list"]);
            if list.status.success() {
                assert!(text(&list).contains("14 of 14 devices"), "the demo from the file: {}", text(&list));
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(std::net::TcpStream::connect(("127.0.0.1", from_file)).is_err(), "--listen won over the file's listen");

    for (text_of_file, expected) in [
        ("listn = \"127.0.0.1:1\"\n", "listn"),
        ("tls-cert = \"cert.pem\"\n", "tls-cert and tls-key go together"),
        ("max-connections = \"many\"\n", "max-connections"),
    ] {
        write(text_of_file);
        let out = Command::new(BIN).args(["serve", "--config"]).arg(&config).env_remove("PINRESET_DATABASE_URL").output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{text_of_file} is refused");
        assert!(said.contains(expected) && said.contains("pinreset.toml"), "names the key and the file: {said}");
    }
}

/// `pinreset doctor` on a demo deployment: all well; then with another master key (the sealed
/// rows no longer open) and with an unreachable database, each named with what to do.
#[test]
fn doctor_checks_a_deployment_and_says_what_to_fix() {
    let server = serve_demo();
    let doctor = |extra: &[&str]| {
        let out = Command::new(BIN)
            .args(["doctor", "--data-dir"])
            .arg(server.dir.path())
            .args(extra)
            .env_remove("PINRESET_DATABASE_URL")
            .output()
            .unwrap();
        (out.status.success(), text(&out))
    };
    let (ok, said) = doctor(&[]);
    assert!(ok, "{said}");
    assert!(said.contains("migrations applied") && said.contains("open with the master key") && said.contains("0 problem(s)"), "{said}");

    let key = server.dir.path().join("master.key");
    let original = std::fs::read_to_string(&key).unwrap();
    std::fs::write(&key, "q2gyYXL1cJ2jqh6ZQvJg4m6mUqH0Jz1TQ8c3b3Qm2a0=").unwrap();
    let (ok, said) = doctor(&[]);
    assert!(!ok, "a foreign key is a problem");
    assert!(said.contains("do not open with this master key") && said.contains("fix: this master key does not belong"), "{said}");
    std::fs::write(&key, original).unwrap();

    let (ok, said) = doctor(&["--database-url", "postgres://pinreset:hunter2@127.0.0.1:1/pinreset"]);
    assert!(!ok);
    assert!(said.contains("cannot be opened") && said.contains("postgres://pinreset@127.0.0.1:1/pinreset"), "{said}");
    assert!(!said.contains("hunter2"), "the password is not printed");
}

/// The shipped systemd unit passes `systemd-analyze verify` (directives, sandboxing options and
/// the command it runs: this build's binary in place of /usr/local/bin/pinreset), and the
/// shipped config file is one `serve --config` accepts.
#[test]
fn shipped_systemd_unit_and_config_file_are_valid() {
    let dir = tempfile::tempdir().unwrap();
    let deploy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
    let unit = std::fs::read_to_string(deploy.join("pinreset.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/pinreset serve --config /etc/pinreset/pinreset.toml"));
    let local = dir.path().join("pinreset.service");
    std::fs::write(&local, unit.replace("/usr/local/bin/pinreset", BIN)).unwrap();
    let out = Command::new("systemd-analyze").arg("verify").arg(&local).output().expect("systemd-analyze (Debian's systemd package)");
    assert!(out.status.success() && out.stderr.is_empty(), "{}", text(&out));

    // The example config, read by doctor as serve would read it (its data dir does not exist
    // here, which doctor reports; an unknown key or a bad value would stop it before that).
    let out = Command::new(BIN)
        .args(["doctor", "--config"])
        .arg(deploy.join("pinreset.toml"))
        .env_remove("PINRESET_DATABASE_URL")
        .output()
        .unwrap();
    let said = text(&out);
    assert!(said.contains("pinreset doctor: data directory /var/lib/pinreset"), "{said}");
}

#[test]
fn android_enterprise_binds_and_syncs_from_the_cli() {
    use pinreset_sim::android::amapi::{account, SimAmapiDevice, StandIn, ENTERPRISE, SUBSCRIPTION};
    use pinreset_sim::android::AndroidProfile;
    let s = serve_demo();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let google = rt.block_on(StandIn::start()).unwrap();
    google.add_device(SimAmapiDevice::from_profile(AndroidProfile::Android13FullyManaged, "d13").with_account("alice"));
    let key = s.dir.path().join("service-account.json");
    std::fs::write(&key, google.key_file()).unwrap();
    let not_a_key = s.dir.path().join("not-a-key.json");
    std::fs::write(&not_a_key, "{\"type\": \"authorized_user\"}").unwrap();
    let set = |key: &std::path::Path| {
        s.cli(&[
            "tenant",
            "android-enterprise",
            "set",
            "--project-id",
            account::PROJECT_ID,
            "--enterprise",
            ENTERPRISE,
            "--key-file",
            key.to_str().unwrap(),
            "--amapi-url",
            google.base_url(),
            "--pubsub-url",
            google.base_url(),
            "--pubsub-subscription",
            SUBSCRIPTION,
        ])
    };
    // A file that is not a service-account key is refused with the reason; nothing is bound.
    let bad = set(&not_a_key);
    assert!(!bad.status.success() && text(&bad).contains("service-account key"), "{}", text(&bad));
    assert!(!s.cli(&["tenant", "android-enterprise", "show"]).status.success(), "nothing bound");

    let bound = set(&key);
    let out = text(&bound);
    assert!(bound.status.success() && out.contains(ENTERPRISE) && out.contains(account::CLIENT_EMAIL), "{out}");
    assert!(out.contains("key stored") && !out.contains("PRIVATE KEY"), "the key is never shown: {out}");
    let synced = text(&s.cli(&["tenant", "android-enterprise", "sync"]));
    assert!(synced.contains("1 listed, 1 created, 0 updated"), "{synced}");
    let listed = text(&s.cli(&["devices", "list", "--search", "Pixel 7"]));
    assert!(listed.contains("Pixel 7"), "{listed}");
    assert!(text(&s.cli(&["tenant", "android-enterprise", "clear"])).contains("unbound"));
    assert!(google.violations().is_empty(), "{:?}", google.violations());
}
