//! What every benchmark of this crate shares: its positional arguments, and `pinreset serve`
//! as a child process on a free port, killed when the benchmark ends (even by a panic).

use std::process::Child;

/// The `i`-th positional argument (flags such as cargo's `--bench` skipped), or `default`.
pub fn arg(i: usize, default: u64) -> u64 {
    std::env::args().filter(|a| !a.starts_with('-')).nth(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
