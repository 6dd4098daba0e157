//! `--gpu-layers` on a CPU-only build: the layers cannot go anywhere but the CPU, so ggchat says
//! that they have no effect and keeps every CPU decision (flash attention "auto" included) as if
//! they had not been asked for.
#![cfg(not(any(feature = "vulkan", feature = "cuda", feature = "metal")))]

mod common;

use common::{TempHome, stderr, stdout};

fn ask_json(home: &TempHome, extra: &[&str]) -> (serde_json::Value, String) {
    let model = common::default_model();
    let mut args = vec![
        "ask",
        "--json",
        "--model",
        model.to_str().unwrap(),
        "--temperature",
        "0",
        "-n",
        "8",
    ];
    args.extend_from_slice(extra);
    args.push("What is the capital of France?");
    let out = home.run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let json = serde_json::from_str(&stdout(&out)).expect("one JSON object");
    (json, stderr(&out))
}

#[test]
fn gpu_layers_on_a_cpu_build_are_said_to_have_no_effect() {
    let home = TempHome::new();
    let (plain, quiet) = ask_json(&home, &[]);
    assert!(
        quiet.is_empty(),
        "nothing to say without --gpu-layers: {quiet}"
    );
    assert_eq!(plain["model"]["offload"], "CPU");
    assert!(plain["model"]["notice"].is_null());

    let (asked, said) = ask_json(&home, &["--gpu-layers", "99"]);
    assert!(
        said.contains(
            "GPU layers (99) have no effect: this ggchat was built without a GPU backend"
        ),
        "{said}"
    );
    let model = &asked["model"];
    assert_eq!(model["gpu_layers"], 0, "{asked:#}");
    assert_eq!(model["offload"], "CPU", "{asked:#}");
    assert!(model["notice"].as_str().unwrap().contains("no effect"));
    // The CPU's flash-attention decision is kept.
    assert_eq!(model["flash_attention"], plain["model"]["flash_attention"]);
    assert_eq!(asked["reply"], plain["reply"]);
}
