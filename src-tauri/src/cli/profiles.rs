//! `threat-review profiles`: list them, and add or remove keychain profiles.
//!
//! Keys are read from standard input, never from arguments (which other users can see in the
//! process list and which shells keep in their history): one value a line, the access key id,
//! the secret access key and optionally a session token. On a terminal each is prompted for,
//! the secret ones without echo.

use std::io::{self, BufRead, IsTerminal, Write};

use clap::{Args, Subcommand};

use super::{Status, fail};
use crate::aws::keychain::{Keys, Secret};
use crate::aws::keychain_profiles::{self, ProfileChangeError};
use crate::aws::{self, keychain::KeychainError, sso_login};

/// The arguments of `profiles`.
#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Add or remove a keychain profile; without it, list the profiles.
    #[command(subcommand)]
    action: Option<ProfileAction>,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

/// What to do with a profile.
#[derive(Debug, Subcommand)]
enum ProfileAction {
    /// Add a profile whose keys are kept in the OS keychain (keys read from stdin).
    Add {
        /// The profile's name.
        name: String,
        /// Keep the keys in the OS keychain (the only place this command puts them).
        #[arg(long, required = true)]
        keychain: bool,
        /// The profile's region.
        #[arg(long)]
        region: Option<String>,
        /// Replace the keys of an existing keychain profile of that name.
        #[arg(long)]
        force: bool,
    },
    /// Remove a keychain profile and its keys.
    Remove {
        /// The profile's name.
        name: String,
    },
    /// Sign in to IAM Identity Center with an SSO profile (as `aws sso login` does).
    Login {
        /// The SSO profile's name.
        name: String,
    },
}

/// Runs `profiles`.
pub async fn run(args: ProfilesArgs) -> Status {
    match args.action {
        None => list(args.json).await,
        Some(ProfileAction::Add {
            name,
            keychain: _,
            region,
            force,
        }) => {
            let keys = match read_keys(io::stdin().lock()) {
                Ok(keys) => keys,
                Err(message) => return fail(Status::Usage, message),
            };
            match keychain_profiles::add(&name, keys, region, force).await {
                Ok(()) => {
                    println!("Added keychain profile {name}.");
                    Status::Done
                }
                Err(error) => fail(status_of(&error), error),
            }
        }
        Some(ProfileAction::Login { name }) => login(&name).await,
        Some(ProfileAction::Remove { name }) => match keychain_profiles::remove(&name).await {
            Ok(()) => {
                println!("Removed keychain profile {name} and its keys.");
                Status::Done
            }
            Err(error) => fail(status_of(&error), error),
        },
    }
}

/// The device-code sign-in: the analyst opens the page and confirms the code, this waits.
async fn login(name: &str) -> Status {
    let Some(settings) = sso_login::settings_of(name).await else {
        return fail(
            Status::Usage,
            format!("profile {name:?} does not sign in with SSO (no sso_session or sso_start_url)"),
        );
    };
    let pending = match sso_login::start(settings, None).await {
        Ok(pending) => pending,
        Err(message) => return fail(Status::Failed, message),
    };
    eprintln!(
        "To sign in, open {} and confirm the code {} (before {}).",
        pending.code.verification_uri, pending.code.user_code, pending.code.expires_at
    );
    match sso_login::finish(pending).await {
        Ok(until) => {
            let until = until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            println!("Signed in with profile {name}; the session lasts until {until}.");
            Status::Done
        }
        Err(message) => fail(Status::Failed, message),
    }
}

fn status_of(error: &ProfileChangeError) -> Status {
    match error {
        ProfileChangeError::Keychain(KeychainError::Unavailable(_))
        | ProfileChangeError::Settings(_)
        | ProfileChangeError::Profiles(_) => Status::Failed,
        _ => Status::Usage,
    }
}

async fn list(json: bool) -> Status {
    let profiles = match aws::profiles::list().await {
        Ok(profiles) => profiles,
        Err(error) => return fail(Status::Failed, error),
    };
    let mut out = io::stdout().lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "profiles": profiles }))
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
    } else if profiles.is_empty() {
        writeln!(
            out,
            "No AWS profiles found in ~/.aws/config, ~/.aws/credentials or the keychain."
        )
    } else {
        profiles.iter().try_for_each(|p| {
            let region = p.region.as_deref().unwrap_or("(no region)");
            writeln!(
                out,
                "{:<30} {:<20} {:<16} {}",
                p.name,
                p.kind.label(),
                region,
                p.source
            )
        })
    };
    written.map_or_else(|error| fail(Status::Failed, error), |()| Status::Done)
}

/// Reads the keys: prompted on a terminal, else one value a line from `input`.
fn read_keys(input: impl BufRead) -> Result<Keys, String> {
    if io::stdin().is_terminal() {
        return prompt_keys().map_err(|error| format!("cannot read the keys: {error}"));
    }
    let mut values = Vec::new();
    for line in input.lines().take(3) {
        let line = line.map_err(|error| format!("cannot read the keys from stdin: {error}"))?;
        let value = line.trim_end_matches(['\r', ' ', '\t']).to_owned();
        if value.is_empty() {
            break;
        }
        values.push(value);
    }
    let mut values = values.into_iter();
    let (Some(id), Some(secret)) = (values.next(), values.next()) else {
        return Err(
            "give the access key id and the secret access key on stdin, one a line \
                    (and optionally a session token on a third line)"
                .into(),
        );
    };
    Ok(Keys {
        access_key_id: id,
        secret_access_key: Secret::new(secret),
        session_token: values.next().map(Secret::new),
    })
}

fn prompt_keys() -> io::Result<Keys> {
    eprint!("AWS access key id: ");
    let mut id = String::new();
    io::stdin().lock().read_line(&mut id)?;
    let secret = rpassword::prompt_password("AWS secret access key: ")?;
    let token = rpassword::prompt_password("Session token (empty for none): ")?;
    Ok(Keys {
        access_key_id: id.trim().to_owned(),
        secret_access_key: Secret::new(secret.trim()),
        session_token: Some(token.trim().to_owned())
            .filter(|t| !t.is_empty())
            .map(Secret::new),
    })
}
