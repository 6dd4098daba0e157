//! Pulls that succeed: Hugging Face through HF_ENDPOINT, ModelScope through the config, a split
//! model, resuming after interruptions, the token's reach, and `models` / `models rm`.

use crate::common::{self, TempHome};
use crate::hub::{Faults, Hub, HubFile};
use crate::{REPO, files, hub_with_model, model_bytes, models_dir, pull, pull_env, sha256, text};
use std::time::{Duration, Instant};

#[test]
fn pulls_the_default_model_through_a_hugging_face_mirror() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let out = pull(&home, &hub, &[&format!("{REPO}:Q4_1")]);
    assert!(out.status.success(), "{}", text(&out));
    let model = models_dir(&home).join(common::DEFAULT_MODEL_FILE);
    assert_eq!(
        sha256(&std::fs::read(&model).unwrap()),
        sha256(&model_bytes())
    );
    assert_eq!(
        files(&home),
        [
            common::DEFAULT_MODEL_FILE.to_string(),
            format!("{}.source.json", common::DEFAULT_MODEL_FILE)
        ]
    );
    let source: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            models_dir(&home).join(format!("{}.source.json", common::DEFAULT_MODEL_FILE)),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(source["source"], "huggingface");
    assert_eq!(source["repo"], REPO);
    assert_eq!(source["revision"], "main");
    assert_eq!(source["file"], common::DEFAULT_MODEL_FILE);
    assert_eq!(source["sha256"], sha256(&model_bytes()));
    assert_eq!(source["sha256_verified"], true);
    assert!(source["date"].as_str().unwrap().ends_with('Z'), "{source}");
    let paths: Vec<String> = hub.seen().into_iter().map(|s| s.path).collect();
    assert!(
        paths[0].starts_with(&format!("/api/models/{REPO}/tree/main")),
        "{paths:?}"
    );
    assert!(paths.contains(&format!(
        "/{REPO}/resolve/main/{}",
        common::DEFAULT_MODEL_FILE
    )));
    assert!(paths.contains(&format!("/cdn/{REPO}/{}", common::DEFAULT_MODEL_FILE)));
    let err = common::stderr(&out);
    assert!(
        err.contains(" / 93.8 MiB (100%)") && err.contains("MiB/s") && err.contains(" left"),
        "{err}"
    );

    // The pulled model is listed with where it came from, and it loads and answers.
    let list = home.run(&["models"]);
    let listing = common::stdout(&list);
    assert!(
        listing.contains(&format!("from huggingface {REPO} (main)")),
        "{listing}"
    );
    assert!(
        listing.contains("Q4_1") && listing.contains("sha256 verified"),
        "{listing}"
    );
    let ask = home.run(&["--temperature", "0", "-n", "4", "ask", "Say hi"]);
    assert!(ask.status.success(), "{}", text(&ask));

    // A second pull finds it in place and downloads nothing.
    hub.clear_seen();
    let again = pull(&home, &hub, &[&format!("{REPO}:Q4_1")]);
    assert!(
        common::stdout(&again).contains("already in"),
        "{}",
        text(&again)
    );
    assert!(!hub.seen().iter().any(|s| s.path.starts_with("/cdn/")));
}

#[test]
fn pulls_from_modelscope_by_prefix_and_by_config() {
    let hub = hub_with_model();
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[pull]\nmodelscope_endpoint = \"{}\"\n", hub.url()),
    )
    .unwrap();
    let out = pull(&home, &hub, &[&format!("modelscope:{REPO}:Q4_1")]);
    assert!(out.status.success(), "{}", text(&out));
    let model = models_dir(&home).join(common::DEFAULT_MODEL_FILE);
    assert_eq!(
        sha256(&std::fs::read(&model).unwrap()),
        sha256(&model_bytes())
    );
    let seen: Vec<String> = hub.seen().into_iter().map(|s| s.path).collect();
    assert_eq!(
        seen,
        [
            format!("/api/v1/models/{REPO}/repo/files"),
            format!("/api/v1/models/{REPO}/repo")
        ]
    );
    let source = std::fs::read_to_string(
        models_dir(&home).join(format!("{}.source.json", common::DEFAULT_MODEL_FILE)),
    )
    .unwrap();
    assert!(
        source.contains("\"source\": \"modelscope\"")
            && source.contains("\"revision\": \"master\""),
        "{source}"
    );

    // `[pull] source = "modelscope"` makes it the default; `--from` works too.
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!(
            "[pull]\nsource = \"modelscope\"\nmodelscope_endpoint = \"{}\"\n",
            hub.url()
        ),
    )
    .unwrap();
    hub.clear_seen();
    let out = pull(
        &home,
        &hub,
        &[&format!("{REPO}/{}", common::DEFAULT_MODEL_FILE)],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(hub.seen().iter().all(|s| s.path.starts_with("/api/v1/")));
}

#[test]
fn interrupted_downloads_resume_to_an_identical_file() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let spec = format!("{REPO}:Q4_1");
    let part = models_dir(&home).join(format!("{}.part", common::DEFAULT_MODEL_FILE));
    let mut sizes = Vec::new();
    for drop_after in [1_000_000u64, 30_000_000] {
        hub.set_faults(Faults {
            drop_after: Some(drop_after),
            ..Faults::default()
        });
        let out = pull(&home, &hub, &[&spec]);
        let err = common::stderr(&out);
        assert!(!out.status.success(), "{}", text(&out));
        assert!(
            err.contains("run the same command again to resume"),
            "{err}"
        );
        assert!(!models_dir(&home).join(common::DEFAULT_MODEL_FILE).exists());
        sizes.push(std::fs::metadata(&part).unwrap().len());
    }
    assert!(sizes[0] > 0 && sizes[1] > sizes[0], "{sizes:?}");

    // Killed outright while a slow download runs.
    hub.set_faults(Faults {
        throttle: Some((64 * 1024, Duration::from_millis(5))),
        ..Faults::default()
    });
    let mut child = home
        .command()
        .args(["pull", &spec])
        .env("HF_ENDPOINT", hub.url())
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::fs::metadata(&part).map_or(0, |m| m.len()) < sizes[1] + 2_000_000 {
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let killed_at = std::fs::metadata(&part).unwrap().len();
    assert!(killed_at > sizes[1], "{killed_at}");

    hub.set_faults(Faults::default());
    hub.clear_seen();
    let out = pull(&home, &hub, &[&spec]);
    assert!(out.status.success(), "{}", text(&out));
    let ranges: Vec<String> = hub
        .seen()
        .into_iter()
        .filter(|s| s.path.starts_with("/cdn/"))
        .filter_map(|s| s.range)
        .collect();
    assert_eq!(ranges, [format!("bytes={killed_at}-")]);
    assert!(
        common::stderr(&out).contains("resuming at"),
        "{}",
        text(&out)
    );
    let model = models_dir(&home).join(common::DEFAULT_MODEL_FILE);
    assert_eq!(
        sha256(&std::fs::read(&model).unwrap()),
        sha256(&model_bytes())
    );
    assert!(!part.exists());
}

#[test]
fn a_split_model_is_fetched_whole_loads_and_is_removed_whole() {
    let (one, two) = crate::split::split_in_two(&model_bytes());
    let hub = Hub::start();
    let names = ["Q8/smol-00001-of-00002.gguf", "Q8/smol-00002-of-00002.gguf"];
    hub.add_repo(
        "o/split-GGUF",
        vec![
            HubFile::lfs(names[0], one.clone().into()),
            HubFile::lfs(names[1], two.clone().into()),
            HubFile::lfs("smol-Q4_1.gguf", model_bytes()),
        ],
    );
    let home = TempHome::new();
    let out = pull(&home, &hub, &["o/split-GGUF:Q8"]);
    assert!(!out.status.success(), "no such tag: {}", text(&out));
    let out = pull(&home, &hub, &["o/split-GGUF/Q8/smol-00001-of-00002.gguf"]);
    assert!(out.status.success(), "{}", text(&out));
    let dir = models_dir(&home);
    assert_eq!(
        std::fs::read(dir.join("smol-00001-of-00002.gguf")).unwrap(),
        one
    );
    assert_eq!(
        std::fs::read(dir.join("smol-00002-of-00002.gguf")).unwrap(),
        two
    );
    let ask = home.run(&[
        "--model",
        "smol-00001-of-00002.gguf",
        "-n",
        "4",
        "--temperature",
        "0",
        "ask",
        "Say hi",
    ]);
    assert!(ask.status.success(), "{}", text(&ask));
    assert!(!common::stdout(&ask).trim().is_empty(), "{}", text(&ask));

    let refused = home.run(&["models", "rm", "smol"]);
    assert!(!refused.status.success());
    assert!(
        common::stderr(&refused).contains("pass --yes"),
        "{}",
        text(&refused)
    );
    assert_eq!(files(&home).len(), 4, "{:?}", files(&home));
    let removed = home.run(&["models", "rm", "smol", "--yes"]);
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(files(&home).is_empty(), "{:?}", files(&home));
    let missing = home.run(&["models", "rm", "smol", "--yes"]);
    assert!(
        common::stderr(&missing).contains("no model 'smol'"),
        "{}",
        text(&missing)
    );
}

#[test]
fn the_token_reaches_the_endpoint_host_only() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let spec = format!("{REPO}:Q4_1");
    // The resolve redirect goes to "localhost": the same server under another host name, as a
    // CDN on another host would be.
    hub.set_faults(Faults {
        redirect_host: Some(format!("localhost:{}", hub.addr.port())),
        ..Faults::default()
    });
    let out = pull_env(&home, &hub, &[&spec], &[("HF_TOKEN", "hf_secret")]);
    assert!(out.status.success(), "{}", text(&out));
    let seen = hub.seen();
    let bearer = Some("Bearer hf_secret".to_string());
    assert!(
        seen.iter()
            .filter(|s| !s.path.starts_with("/cdn/"))
            .all(|s| s.authorization == bearer),
        "{seen:?}"
    );
    let cdn: Vec<_> = seen
        .iter()
        .filter(|s| s.path.starts_with("/cdn/"))
        .collect();
    assert!(
        !cdn.is_empty()
            && cdn
                .iter()
                .all(|s| s.authorization.is_none() && s.host.starts_with("localhost")),
        "{seen:?}"
    );
}

/// Under a Chinese locale, `pull` reports its progress and result in Chinese, `models` says
/// where the file came from, and `models rm` confirms in Chinese.
#[test]
fn pull_models_and_rm_speak_chinese_under_a_chinese_locale() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let zh = [("LANG", "zh_CN.UTF-8")];
    let out = pull_env(&home, &hub, &[&format!("{REPO}:Q4_1")], &zh);
    assert!(out.status.success(), "{}", text(&out));
    let (said, progress) = (common::stdout(&out), common::stderr(&out));
    assert!(
        said.contains("已保存") && said.contains("开始对话：ggchat --model"),
        "{said}"
    );
    assert!(
        progress.contains("（100%）") && progress.contains("已下载"),
        "{progress}"
    );
    let list = home
        .command()
        .env("LANG", "zh_CN.UTF-8")
        .arg("models")
        .output()
        .unwrap();
    let listing = common::stdout(&list);
    assert!(
        listing.contains(&format!("来自 huggingface {REPO}（main）"))
            && listing.contains("sha256 已校验")
            && listing.contains("模板：有"),
        "{listing}"
    );
    let name = common::DEFAULT_MODEL_FILE.trim_end_matches(".gguf");
    let removed = home.run(&["--lang", "zh-CN", "models", "rm", name, "--yes"]);
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(
        common::stdout(&removed).starts_with("已删除 "),
        "{}",
        text(&removed)
    );
}
