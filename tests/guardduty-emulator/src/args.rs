//! The binary's command line, parsed by hand (a handful of flags do not need a parser crate).
//!
//! This module belongs to the binary only; the library is configured through its builder.

use std::path::PathBuf;
use std::time::Duration;

use guardduty_emulator::{Fault, FaultRule};

/// The help text.
pub const USAGE: &str = "\
Usage: guardduty-emulator [OPTIONS]

A loopback GuardDuty endpoint. Prints `listening on http://127.0.0.1:PORT` when ready;
stops on Ctrl-C or SIGTERM. Every region has a detector unless --no-detector names it.

Options:
  --port N                 port on 127.0.0.1 (default 0: any free port)
  --fixtures PATH          a fixture file or folder (*.json, *.jsonl); repeatable
  --fixtures-region R      region for fixture findings without a `region` field
  --generate REGION=COUNT  COUNT synthetic findings in REGION; repeatable
  --seed N                 seed for --generate (default 1)
  --no-detector REGION     GuardDuty off in REGION (empty ListDetectors); repeatable
  --disable-region REGION  403 UnrecognizedClientException on every call in REGION; repeatable
  --throttle-every N       429 TooManyRequestsException on every Nth call
  --server-error-every N   500 InternalServerErrorException on every Nth call
  --drop-every N           cut the connection half-way through every Nth answer
  --latency-ms MS          wait MS milliseconds before every answer
  --require-mfa SERIAL=CODE  STS AssumeRole demands this MFA device and code
  --sso-approve-after N    SSO sign-in: approve after N pending CreateToken polls (default 2)
  --sso-manual             SSO sign-in: approve only when http://127.0.0.1:PORT/device is
                           opened with ?user_code=CODE
  -h, --help               this text
";

/// The parsed command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    /// `--port`.
    pub port: u16,
    /// `--fixtures`, in order.
    pub fixtures: Vec<PathBuf>,
    /// `--fixtures-region`.
    pub fixtures_region: Option<String>,
    /// `--generate`, as (region, count).
    pub generate: Vec<(String, usize)>,
    /// `--seed`.
    pub seed: u64,
    /// `--no-detector`.
    pub no_detector: Vec<String>,
    /// `--disable-region`, `--throttle-every`, `--server-error-every`, `--drop-every`,
    /// `--latency-ms` as fault rules.
    pub faults: Vec<FaultRule>,
    /// `--require-mfa`, as (serial number, code).
    pub require_mfa: Option<(String, String)>,
    /// `--sso-approve-after`.
    pub sso_approve_after: Option<u32>,
    /// `--sso-manual`.
    pub sso_manual: bool,
}

impl Args {
    /// Parses the arguments after the program name; `Ok(None)` means help was asked for.
    pub fn parse(arguments: impl IntoIterator<Item = String>) -> Result<Option<Self>, String> {
        let mut args = Self {
            seed: 1,
            ..Self::default()
        };
        let mut arguments = arguments.into_iter();
        while let Some(argument) = arguments.next() {
            let (flag, inline) = match argument.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value)),
                _ => (argument.clone(), None),
            };
            if flag == "-h" || flag == "--help" {
                return Ok(None);
            }
            let mut value = || -> Result<String, String> {
                match inline {
                    Some(value) => Ok(value.to_owned()),
                    None => arguments
                        .next()
                        .ok_or_else(|| format!("{flag} needs a value")),
                }
            };
            match flag.as_str() {
                "--port" => args.port = number(&flag, &value()?)?,
                "--fixtures" => args.fixtures.push(PathBuf::from(value()?)),
                "--fixtures-region" => args.fixtures_region = Some(value()?),
                "--generate" => {
                    let text = value()?;
                    let Some((region, count)) = text.split_once('=') else {
                        return Err(format!("--generate takes REGION=COUNT, got '{text}'"));
                    };
                    if region.is_empty() {
                        return Err(format!("--generate takes REGION=COUNT, got '{text}'"));
                    }
                    args.generate
                        .push((region.to_owned(), number(&flag, count)?));
                }
                "--seed" => args.seed = number(&flag, &value()?)?,
                "--no-detector" => args.no_detector.push(value()?),
                "--disable-region" => {
                    let rule = FaultRule::new(Fault::RegionDisabled).in_region(value()?);
                    args.faults.push(rule);
                }
                "--throttle-every" => {
                    let every = number(&flag, &value()?)?;
                    args.faults.push(Fault::Throttle { every }.into());
                }
                "--server-error-every" => {
                    let every = number(&flag, &value()?)?;
                    args.faults.push(Fault::ServerError { every }.into());
                }
                "--drop-every" => {
                    let every = number(&flag, &value()?)?;
                    args.faults.push(Fault::DropConnection { every }.into());
                }
                "--require-mfa" => {
                    let text = value()?;
                    match text.rsplit_once('=') {
                        Some((serial, code)) if !serial.is_empty() && !code.is_empty() => {
                            args.require_mfa = Some((serial.to_owned(), code.to_owned()));
                        }
                        _ => return Err(format!("--require-mfa takes SERIAL=CODE, got '{text}'")),
                    }
                }
                "--sso-approve-after" => {
                    args.sso_approve_after = Some(number(&flag, &value()?)?);
                }
                "--sso-manual" => args.sso_manual = true,
                "--latency-ms" => {
                    let millis = number(&flag, &value()?)?;
                    args.faults
                        .push(Fault::Latency(Duration::from_millis(millis)).into());
                }
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        Ok(Some(args))
    }
}

fn number<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{flag} takes a number, got '{text}'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Option<Args>, String> {
        Args::parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn parses_repeatable_flags_in_both_spellings() {
        let args = parse(
            "--port 8080 --fixtures a --fixtures=b --fixtures-region us-east-1 \
             --generate us-east-1=100 --generate=eu-west-1=5 --seed 9 --no-detector ap-east-1",
        )
        .expect("valid")
        .expect("not help");
        assert_eq!(args.port, 8080);
        assert_eq!(args.fixtures, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.fixtures_region.as_deref(), Some("us-east-1"));
        assert_eq!(
            args.generate,
            [("us-east-1".into(), 100), ("eu-west-1".into(), 5)]
        );
        assert_eq!(args.seed, 9);
        assert_eq!(args.no_detector, ["ap-east-1"]);
    }

    #[test]
    fn defaults_to_any_port_and_seed_one() {
        let args = parse("").expect("valid").expect("not help");
        assert_eq!((args.port, args.seed), (0, 1));
    }

    #[test]
    fn fault_flags_become_fault_rules() {
        let args = parse("--disable-region me-south-1 --throttle-every 3 --latency-ms 20")
            .expect("valid")
            .expect("not help");
        assert_eq!(
            args.faults,
            [
                FaultRule::new(Fault::RegionDisabled).in_region("me-south-1"),
                Fault::Throttle { every: 3 }.into(),
                Fault::Latency(Duration::from_millis(20)).into(),
            ]
        );
    }

    #[test]
    fn server_errors_dropped_connections_and_mfa_have_flags() {
        let args = parse(
            "--server-error-every 4 --drop-every 5 \
             --require-mfa arn:aws:iam::111122223333:mfa/analyst=123456",
        )
        .expect("valid")
        .expect("not help");
        assert_eq!(
            args.faults,
            [
                Fault::ServerError { every: 4 }.into(),
                Fault::DropConnection { every: 5 }.into(),
            ]
        );
        assert_eq!(
            args.require_mfa,
            Some((
                "arn:aws:iam::111122223333:mfa/analyst".to_owned(),
                "123456".to_owned()
            ))
        );
        assert!(parse("--require-mfa 123456").is_err());
    }

    #[test]
    fn sso_approval_has_flags() {
        let args = parse("--sso-approve-after 5 --sso-manual")
            .expect("valid")
            .expect("not help");
        assert_eq!((args.sso_approve_after, args.sso_manual), (Some(5), true));
        assert!(parse("--sso-approve-after soon").is_err());
    }

    #[test]
    fn help_and_errors() {
        assert_eq!(parse("--help"), Ok(None));
        assert!(parse("--port").is_err());
        assert!(parse("--port http").is_err());
        assert!(parse("--generate us-east-1").is_err());
        assert!(parse("--generate =5").is_err());
        assert!(parse("--listen 0.0.0.0").is_err());
    }
}
