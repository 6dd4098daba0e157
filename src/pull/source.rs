//! The hubs' real APIs: listing a repo's files and the URL of one file.
//!
//! Hugging Face: `GET {endpoint}/api/models/{repo}/tree/{revision}?recursive=true` returns
//! `[{"type":"file","path","size","oid","lfs":{"oid","size"}}]`, paged with a `Link: <...>;
//! rel="next"` header; `lfs.oid` is the file's sha256, while a plain git file only has its git
//! blob sha1 in `oid`, so it gets no sha256 check. Files come from `GET
//! {endpoint}/{repo}/resolve/{revision}/{path}`, which redirects to a CDN.
//! ModelScope: `GET {endpoint}/api/v1/models/{repo}/repo/files?Revision=&Recursive=true` returns
//! `{"Code":200,"Data":{"Files":[{"Type":"blob","Path","Size","Sha256"}]}}`; a file comes from
//! `GET {endpoint}/api/v1/models/{repo}/repo?Revision=&FilePath=`.

use super::PullError;
use reqwest::{Client, StatusCode, Url};
use serde::Deserialize;

pub const HF_DEFAULT: &str = "https://huggingface.co";
pub const MODELSCOPE_DEFAULT: &str = "https://www.modelscope.cn";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    #[serde(alias = "hf")]
    #[value(name = "huggingface", alias = "hf")]
    HuggingFace,
    #[value(name = "modelscope")]
    ModelScope,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::HuggingFace => "Hugging Face",
            SourceKind::ModelScope => "ModelScope",
        }
    }

    /// The setting that moves this source elsewhere, for "unreachable" messages.
    pub fn setting(self) -> &'static str {
        match self {
            SourceKind::HuggingFace => {
                "HF_ENDPOINT (or `hf_endpoint` in the [pull] section of the config)"
            }
            SourceKind::ModelScope => {
                "MODELSCOPE_DOMAIN (or `modelscope_endpoint` in the [pull] section of the config)"
            }
        }
    }

    pub fn default_revision(self) -> &'static str {
        match self {
            SourceKind::HuggingFace => "main",
            SourceKind::ModelScope => "master",
        }
    }
}

/// One file of a repo as the hub lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub path: String,
    pub size: u64,
    /// Lower-case hex; `None` when the hub publishes none for this file.
    pub sha256: Option<String>,
}

/// A hub to pull from.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    /// Without a trailing slash.
    pub endpoint: String,
    /// Sent as a Bearer token, to the endpoint's own host only.
    pub token: Option<String>,
    pub revision: String,
}

#[derive(Deserialize)]
struct HfEntry {
    #[serde(rename = "type")]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
    lfs: Option<HfLfs>,
}

#[derive(Deserialize)]
struct HfLfs {
    oid: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsListing {
    code: i64,
    #[serde(default)]
    message: Option<String>,
    data: Option<MsData>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsData {
    #[serde(default)]
    files: Vec<MsFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MsFile {
    #[serde(rename = "Type", default)]
    kind: String,
    path: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    sha256: Option<String>,
}

fn sha_or_none(s: Option<String>) -> Option<String> {
    s.map(|s| s.to_ascii_lowercase())
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Source {
    fn base(&self) -> Result<Url, PullError> {
        Url::parse(&format!("{}/", self.endpoint)).map_err(|e| PullError::Unreachable {
            source_name: self.kind.name(),
            endpoint: self.endpoint.clone(),
            setting: self.kind.setting(),
            reason: format!("not a URL: {e}"),
        })
    }

    fn url(&self, segments: &[&str]) -> Result<Url, PullError> {
        let mut url = self.base()?;
        url.path_segments_mut()
            .map_err(|_| PullError::InvalidSpec(self.endpoint.clone()))?
            .pop_if_empty()
            .extend(segments.iter().flat_map(|s| s.split('/')));
        Ok(url)
    }

    /// The listing URL of `repo`.
    pub fn list_url(&self, repo: &str) -> Result<Url, PullError> {
        let mut url;
        match self.kind {
            SourceKind::HuggingFace => {
                url = self.url(&["api/models", repo, "tree", &self.revision])?;
                url.query_pairs_mut().append_pair("recursive", "true");
            }
            SourceKind::ModelScope => {
                url = self.url(&["api/v1/models", repo, "repo/files"])?;
                url.query_pairs_mut()
                    .append_pair("Revision", &self.revision)
                    .append_pair("Recursive", "true");
            }
        }
        Ok(url)
    }

    /// The download URL of `path` in `repo`.
    pub fn file_url(&self, repo: &str, path: &str) -> Result<Url, PullError> {
        match self.kind {
            SourceKind::HuggingFace => self.url(&[repo, "resolve", &self.revision, path]),
            SourceKind::ModelScope => {
                let mut url = self.url(&["api/v1/models", repo, "repo"])?;
                url.query_pairs_mut()
                    .append_pair("Revision", &self.revision)
                    .append_pair("FilePath", path);
                Ok(url)
            }
        }
    }

    /// GETs `url` (with `range`), following up to 10 redirects here rather than in reqwest, so
    /// that every hop is judged by [`Source::get`]: the token goes to the endpoint's own scheme,
    /// host and port only. (reqwest keeps `Authorization` across a redirect that only changes
    /// the scheme, https to http.) tests/pull checks a redirect to another host name.
    pub async fn send(
        &self,
        client: &Client,
        url: Url,
        range: Option<String>,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut url = url;
        for _ in 0..10 {
            let mut request = self.get(client, url.clone());
            if let Some(range) = &range {
                request = request.header(reqwest::header::RANGE, range);
            }
            let response = request.send().await?;
            let next = response
                .status()
                .is_redirection()
                .then(|| response.headers().get(reqwest::header::LOCATION))
                .flatten()
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok());
            match next {
                Some(next) => url = next,
                None => return Ok(response),
            }
        }
        // Too many hops: the last answer (a redirect) is reported as an HTTP error.
        self.get(client, url).send().await
    }

    /// A GET of `url`, with the token only if `url` has the endpoint's scheme, host and port.
    pub fn get(&self, client: &Client, url: Url) -> reqwest::RequestBuilder {
        let same_host = self.base().is_ok_and(|b| {
            b.host_str() == url.host_str()
                && b.port_or_known_default() == url.port_or_known_default()
                && b.scheme() == url.scheme()
        });
        let request = client.get(url);
        match &self.token {
            Some(token) if same_host && self.kind == SourceKind::HuggingFace => {
                request.bearer_auth(token)
            }
            _ => request,
        }
    }

    /// Turns a transport error into "unreachable", naming the setting to change.
    pub fn unreachable(&self, e: &reqwest::Error) -> PullError {
        let mut reason = e.to_string();
        let mut cause = std::error::Error::source(e);
        while let Some(c) = cause {
            reason = format!("{reason}: {c}");
            cause = c.source();
        }
        PullError::Unreachable {
            source_name: self.kind.name(),
            endpoint: self.endpoint.clone(),
            setting: self.kind.setting(),
            reason,
        }
    }

    fn not_found(&self, repo: &str) -> PullError {
        PullError::RepoNotFound {
            repo: repo.to_owned(),
            source_name: self.kind.name(),
            hint: match self.kind {
                SourceKind::HuggingFace => {
                    " (check the name and revision; for a private or gated repo, set HF_TOKEN)"
                }
                SourceKind::ModelScope => " (check the name; ModelScope names are OWNER/REPO)",
            },
        }
    }

    /// Every file of `repo` at this source's revision.
    pub async fn list(&self, client: &Client, repo: &str) -> Result<Vec<RemoteFile>, PullError> {
        let mut url = Some(self.list_url(repo)?);
        let mut files = Vec::new();
        while let Some(current) = url.take() {
            let response = self
                .send(client, current.clone(), None)
                .await
                .map_err(|e| self.unreachable(&e))?;
            let status = response.status();
            if matches!(
                status,
                StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            ) {
                return Err(self.not_found(repo));
            }
            if !status.is_success() {
                return Err(PullError::Http {
                    url: current.to_string(),
                    status: status.as_u16(),
                    hint: "",
                });
            }
            url = next_link(response.headers());
            let body = response.text().await.map_err(|e| self.unreachable(&e))?;
            let bad = |reason: String| PullError::BadListing {
                url: current.to_string(),
                reason,
            };
            match self.kind {
                SourceKind::HuggingFace => {
                    let entries: Vec<HfEntry> =
                        serde_json::from_str(&body).map_err(|e| bad(e.to_string()))?;
                    files.extend(entries.into_iter().filter(|e| e.kind == "file").map(|e| {
                        RemoteFile {
                            path: e.path,
                            size: e.size,
                            sha256: sha_or_none(e.lfs.map(|l| l.oid)),
                        }
                    }));
                }
                SourceKind::ModelScope => {
                    let listing: MsListing =
                        serde_json::from_str(&body).map_err(|e| bad(e.to_string()))?;
                    if listing.code != 200 {
                        let _ = listing.message;
                        return Err(self.not_found(repo));
                    }
                    let data = listing.data.unwrap_or(MsData { files: Vec::new() });
                    files.extend(
                        data.files
                            .into_iter()
                            .filter(|f| f.kind != "tree")
                            .map(|f| RemoteFile {
                                path: f.path,
                                size: f.size,
                                sha256: sha_or_none(f.sha256),
                            }),
                    );
                }
            }
        }
        Ok(files)
    }
}

/// The `rel="next"` target of a `Link` header (Hugging Face pages long listings).
fn next_link(headers: &reqwest::header::HeaderMap) -> Option<Url> {
    let link = headers.get(reqwest::header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then_some(())?;
        Url::parse(target.trim().trim_start_matches('<').trim_end_matches('>')).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(kind: SourceKind) -> Source {
        Source {
            kind,
            endpoint: "https://hub.example/mirror".into(),
            token: Some("t".into()),
            revision: kind.default_revision().into(),
        }
    }

    #[test]
    fn urls_follow_the_hub_apis() {
        let hf = source(SourceKind::HuggingFace);
        assert_eq!(
            hf.list_url("o/r").unwrap().as_str(),
            "https://hub.example/mirror/api/models/o/r/tree/main?recursive=true"
        );
        assert_eq!(
            hf.file_url("o/r", "Q8 0/x.gguf").unwrap().as_str(),
            "https://hub.example/mirror/o/r/resolve/main/Q8%200/x.gguf"
        );
        let ms = source(SourceKind::ModelScope);
        assert_eq!(
            ms.list_url("o/r").unwrap().as_str(),
            "https://hub.example/mirror/api/v1/models/o/r/repo/files?Revision=master&Recursive=true"
        );
        assert_eq!(
            ms.file_url("o/r", "sub/x.gguf").unwrap().as_str(),
            "https://hub.example/mirror/api/v1/models/o/r/repo?Revision=master&FilePath=sub%2Fx.gguf"
        );
    }

    #[test]
    fn the_token_goes_to_the_endpoint_host_only() {
        let client = Client::new();
        let hf = source(SourceKind::HuggingFace);
        let auth = |url: &str| {
            hf.get(&client, Url::parse(url).unwrap())
                .build()
                .unwrap()
                .headers()
                .contains_key(reqwest::header::AUTHORIZATION)
        };
        assert!(auth("https://hub.example/mirror/o/r/resolve/main/x.gguf"));
        assert!(!auth("https://cdn.example/x.gguf"));
        assert!(!auth("http://hub.example/x.gguf"));
        assert!(!auth("https://hub.example:8443/x.gguf"));
    }

    #[test]
    fn next_page_comes_from_the_link_header() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::LINK,
            "<https://h/api/models/o/r/tree/main?cursor=x>; rel=\"next\""
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&headers).unwrap().as_str(),
            "https://h/api/models/o/r/tree/main?cursor=x"
        );
        assert!(next_link(&reqwest::header::HeaderMap::new()).is_none());
    }
}
