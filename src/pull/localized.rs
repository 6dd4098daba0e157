//! [`PullError`] in the interface language: `ggchat pull` prints it at the end of a download.
//! One message per variant in `assets/i18n/*.ftl`, with the same repo, file, URL and byte counts
//! as the English `Display`; the network's and the system's own reasons are quoted as they are.

use super::error::PullError;
use crate::tr;

/// The hints the source and the downloader choose from, each with its message.
const HINTS: &[(&str, &str)] = &[
    (
        " (check the name and revision; for a private or gated repo, set HF_TOKEN)",
        "pull-hint-hf-not-found",
    ),
    (
        " (check the name; ModelScope names are OWNER/REPO)",
        "pull-hint-ms-not-found",
    ),
    (
        ": the file is not in the repository (any more?)",
        "pull-hint-http-404",
    ),
    (
        ": a gated or private repo needs HF_TOKEN (accept its terms on the hub first)",
        "pull-hint-http-auth",
    ),
    (
        ": the partial file does not match the server's; delete the .part file and try again",
        "pull-hint-http-416",
    ),
];

fn hint(english: &str) -> String {
    HINTS
        .iter()
        .find(|(en, _)| *en == english)
        .map_or_else(|| english.to_owned(), |(_, id)| tr!(id))
}

impl PullError {
    /// The error worded in the interface language.
    pub fn localized(&self) -> String {
        let path = |p: &std::path::Path| p.display().to_string();
        match self {
            PullError::InvalidSpec(spec) => tr!("pull-err-invalid-spec", spec = spec.as_str()),
            PullError::Unreachable {
                source_name,
                endpoint,
                setting,
                reason,
            } => tr!(
                "pull-err-unreachable",
                source_name = *source_name,
                endpoint = endpoint.as_str(),
                setting = *setting,
                reason = reason.as_str()
            ),
            PullError::RepoNotFound {
                repo,
                source_name,
                hint: h,
            } => tr!(
                "pull-err-repo-not-found",
                repo = repo.as_str(),
                source_name = *source_name,
                hint = hint(h)
            ),
            PullError::NoGguf { repo, files } => tr!(
                "pull-err-no-gguf",
                repo = repo.as_str(),
                files = files.as_str()
            ),
            PullError::FileNotFound {
                repo,
                wanted,
                choices,
            } => tr!(
                "pull-err-file-not-found",
                repo = repo.as_str(),
                wanted = wanted.as_str(),
                choices = choices.as_str()
            ),
            PullError::Ambiguous { repo, choices, .. } => tr!(
                "pull-err-ambiguous",
                repo = repo.as_str(),
                choices = choices.as_str()
            ),
            PullError::IncompleteSplit { file, index, count } => tr!(
                "pull-err-incomplete-split",
                file = file.as_str(),
                index = index.to_string(),
                count = count.to_string()
            ),
            PullError::Http {
                url,
                status,
                hint: h,
            } => tr!(
                "pull-err-http",
                url = url.as_str(),
                status = status.to_string(),
                hint = hint(h)
            ),
            PullError::Html { url } => tr!("pull-err-html", url = url.as_str()),
            PullError::BadListing { url, reason } => tr!(
                "pull-err-bad-listing",
                url = url.as_str(),
                reason = reason.as_str()
            ),
            PullError::Interrupted {
                file,
                done,
                total,
                reason,
                part,
            } => tr!(
                "pull-err-interrupted",
                file = file.as_str(),
                done = done.to_string(),
                total = total.to_string(),
                reason = reason.as_str(),
                part = path(part)
            ),
            PullError::DiskFull { path: p, dir } => {
                tr!("pull-err-disk-full", path = path(p), dir = path(dir))
            }
            PullError::Write { path: p, source } => tr!(
                "pull-err-write",
                path = path(p),
                reason = source.to_string()
            ),
            PullError::Checksum {
                file,
                expected,
                actual,
            } => tr!(
                "pull-err-checksum",
                file = file.as_str(),
                expected = expected.as_str(),
                actual = actual.as_str()
            ),
            PullError::Size {
                file,
                expected,
                actual,
            } => tr!(
                "pull-err-size",
                file = file.as_str(),
                expected = expected.to_string(),
                actual = actual.to_string()
            ),
            PullError::Exists { path: p } => tr!("pull-err-exists", path = path(p)),
            PullError::NotGguf { file, reason } => tr!(
                "pull-err-not-gguf",
                file = file.as_str(),
                reason = reason.as_str()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::check::assert_translated;
    use crate::i18n::{Lang, with_language};
    use std::path::PathBuf;

    /// Each hint is one the code really gives, word for word.
    #[test]
    fn the_hints_are_the_ones_the_code_gives() {
        let code = [include_str!("source.rs"), include_str!("download.rs")].concat();
        for (english, _) in HINTS {
            assert!(
                code.contains(&format!("\"{english}\"")),
                "{english:?} is not in the code"
            );
        }
    }

    #[test]
    fn every_pull_error_is_worded_in_both_languages_with_its_data() {
        let repo = "bartowski/Qwen2.5-0.5B-Instruct-GGUF";
        let file = "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf";
        let url = "http://127.0.0.1:7/resolve/main/x.gguf";
        let part = PathBuf::from("/m/x.gguf.part");
        let mut cases: Vec<(PullError, Vec<&str>)> = vec![
            (
                PullError::InvalidSpec("a::b".into()),
                vec!["a::b", "Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M"],
            ),
            (
                PullError::Unreachable {
                    source_name: "Hugging Face",
                    endpoint: "http://127.0.0.1:7".into(),
                    setting: "pull.hf_endpoint",
                    reason: "ECONNREFUSED".into(),
                },
                vec![
                    "Hugging Face",
                    "http://127.0.0.1:7",
                    "pull.hf_endpoint",
                    "ECONNREFUSED",
                ],
            ),
            (
                PullError::NoGguf {
                    repo: repo.into(),
                    files: "README.md".into(),
                },
                vec![repo, "README.md"],
            ),
            (
                PullError::FileNotFound {
                    repo: repo.into(),
                    wanted: "q9.gguf".into(),
                    choices: "  a.gguf\n  b.gguf".into(),
                },
                vec![repo, "q9.gguf", "  a.gguf\n  b.gguf"],
            ),
            (
                PullError::Ambiguous {
                    repo: repo.into(),
                    choices: "  a.gguf".into(),
                    options: vec![],
                },
                vec![repo, "  a.gguf", "QUANT"],
            ),
            (
                PullError::IncompleteSplit {
                    file: file.into(),
                    index: 2,
                    count: 3,
                },
                vec![file, "2", "3"],
            ),
            (PullError::Html { url: url.into() }, vec![url]),
            (
                PullError::BadListing {
                    url: url.into(),
                    reason: "EOF at 3".into(),
                },
                vec![url, "EOF at 3"],
            ),
            (
                PullError::Interrupted {
                    file: file.into(),
                    done: 1000,
                    total: 5000,
                    reason: "ETIMEDOUT".into(),
                    part: part.clone(),
                },
                vec![file, "1000", "5000", "ETIMEDOUT", "/m/x.gguf.part"],
            ),
            (
                PullError::DiskFull {
                    path: part.clone(),
                    dir: "/m".into(),
                },
                vec!["/m/x.gguf.part", "/m"],
            ),
            (
                PullError::Write {
                    path: part.clone(),
                    source: std::io::Error::other("EROFS"),
                },
                vec!["/m/x.gguf.part", "EROFS"],
            ),
            (
                PullError::Checksum {
                    file: file.into(),
                    expected: "abc123".into(),
                    actual: "def456".into(),
                },
                vec![file, "abc123", "def456"],
            ),
            (
                PullError::Size {
                    file: file.into(),
                    expected: 4096,
                    actual: 10,
                },
                vec![file, "4096", "10"],
            ),
            (
                PullError::Exists { path: part.clone() },
                vec!["/m/x.gguf.part"],
            ),
            (
                PullError::NotGguf {
                    file: file.into(),
                    reason: "bad magic".into(),
                },
                vec![file, "bad magic"],
            ),
        ];
        for (h, source_name) in [(HINTS[0].0, "Hugging Face"), (HINTS[1].0, "ModelScope")] {
            cases.push((
                PullError::RepoNotFound {
                    repo: repo.into(),
                    source_name,
                    hint: h,
                },
                vec![repo, source_name],
            ));
        }
        for (h, status) in [
            (HINTS[2].0, 404),
            (HINTS[3].0, 403),
            (HINTS[4].0, 416),
            ("", 500),
        ] {
            cases.push((
                PullError::Http {
                    url: url.into(),
                    status,
                    hint: h,
                },
                vec![url],
            ));
        }
        for (error, data) in &cases {
            let mut data = data.clone();
            if let PullError::Http { status, .. } = error {
                data.push(Box::leak(status.to_string().into_boxed_str()));
                if *status == 416 {
                    data.push(".part");
                }
            }
            assert_translated(|| error.localized(), &data);
            let en = with_language(Lang::En, || error.localized());
            assert_eq!(en, error.to_string(), "English wording is the Display text");
        }
    }
}
