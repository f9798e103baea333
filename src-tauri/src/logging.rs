//! Where logs go, and what they may never contain.
//!
//! The command line logs warnings to stderr (more with `RUST_LOG`). The app also writes a
//! daily log file under the user's data folder (`~/.local/share/threat-review/logs` on Linux),
//! the place to look after a failed pull. The SDK's request signing and HTTP layers are capped
//! at `info` whatever `RUST_LOG` says: at `trace` they print request headers, and a session
//! token travels in one.

use std::io::IsTerminal;
use std::path::PathBuf;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

/// Targets never logged below `info`, since their detail includes credentials.
const CAPPED: [&str; 6] = [
    "aws_sigv4=info",
    "aws_smithy_runtime=info",
    "aws_smithy_runtime_api=info",
    "aws_smithy_http_client=info",
    "hyper=info",
    "hyper_util=info",
];

fn filter(default: &str) -> EnvFilter {
    let base = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    CAPPED.iter().fold(base, |filter, cap| match cap.parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    })
}

/// Logs of the command line: warnings and errors to stderr.
pub fn init_cli() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter("warn,aws_config=error"))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// The folder the app's log files go to.
pub fn log_dir() -> Option<PathBuf> {
    dirs::data_local_dir().map(|dir| dir.join("threat-review").join("logs"))
}

/// Logs of the app: `info` and above to a daily file and to stderr. The returned guard flushes
/// the file when dropped; keep it until the app exits.
pub fn init_desktop() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let Some(dir) = log_dir().filter(|dir| std::fs::create_dir_all(dir).is_ok()) else {
        init_cli();
        return None;
    };
    let (file, guard) =
        tracing_appender::non_blocking(tracing_appender::rolling::daily(dir, "threat-review.log"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter("info"))
        .with_ansi(false)
        .with_writer(file.and(std::io::stderr))
        .try_init();
    Some(guard)
}
