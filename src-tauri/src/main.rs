//! `threat-review`: the desktop app without arguments, the command line with a subcommand.

use std::process::ExitCode;

use clap::Parser;
use threat_review::{cli, desktop, logging};

fn main() -> ExitCode {
    // A laptop has no EC2 instance metadata service; without this the SDK's default chain
    // would wait on that address whenever a credential or region is missing.
    if std::env::var_os("AWS_EC2_METADATA_DISABLED").is_none() {
        // SAFETY: nothing else runs yet; no other thread can be reading the environment.
        unsafe { std::env::set_var("AWS_EC2_METADATA_DISABLED", "true") };
    }
    let args = cli::Cli::parse();
    match args.command {
        Some(command) => {
            logging::init_cli();
            cli::run(command).into()
        }
        None => {
            let _guard = logging::init_desktop();
            match desktop::run() {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    tracing::error!(%error, "the window could not be opened");
                    eprintln!("error: the window could not be opened: {error}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
