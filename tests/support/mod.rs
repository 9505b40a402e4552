//! Shared helpers for the SDK interop tests: the Python venv with the official SDKs, an
//! in-process server on loopback, and a capture of the layer's log lines.
//!
//! Each interop test binary includes this module with `mod support;`.

#![allow(dead_code)]

use std::fs::{self, File};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

const REQUIREMENTS: &str = include_str!("../interop/requirements.txt");

/// The venv's Python, created under `target/` on first use with the pinned SDKs.
///
/// Panics with a clear message if Python 3 (with `venv`) is missing or pip cannot install: the
/// interop tests are part of the test suite and never skip silently.
pub fn python() -> PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(setup_venv).clone()
}

fn setup_venv() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sdk-venv");
    fs::create_dir_all(root.parent().unwrap()).unwrap();
    // Test binaries may run at once (nextest): one builds the venv, the others wait.
    let lock = File::create(root.with_extension("lock")).expect("create venv lock file");
    lock.lock().expect("lock venv lock file");

    let python = root.join("bin").join("python");
    let stamp = root.join("installed-requirements.txt");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(REQUIREMENTS) && python.exists() {
        return python;
    }

    let system_python = ["python3", "python"]
        .into_iter()
        .find(|candidate| {
            Command::new(candidate)
                .args(["-c", "import sys, venv; assert sys.version_info >= (3, 8)"])
                .output()
                .is_ok_and(|out| out.status.success())
        })
        .unwrap_or_else(|| {
            panic!(
                "the SDK interop tests need Python 3.8+ with the venv module on PATH as `python3` \
                 (Debian: apt-get install python3 python3-venv); none was found"
            )
        });
    let _ = fs::remove_dir_all(&root);
    run(
        Command::new(system_python).args(["-m", "venv"]).arg(&root),
        "create the venv",
    );
    let requirements = root.with_extension("requirements.txt");
    fs::write(&requirements, REQUIREMENTS).unwrap();
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
        "install the official SDKs from PyPI (tests/interop/requirements.txt)",
    );
    fs::write(&stamp, REQUIREMENTS).unwrap();
    python
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("could not {what}: {e}"));
    assert!(
        output.status.success(),
        "could not {what}: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `script` (a file under `tests/interop/`) with the venv's Python and `args`, returning
/// its standard output. Panics with the script's output if it fails.
pub fn run_driver(script: &str, args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("interop")
        .join(script);
    let output = Command::new(python())
        .arg(&path)
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run the interop driver");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "driver {script} failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A service listening on loopback, on its own runtime, until dropped.
pub struct Server {
    pub addr: SocketAddr,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Serves `app` on `127.0.0.1` at a free port.
    pub fn start(app: axum::Router) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move { axum::serve(listener, app).await });
        Server {
            addr,
            runtime: Some(runtime),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Every line the process logged through `tracing` since the capture was installed.
#[derive(Clone, Default)]
pub struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl LogCapture {
    /// Installs the capture as the global subscriber (once per test binary).
    pub fn install() -> LogCapture {
        static CAPTURE: OnceLock<LogCapture> = OnceLock::new();
        CAPTURE
            .get_or_init(|| {
                let capture = LogCapture::default();
                let writer = capture.clone();
                tracing_subscriber::fmt()
                    .with_max_level(tracing::Level::INFO)
                    .with_ansi(false)
                    .with_writer(move || writer.clone())
                    .init();
                capture
            })
            .clone()
    }

    /// The captured lines that contain `needle`.
    pub fn lines_with(&self, needle: &str) -> Vec<String> {
        let text = String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned();
        text.lines()
            .filter(|line| line.contains(needle))
            .map(str::to_owned)
            .collect()
    }
}

impl Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
