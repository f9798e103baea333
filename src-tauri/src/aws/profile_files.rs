//! The AWS config and credentials files, read so that every profile name works.
//!
//! aws-config ignores sections whose names hold characters outside `A-Z a-z 0-9 _ - / . % @ :
//! +` (a space, most often: `[profile audit role]`, aws-sdk-rust issue 1097), though the AWS CLI
//! accepts them. Threat Review reads the files itself, percent-encodes such names (and the
//! `source_profile` values that refer to them) and hands aws-config the encoded text, so these
//! profiles are listed and work like any other. Names are decoded again wherever they are shown.

use std::path::PathBuf;

use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_types::os_shim_internal::{Env, Fs};

/// Characters aws-config accepts in a profile name, besides ASCII letters and digits. `%` is
/// left out: it is the escape character here, so it is encoded too.
const KEPT: &[u8] = b"_-/.@:+";

/// A profile name as aws-config can read it.
pub fn encode(name: &str) -> String {
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || KEPT.contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The name the analyst wrote, from [`encode`]d text; text that is not an encoding stays as is.
pub fn decode(encoded: &str) -> String {
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[at], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                at += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| encoded.to_owned())
}

/// Rewrites the section names of a config or credentials file, and the `source_profile`
/// values, in their encoded form; everything else is kept byte for byte.
fn encode_file(text: &str, kind: EnvConfigFileKind) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let trimmed = body.trim();
        if let Some(inner) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            let inner = inner.trim();
            let header = match (kind, inner.split_once(char::is_whitespace)) {
                (EnvConfigFileKind::Config, Some((prefix @ ("profile" | "sso-session"), name))) => {
                    format!("[{prefix} {}]", encode(name.trim()))
                }
                (EnvConfigFileKind::Config, _) if inner == "default" => "[default]".to_owned(),
                (EnvConfigFileKind::Config, _) => format!("[{inner}]"),
                _ => format!("[{}]", encode(inner)),
            };
            out.push_str(&header);
            out.push_str(ending);
            continue;
        }
        match body.split_once('=') {
            Some((key, value))
                if matches!(key.trim(), "source_profile" | "sso_session")
                    && !body.starts_with([' ', '\t']) =>
            {
                out.push_str(&format!("{} = {}", key.trim(), encode(value.trim())));
                out.push_str(ending);
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn path_of(env: &Env, variable: &str, default: &str) -> Option<PathBuf> {
    if let Ok(path) = env.get(variable) {
        let home = env.get("HOME").or_else(|_| env.get("USERPROFILE")).ok();
        return Some(match (path.strip_prefix("~/"), home) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(path),
        });
    }
    let home = env.get("HOME").or_else(|_| env.get("USERPROFILE")).ok()?;
    Some(PathBuf::from(home).join(".aws").join(default))
}

/// The config and credentials files (`kinds` of them), with every profile name readable by
/// aws-config.
pub async fn load(fs: &Fs, env: &Env, kinds: &[EnvConfigFileKind]) -> EnvConfigFiles {
    let mut files = EnvConfigFiles::builder();
    for (kind, variable, default) in [
        (EnvConfigFileKind::Config, "AWS_CONFIG_FILE", "config"),
        (
            EnvConfigFileKind::Credentials,
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
        ),
    ] {
        let wanted = kinds.iter().any(|k| {
            matches!(
                (k, &kind),
                (EnvConfigFileKind::Config, EnvConfigFileKind::Config)
                    | (
                        EnvConfigFileKind::Credentials,
                        EnvConfigFileKind::Credentials
                    )
            )
        });
        if !wanted {
            continue;
        }
        let text = match path_of(env, variable, default) {
            Some(path) => fs.read_to_end(&path).await.ok(),
            None => None,
        };
        let text = text
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        files = files.with_contents(kind, encode_file(&text, kind));
    }
    files.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_only_what_aws_config_refuses_and_decodes_it_back() {
        for name in [
            "prod-audit",
            "a.b/c@d:e+f_g",
            "audit role",
            "50% off",
            "équipe",
            "",
        ] {
            let encoded = encode(name);
            assert!(
                encoded
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_-/.@:+%".contains(&b))
            );
            assert_eq!(decode(&encoded), name);
        }
        assert_eq!(encode("prod-audit"), "prod-audit");
        assert_eq!(encode("audit role"), "audit%20role");
        assert_eq!(decode("100%"), "100%");
    }

    #[test]
    fn rewrites_section_names_and_source_profiles_and_nothing_else() {
        let config = "[default]\nregion = eu-west-1\n\n[profile audit role]\r\nrole_arn = arn:x\n\
                      source_profile = base keys\n[sso-session my corp]\nsso_region = x\n";
        assert_eq!(
            encode_file(config, EnvConfigFileKind::Config),
            "[default]\nregion = eu-west-1\n\n[profile audit%20role]\r\nrole_arn = arn:x\n\
             source_profile = base%20keys\n[sso-session my%20corp]\nsso_region = x\n"
        );
        assert_eq!(
            encode_file(
                "[base keys]\naws_access_key_id = A\n",
                EnvConfigFileKind::Credentials
            ),
            "[base%20keys]\naws_access_key_id = A\n"
        );
    }
}
