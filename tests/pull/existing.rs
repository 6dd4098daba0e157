//! A file already in the models folder under the name being pulled, and the ModelScope endpoint
//! from the environment (`MODELSCOPE_DOMAIN`, the ModelScope SDK's name).

use crate::common::{self, TempHome};
use crate::{REPO, files, hub_with_model, model_bytes, models_dir, pull, pull_env, sha256, text};

/// Another model under the default model's name is never replaced, whether its size differs or
/// only its bytes; the hub's own file already there downloads nothing and says so.
#[test]
fn a_different_file_of_the_same_name_is_never_overwritten() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let dir = models_dir(&home);
    std::fs::create_dir_all(&dir).unwrap();
    let dest = dir.join(common::DEFAULT_MODEL_FILE);
    let mut same_size = model_bytes().as_ref().clone();
    let last = same_size.len() - 1;
    same_size[last] ^= 0x01;
    for mine in [b"my own model".to_vec(), same_size] {
        std::fs::write(&dest, &mine).unwrap();
        hub.clear_seen();
        let out = pull(&home, &hub, &[&format!("{REPO}:Q4_1")]);
        assert!(!out.status.success(), "{}", text(&out));
        let err = common::stderr(&out);
        assert!(
            err.contains(&dest.display().to_string())
                && err.contains("is not the hub's file")
                && err.contains("delete or move it, then pull again"),
            "{}",
            text(&out)
        );
        assert_eq!(std::fs::read(&dest).unwrap(), mine, "the file was changed");
        assert_eq!(files(&home), [common::DEFAULT_MODEL_FILE], "nothing added");
        assert!(!hub.seen().iter().any(|s| s.path.starts_with("/cdn/")));
    }

    // The hub's file itself: nothing downloaded, and the output says so.
    std::fs::write(&dest, model_bytes().as_ref()).unwrap();
    hub.clear_seen();
    let out = pull(&home, &hub, &[&format!("{REPO}:Q4_1")]);
    assert!(out.status.success(), "{}", text(&out));
    let said = common::stdout(&out);
    assert!(
        said.contains("is already in") && said.contains("nothing was downloaded"),
        "{}",
        text(&out)
    );
    assert!(!hub.seen().iter().any(|s| s.path.starts_with("/cdn/")));
    assert_eq!(
        sha256(&std::fs::read(&dest).unwrap()),
        sha256(&model_bytes())
    );
}

/// `MODELSCOPE_DOMAIN` wins over `[pull] modelscope_endpoint`, as `HF_ENDPOINT` does over
/// `hf_endpoint`; a bare host gets `https://`, as in the ModelScope SDK.
#[test]
fn modelscope_domain_from_the_environment_wins_over_the_config() {
    let hub = hub_with_model();
    let home = TempHome::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("http://127.0.0.1:{port}");
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[pull]\nmodelscope_endpoint = \"{dead}\"\n"),
    )
    .unwrap();
    let spec = format!("modelscope:{REPO}:Q4_1");
    let out = pull_env(&home, &hub, &[&spec], &[("MODELSCOPE_DOMAIN", &hub.url())]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(hub.seen().iter().all(|s| s.path.starts_with("/api/v1/")));
    assert_eq!(
        sha256(&std::fs::read(models_dir(&home).join(common::DEFAULT_MODEL_FILE)).unwrap()),
        sha256(&model_bytes())
    );

    // A bare host name means https://HOST, and it still wins over a config endpoint that works.
    let home = TempHome::new();
    std::fs::create_dir_all(home.config_dir()).unwrap();
    std::fs::write(
        home.config_dir().join("config.toml"),
        format!("[pull]\nmodelscope_endpoint = \"{}\"\n", hub.url()),
    )
    .unwrap();
    let host = dead.trim_start_matches("http://");
    let out = pull_env(&home, &hub, &[&spec], &[("MODELSCOPE_DOMAIN", host)]);
    assert!(!out.status.success(), "{}", text(&out));
    let err = common::stderr(&out);
    assert!(
        err.contains(&format!("ModelScope is unreachable at https://{host}"))
            && err.contains("MODELSCOPE_DOMAIN"),
        "{}",
        text(&out)
    );
}
