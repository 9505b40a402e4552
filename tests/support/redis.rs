//! A real `redis-server` for tests: started by the test on a free loopback port, without
//! persistence, and stopped by its PID.
//!
//! Include with `#[path = "support/redis.rs"] mod redis_server;`. When `redis-server` is not
//! installed, the first test to need it installs Debian's package (`apt-get update`, then
//! `apt-get install -y redis-server`, with `sudo -n` when not root); if that fails, the test
//! fails with a message that says what to install. Tests never skip silently.

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a fresh server may take to answer `PING`.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// A `redis-server` this test started; stopped (killed by PID) when dropped.
pub struct RedisServer {
    pub port: u16,
    child: Option<Child>,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts a server on a free `127.0.0.1` port, installing `redis-server` first if needed.
    pub fn start() -> RedisServer {
        let binary = redis_server_binary();
        let mut last_error = String::new();
        // Another process may take the free port between our probe and the server's bind.
        for _ in 0..5 {
            let port = free_port();
            match RedisServer::start_on(&binary, port) {
                Ok(server) => return server,
                Err(error) => last_error = error,
            }
        }
        panic!(
            "could not start redis-server ({}): {last_error}",
            binary.display()
        );
    }

    /// Starts a server on `port` again (after [`stop`](RedisServer::stop)).
    pub fn restart(&mut self) {
        self.stop();
        let binary = redis_server_binary();
        let server = RedisServer::start_on(&binary, self.port)
            .unwrap_or_else(|e| panic!("could not restart redis-server on {}: {e}", self.port));
        *self = server;
    }

    fn start_on(binary: &Path, port: u16) -> Result<RedisServer, String> {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("redis")
            .join(format!("{port}-{}", std::process::id()));
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let log = File::create(dir.join("redis.log")).map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .args(["--port", &port.to_string()])
            .args(["--bind", "127.0.0.1"])
            .args(["--save", ""])
            .args(["--appendonly", "no"])
            .args(["--protected-mode", "yes"])
            .arg("--dir")
            .arg(&dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("spawn: {e}"))?;
        let mut server = RedisServer {
            port,
            child: Some(child),
            dir,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if server.ping() {
                return Ok(server);
            }
            if let Some(status) = server
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                let log = fs::read_to_string(server.dir.join("redis.log")).unwrap_or_default();
                server.child = None;
                return Err(format!("exited with {status}: {log}"));
            }
            if Instant::now() > deadline {
                server.stop();
                return Err(format!("no answer to PING within {START_TIMEOUT:?}"));
            }
            sleep(Duration::from_millis(20));
        }
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The server's PID, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Whether the server answers `PING` now.
    pub fn ping(&self) -> bool {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
        let mut answer = [0; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG\r\n"
    }

    /// Stops the server: kills its PID and waits for it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}

/// `redis-server` on PATH or in `/usr/bin`, installed from Debian if missing.
fn redis_server_binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(find_or_install).clone()
}

fn find() -> Option<PathBuf> {
    let on_path = Command::new("redis-server")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if on_path {
        return Some(PathBuf::from("redis-server"));
    }
    let sbin = PathBuf::from("/usr/bin/redis-server");
    sbin.exists().then_some(sbin)
}

fn find_or_install() -> PathBuf {
    if let Some(binary) = find() {
        return binary;
    }
    // Test binaries may run at once: one installs, the others wait, then look again.
    let lock_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("redis-install.lock");
    fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let lock = File::create(&lock_path).expect("create the redis install lock file");
    lock.lock().expect("lock the redis install lock file");
    if let Some(binary) = find() {
        return binary;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    let apt = |args: &[&str]| -> Output {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .unwrap_or_else(|e| panic!("{}", install_message(&format!("apt-get: {e}"))))
    };
    for args in [&["update"][..], &["install", "-y", "redis-server"]] {
        let output = apt(args);
        assert!(
            output.status.success(),
            "{}",
            install_message(&format!(
                "apt-get {} failed:\n{}\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        );
    }
    find().unwrap_or_else(|| {
        panic!(
            "{}",
            install_message("apt-get installed redis-server, but no redis-server was found")
        )
    })
}

fn install_message(detail: &str) -> String {
    format!(
        "the Redis tests need `redis-server` (Debian: apt-get install redis-server); it is not \
         installed and installing it failed: {detail}"
    )
}
