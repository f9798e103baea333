//! The `guardduty-emulator` binary: the emulator as a process, for benchmarks and manual runs.
//!
//! It prints exactly one line to stdout, `listening on http://127.0.0.1:PORT`, once it accepts
//! connections (scripts wait for that line), logs to stderr, and stops on Ctrl-C or SIGTERM.

mod args;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use guardduty_emulator::Emulator;
use tracing_subscriber::EnvFilter;

use crate::args::{Args, USAGE};

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("guardduty-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("guardduty-emulator: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("guardduty-emulator: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let mut builder = Emulator::builder().port(args.port);
    for region in &args.no_detector {
        builder = builder.no_detector(region);
    }
    for rule in &args.faults {
        builder = builder.fault(rule.clone());
    }
    if let Some((serial, code)) = &args.require_mfa {
        builder = builder.require_mfa(serial, code);
    }
    if let Some(polls) = args.sso_approve_after {
        builder = builder.sso_approve_after(polls);
    }
    if args.sso_manual {
        builder = builder.sso_approve_manually();
    }
    for dir in &args.fixtures {
        let fallback = args.fixtures_region.as_deref();
        builder = if dir.is_dir() {
            builder.load_dir(dir, fallback)?
        } else {
            builder.load_file(dir, fallback)?
        };
    }
    for (region, count) in &args.generate {
        builder = builder.generate(region, *count, args.seed);
    }
    let emulator = builder.build();
    for region in emulator.regions() {
        let count = emulator.findings(&region).len();
        tracing::info!(region, findings = count, "serving");
    }
    let handle = emulator.start().await?;
    // Listen for the stop signals before announcing readiness, so a script that signals as
    // soon as it reads the line still gets a clean stop.
    let stop = StopSignal::install()?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", handle.endpoint_url())?;
    stdout.flush()?;
    drop(stdout);
    stop.wait().await;
    tracing::info!("stopping");
    handle.shutdown().await?;
    Ok(())
}

/// Ctrl-C (SIGINT) and SIGTERM, registered as soon as this is made.
#[cfg(unix)]
struct StopSignal {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignal {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Ctrl-C.
#[cfg(not(unix))]
struct StopSignal;

#[cfg(not(unix))]
impl StopSignal {
    fn install() -> std::io::Result<Self> {
        Ok(Self)
    }

    async fn wait(self) {
        // An error here means no Ctrl-C handler could be installed: stop rather than hang.
        let _ = tokio::signal::ctrl_c().await;
    }
}
