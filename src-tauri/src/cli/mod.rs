//! The `threat-review` command line: the same engine as the app, headless.
//!
//! Each subcommand unpacks its arguments and calls the library. stdout carries only what was
//! asked for (the summary, `--json`, or `--csv -`); progress and warnings go to stderr. The
//! exit status tells scripts how it went: 0 all read, 1 nothing could be done, 2 bad
//! arguments, 3 partial, 130 interrupted.

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

mod profiles;

use crate::aws::{self, PullOutcome, PullRequest, RegionReport, Source};
use crate::export::{self, csv::Bom};
use crate::finding::{Parsed, files};
use crate::review::{Review, Scope};
use crate::settings::Settings;
use crate::{sample, time};

/// Triage GuardDuty findings of EC2 instances that talked to malicious servers.
#[derive(Debug, Parser)]
#[command(name = "threat-review", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the AWS profiles found, with their kind; add or remove keychain profiles.
    Profiles(profiles::ProfilesArgs),
    /// Pull findings from GuardDuty with an AWS profile.
    Pull(PullArgs),
    /// Read findings from files and folders (JSON, JSON Lines, .jsonl.gz, S3 export trees).
    Import {
        /// Files and folders to read.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Keep every finding type, not just the ten.
        #[arg(long)]
        all_types: bool,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Print the bundled sample findings.
    Sample {
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// The arguments of `pull`.
#[derive(Debug, Args)]
pub struct PullArgs {
    /// An AWS profile; repeat to sweep several. Without it, the SDK's default chain.
    #[arg(long = "profile", value_name = "NAME")]
    profiles: Vec<String>,
    /// A region; repeat for several. Without it, the profile's region or AWS_REGION.
    #[arg(long = "region", value_name = "REGION")]
    regions: Vec<String>,
    /// Only findings updated since: 90m, 12h, 7d, or an ISO-8601 date or date-time.
    #[arg(long, value_name = "SPAN|DATE")]
    since: Option<String>,
    /// Also archived findings.
    #[arg(long)]
    include_archived: bool,
    /// Every finding type, not just the ten.
    #[arg(long)]
    all_types: bool,
    /// The MFA code for a role profile that needs one (asked for on a terminal otherwise).
    #[arg(long, value_name = "CODE")]
    mfa_code: Option<String>,
    /// Send every AWS call to this endpoint (AWS_ENDPOINT_URL works too).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Where the result goes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write CSV to FILE, or to stdout with `-`.
    #[arg(long, value_name = "FILE|-", conflicts_with = "json")]
    csv: Option<PathBuf>,
    /// Replace an existing CSV file.
    #[arg(long, requires = "csv")]
    force: bool,
    /// Start the CSV with a byte-order mark (for Excel).
    #[arg(long, requires = "csv")]
    bom: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// How a command ended, as the exit status says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything asked for was read.
    Done = 0,
    /// Nothing could be done.
    Failed = 1,
    /// Bad arguments, unknown profile, missing path, existing output file.
    Usage = 2,
    /// Some regions, files or records failed; the output holds the rest.
    Partial = 3,
    /// Interrupted with Ctrl-C.
    Interrupted = 130,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

/// Runs a subcommand to completion, or until Ctrl-C.
pub fn run(command: Command) -> Status {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return Status::Failed;
        }
    };
    runtime.block_on(async {
        tokio::select! {
            status = dispatch(command) => status,
            _ = tokio::signal::ctrl_c() => {
                eprintln!("interrupted");
                Status::Interrupted
            }
        }
    })
}

async fn dispatch(command: Command) -> Status {
    match command {
        Command::Profiles(args) => profiles::run(args).await,
        Command::Pull(args) => pull(args).await,
        Command::Import {
            paths,
            all_types,
            output,
        } => {
            let parsed = match files::read_paths(&paths) {
                Ok(parsed) => parsed,
                Err(error) => return fail(Status::Usage, error),
            };
            let nothing_read = parsed.findings.is_empty() && !parsed.skipped.is_empty();
            let scope = if all_types {
                Scope::AllTypes
            } else {
                Scope::Catalog
            };
            let status = emit(&review_of(parsed, scope), None, &output);
            match status {
                Status::Partial if nothing_read => Status::Failed,
                other => other,
            }
        }
        Command::Sample { output } => emit(
            &review_of(sample::findings(), Scope::Catalog),
            None,
            &output,
        ),
    }
}

fn review_of(parsed: Parsed, scope: Scope) -> Review {
    for skipped in &parsed.skipped {
        let line = skipped.line.map(|l| format!(":{l}")).unwrap_or_default();
        let source = export::summary::printable(&skipped.source);
        eprintln!(
            "skipped {source}{line}: {}",
            export::summary::printable(&skipped.reason)
        );
    }
    Review::build(parsed.findings, scope, parsed.skipped)
}

async fn pull(args: PullArgs) -> Status {
    let since = match args
        .since
        .as_deref()
        .map(|s| time::parse_since(s, chrono::Utc::now()))
    {
        Some(Err(message)) => return fail(Status::Usage, message),
        Some(Ok(since)) => Some(since),
        None => None,
    };
    let known = if args.profiles.is_empty() {
        Vec::new()
    } else {
        match aws::profiles::list().await {
            Ok(known) => known,
            Err(error) => return fail(Status::Failed, error),
        }
    };
    if let Some(unknown) = args
        .profiles
        .iter()
        .find(|p| !known.iter().any(|k| &k.name == *p))
    {
        return fail(
            Status::Usage,
            format!("unknown profile {unknown:?}: `threat-review profiles` lists the profiles"),
        );
    }
    let settings = Settings::load();
    let sources: Vec<Source> = if args.profiles.is_empty() {
        vec![Source::DefaultChain]
    } else {
        args.profiles
            .iter()
            .map(|p| Source::for_profile(Some(p), &known, &settings))
            .collect()
    };
    let mut outcome = PullOutcome::default();
    let (mut started, mut refused) = (0, 0);
    for source in sources {
        let request = PullRequest {
            source,
            regions: args.regions.clone(),
            since,
            include_archived: args.include_archived,
            all_types: args.all_types,
            endpoint_url: args.endpoint_url.clone(),
            mfa_code: args.mfa_code.clone(),
        };
        let progress = Arc::new(aws::Progress::default());
        let mut pulled = aws::pull::pull(&request, progress.clone()).await;
        if let Err(aws::pull::PullError::MfaRequired { serial, .. }) = &pulled
            && io::stdin().is_terminal()
        {
            match rpassword::prompt_password(format!("MFA code for {serial}: ")) {
                Ok(code) => {
                    let request = PullRequest {
                        mfa_code: Some(code),
                        ..request.clone()
                    };
                    pulled = aws::pull::pull(&request, progress).await;
                }
                Err(error) => eprintln!("error: cannot read the MFA code: {error}"),
            }
        }
        match pulled {
            Ok(one) => {
                started += 1;
                outcome.findings.extend(one.findings);
                outcome.skipped.extend(one.skipped);
                outcome.regions.extend(one.regions);
                outcome.calls += one.calls;
            }
            Err(
                error @ (aws::pull::PullError::NoRegion
                | aws::pull::PullError::BadRegion(_)
                | aws::pull::PullError::MfaRequired { .. }),
            ) => {
                return fail(Status::Usage, error);
            }
            Err(error) => {
                refused += 1;
                eprintln!("error: {error}");
            }
        }
    }
    if started == 0 {
        return Status::Failed;
    }
    for region in outcome.regions.iter().filter(|r| r.status.is_failure()) {
        eprintln!(
            "warning: {}: {}",
            region.region,
            region.error.as_deref().unwrap_or("failed")
        );
    }
    let scope = PullOutcome::scope(&PullRequest {
        all_types: args.all_types,
        ..Default::default()
    });
    let parsed = Parsed {
        findings: outcome.findings,
        skipped: outcome.skipped,
    };
    let mut review = review_of(parsed, scope);
    // The server filtered the types, so the findings left out were never seen.
    review.out_of_scope = None;
    let status = emit(&review, Some(&outcome.regions), &args.output);
    let failed = outcome
        .regions
        .iter()
        .filter(|r| r.status.is_failure())
        .count();
    match status {
        Status::Done | Status::Partial if failed == outcome.regions.len() => Status::Failed,
        Status::Done if failed > 0 || refused > 0 => Status::Partial,
        other => other,
    }
}

/// Writes the review as asked; `Partial` when records were skipped.
fn emit(review: &Review, regions: Option<&[RegionReport]>, output: &OutputArgs) -> Status {
    let bom = if output.bom { Bom::With } else { Bom::Without };
    let failed = |error: io::Error| (Status::Failed, error.to_string());
    let written = match &output.csv {
        Some(path) if path.as_os_str() == "-" => {
            let mut out = io::stdout().lock();
            export::csv::write(&mut out, review.findings_in_order(), bom)
                .map(drop)
                .map_err(failed)
        }
        Some(path) => export::write_atomically(path, output.force, |out| {
            export::csv::write(out, review.findings_in_order(), bom).map(drop)
        })
        .map_err(|error| match error {
            export::ExportError::Exists(_) => (Status::Usage, error.to_string()),
            other => (Status::Failed, other.to_string()),
        }),
        None if output.json => {
            export::json::write(&mut io::stdout().lock(), review, regions).map_err(failed)
        }
        None => export::summary::write(&mut io::stdout().lock(), review, regions).map_err(failed),
    };
    match written {
        Err((status, message)) => fail(status, message),
        Ok(()) if !review.skipped.is_empty() => Status::Partial,
        Ok(()) => Status::Done,
    }
}

pub(crate) fn fail(status: Status, error: impl std::fmt::Display) -> Status {
    eprintln!("error: {error}");
    status
}
