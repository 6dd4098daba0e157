//! Which hub a pull talks to, and where it is: the `modelscope:` prefix, then `--from`, then the
//! config's `[pull] source`; for the address, the environment, then the config, then the hub.
//!
//! The environment variables are the hubs' own SDK names, so a user's existing mirror setting
//! works unchanged: `HF_ENDPOINT` (huggingface_hub, a URL) and `MODELSCOPE_DOMAIN` (the
//! ModelScope SDK, a host name it prefixes with `https://`; a full URL is taken as it is).

use super::source::{HF_DEFAULT, MODELSCOPE_DEFAULT, Source, SourceKind};
use super::spec::PullSpec;
use crate::config::PullConfig;

pub const HF_ENDPOINT: &str = "HF_ENDPOINT";
pub const HF_TOKEN: &str = "HF_TOKEN";
pub const MODELSCOPE_DOMAIN: &str = "MODELSCOPE_DOMAIN";

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// `www.modelscope.ai` as the ModelScope SDK reads it (`https://` + host), or a URL as given.
fn modelscope_domain(value: String) -> String {
    if value.contains("://") {
        value
    } else {
        format!("https://{value}")
    }
}

/// The endpoint of `kind`: environment > `[pull]` config > the hub itself.
pub fn endpoint(kind: SourceKind, config: &PullConfig) -> String {
    let endpoint = match kind {
        SourceKind::HuggingFace => env(HF_ENDPOINT)
            .or_else(|| config.hf_endpoint.clone())
            .unwrap_or_else(|| HF_DEFAULT.into()),
        SourceKind::ModelScope => env(MODELSCOPE_DOMAIN)
            .map(modelscope_domain)
            .or_else(|| config.modelscope_endpoint.clone())
            .unwrap_or_else(|| MODELSCOPE_DEFAULT.into()),
    };
    endpoint.trim_end_matches('/').to_owned()
}

/// The source for `spec`: its prefix, else `from` (`--from`), else the config's default hub.
pub fn source(
    config: &PullConfig,
    spec: &PullSpec,
    from: Option<SourceKind>,
    revision: Option<&str>,
) -> Source {
    let kind = spec.source.or(from).unwrap_or(config.source);
    Source {
        kind,
        endpoint: endpoint(kind, config),
        token: (kind == SourceKind::HuggingFace)
            .then(|| env(HF_TOKEN))
            .flatten(),
        revision: revision.map_or_else(|| kind.default_revision().into(), str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modelscope_domain_is_a_host_or_a_url() {
        assert_eq!(
            modelscope_domain("www.modelscope.ai".into()),
            "https://www.modelscope.ai"
        );
        assert_eq!(
            modelscope_domain("http://127.0.0.1:9".into()),
            "http://127.0.0.1:9"
        );
    }
}
