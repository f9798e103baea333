//! The way out of a corporate network: every AWS call goes through the proxy that
//! `HTTPS_PROXY` / `HTTP_PROXY` name (with `NO_PROXY` exceptions), and trusts the extra
//! certificate authorities of `AWS_CA_BUNDLE` or the profile's `ca_bundle` on top of the
//! system's. Without either, the SDK's own client is used unchanged.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;
use std::time::Duration;

use aws_smithy_http_client::Connector;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;

/// The proxy variables that make Threat Review build its own client.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// A connector's connect and read timeouts: calls with the same ones share a connector.
type TimeoutKey = (Option<Duration>, Option<Duration>);

/// An HTTP client with the proxy of the environment and the extra CAs.
#[derive(Debug)]
struct NetworkClient {
    tls: TlsContext,
    /// One connector per timeout pair, so connections are pooled across calls.
    connectors: RwLock<HashMap<TimeoutKey, SharedHttpConnector>>,
}

impl HttpClient for NetworkClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        let key = (settings.connect_timeout(), settings.read_timeout());
        if let Some(connector) = self
            .connectors
            .read()
            .ok()
            .and_then(|c| c.get(&key).cloned())
        {
            return connector;
        }
        let mut builder = Connector::builder()
            .connector_settings(settings.clone())
            .proxy_config(ProxyConfig::from_env());
        if let Some(sleep) = components.sleep_impl() {
            builder = builder.sleep_impl(sleep);
        }
        let connector = builder
            .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
            .tls_context(self.tls.clone())
            .build();
        let shared = SharedHttpConnector::new(connector);
        if let Ok(mut connectors) = self.connectors.write() {
            connectors.insert(key, shared.clone());
        }
        shared
    }
}

/// The client to use, or `None` when the SDK's default serves (no proxy, no extra CA).
///
/// # Errors
///
/// What is wrong with the CA bundle, naming the file.
pub fn http_client(ca_bundle: Option<&Path>) -> Result<Option<SharedHttpClient>, String> {
    let proxied = PROXY_VARIABLES
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|p| !p.is_empty()));
    if !proxied && ca_bundle.is_none() {
        return Ok(None);
    }
    let mut trust = TrustStore::empty().with_native_roots(true);
    if let Some(path) = ca_bundle {
        let pem = std::fs::read(path).map_err(|error| {
            format!(
                "cannot read the CA bundle {}: {error}; check AWS_CA_BUNDLE or ca_bundle",
                path.display()
            )
        })?;
        trust = trust.with_pem_certificate(pem);
    }
    let tls = TlsContext::builder()
        .with_trust_store(trust)
        .build()
        .map_err(|error| format!("the CA bundle cannot be used: {error}"))?;
    let client = NetworkClient {
        tls,
        connectors: RwLock::new(HashMap::new()),
    };
    Ok(Some(SharedHttpClient::new(client)))
}
