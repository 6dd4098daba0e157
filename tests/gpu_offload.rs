//! GPU offload, proven without a GPU: the Vulkan build (`--features vulkan`, built by
//! scripts/vulkan-build.sh) runs `ggchat ask --gpu-layers 99` through Mesa's lavapipe, a Vulkan
//! driver that runs on the CPU. ggml-vulkan skips CPU-type devices unless GGML_VK_VISIBLE_DEVICES
//! names them, so the test names device 0; without it the same command must say that the layers
//! asked for run on the CPU.
#![cfg(feature = "vulkan")]

mod common;

use common::{TempHome, stderr, stdout};

fn ask_json(home: &TempHome, visible_devices: Option<&str>) -> (serde_json::Value, String) {
    let model = common::default_model();
    let mut command = home.command();
    command
        .args(["--verbose", "ask", "--json", "--model"])
        .arg(&model)
        .args(["--gpu-layers", "99", "--temperature", "0", "-n", "24"])
        .arg("What is the capital of France?")
        .stdin(std::process::Stdio::null());
    match visible_devices {
        Some(devices) => command.env("GGML_VK_VISIBLE_DEVICES", devices),
        None => command.env_remove("GGML_VK_VISIBLE_DEVICES"),
    };
    let out = command.output().expect("run ggchat");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let json = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("ask --json prints one object ({e}):\n{}", stdout(&out)));
    (json, err)
}

#[test]
fn ask_offloads_every_layer_to_lavapipe_and_answers() {
    let home = TempHome::new();
    let (json, log) = ask_json(&home, Some("0"));
    // llama.cpp's own account of the load.
    assert!(
        log.contains("using device Vulkan0 (llvmpipe"),
        "llama.cpp uses the lavapipe device:\n{log}"
    );
    assert!(
        log.contains("offloaded 31/31 layers to GPU"),
        "llama.cpp offloads every layer:\n{log}"
    );
    // ggchat's account: the model information and the answer.
    let model = &json["model"];
    assert_eq!(model["gpu_layers"], 31, "{json:#}");
    assert_eq!(model["offload"], "Vulkan0 31/31 layers", "{json:#}");
    assert!(model["notice"].is_null(), "{json:#}");
    let reply = json["reply"].as_str().unwrap();
    assert!(reply.contains("Paris"), "{reply}");
}

#[test]
fn gpu_layers_without_a_usable_device_are_said_to_run_on_the_cpu() {
    let home = TempHome::new();
    let (json, log) = ask_json(&home, None);
    assert!(!log.contains("offloaded 31/31"), "{log}");
    assert!(
        log.contains("GPU layers (99) have no effect: the Vulkan backend found no GPU device"),
        "the user is told:\n{log}"
    );
    let model = &json["model"];
    assert_eq!(model["gpu_layers"], 0, "{json:#}");
    assert_eq!(model["offload"], "CPU", "{json:#}");
    assert!(
        json["reply"].as_str().unwrap().contains("Paris"),
        "{json:#}"
    );
}
