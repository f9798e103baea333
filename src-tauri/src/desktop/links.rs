//! Which links the app opens in the system browser: AWS documentation and the GuardDuty console
//! of each partition, over HTTPS, and nothing else. Links are built by the catalog, but the
//! check is made again where the browser is started, since the request crosses IPC.

use url::{Host, Url};

/// Whether `link` may be opened.
pub fn is_allowed(link: &str) -> bool {
    let Ok(url) = Url::parse(link) else {
        return false;
    };
    if url.scheme() != "https" || !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    if url.port().is_some() {
        return false;
    }
    let Some(Host::Domain(host)) = url.host() else {
        return false;
    };
    matches!(host, "docs.aws.amazon.com" | "docs.amazonaws.cn")
        || [
            "console.aws.amazon.com",
            "console.amazonaws.cn",
            "console.amazonaws-us-gov.com",
        ]
        .iter()
        .any(|console| {
            host == *console
                || host
                    .strip_suffix(console)
                    .is_some_and(|sub| sub.ends_with('.'))
        })
}

/// Whether `link` is an IAM Identity Center approval page (the device-code sign-in), which is
/// opened in the browser: HTTPS on an AWS access-portal or service host.
pub fn is_sign_in_page(link: &str) -> bool {
    let Ok(url) = Url::parse(link) else {
        return false;
    };
    let Some(Host::Domain(host)) = url.host() else {
        return false;
    };
    url.scheme() == "https"
        && url.username().is_empty()
        && url.port().is_none()
        && [
            ".awsapps.com",
            ".amazonaws.com",
            ".amazonaws.cn",
            ".amazonaws-us-gov.com",
        ]
        .iter()
        .any(|suffix| host.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_aws_docs_and_console_links() {
        for link in [
            "https://docs.aws.amazon.com/guardduty/latest/ug/compromised-ec2.html",
            "https://docs.amazonaws.cn/en_us/guardduty/latest/ug/compromised-ec2.html",
            "https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=a",
            "https://cn-north-1.console.amazonaws.cn/guardduty/home",
            "https://us-gov-west-1.console.amazonaws-us-gov.com/guardduty/home",
        ] {
            assert!(is_allowed(link), "{link}");
        }
    }

    #[test]
    fn opens_only_aws_sign_in_pages() {
        assert!(is_sign_in_page(
            "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"
        ));
        assert!(is_sign_in_page(
            "https://corp.awsapps.com/start/#/device?user_code=ABCD-EFGH"
        ));
        assert!(!is_sign_in_page(
            "http://127.0.0.1:4000/device?user_code=ABCD-EFGH"
        ));
        assert!(!is_sign_in_page("https://awsapps.com.evil.example/start"));
        assert!(!is_sign_in_page("https://evilamazonaws.com/"));
    }

    #[test]
    fn refuses_everything_else() {
        for link in [
            "http://docs.aws.amazon.com/guardduty/",
            "https://docs.aws.amazon.com.evil.example/",
            "https://evilconsole.aws.amazon.com/",
            "https://docs.aws.amazon.com@evil.example/",
            "https://user@docs.aws.amazon.com/",
            "https://docs.aws.amazon.com:8443/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://203.0.113.7/",
            "c2-relay.example",
            "",
        ] {
            assert!(!is_allowed(link), "{link}");
        }
    }
}
