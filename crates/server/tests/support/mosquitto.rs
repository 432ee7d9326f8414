//! A real Mosquitto broker for one test, from Debian's package: its own port, its own
//! dynamic-security file with an admin login (the one the server uses), no anonymous access.
//! Stopped when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PLUGIN_DIRS: &[&str] = &["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib"];

pub struct Mosquitto {
    pub port: u16,
    pub admin_user: String,
    pub admin_password: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn plugin() -> PathBuf {
    PLUGIN_DIRS
        .iter()
        .map(|d| PathBuf::from(d).join("mosquitto_dynamic_security.so"))
        .find(|p| p.exists())
        .expect("Mosquitto's dynamic-security plugin (Debian package mosquitto; .ci/run installs it)")
}

impl Mosquitto {
    pub async fn start() -> Mosquitto {
        let dir = tempfile::tempdir().unwrap();
        let (admin_user, admin_password) = ("pinreset".to_string(), "broker-admin-password".to_string());
        let dynsec = dir.path().join("dynamic-security.json");
        let init = Command::new("mosquitto_ctrl")
            .args(["dynsec", "init"])
            .arg(&dynsec)
            .args([&admin_user, &admin_password])
            .output()
            .expect("mosquitto_ctrl (Debian package mosquitto-clients)");
        assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let conf = dir.path().join("mosquitto.conf");
        std::fs::write(
            &conf,
            format!(
                "per_listener_settings false\nallow_anonymous false\nlistener {port} 127.0.0.1\npersistence false\nlog_dest stderr\n\
                 plugin {}\nplugin_opt_config_file {}\n",
                plugin().display(),
                dynsec.display()
            ),
        )
        .unwrap();
        let mut child =
            Command::new("mosquitto").arg("-c").arg(&conf).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("mosquitto");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Mosquitto { port, admin_user, admin_password, child, _dir: dir };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("mosquitto did not start on port {port}");
    }

    pub fn url(&self) -> String {
        format!("mqtt://127.0.0.1:{}", self.port)
    }
}
