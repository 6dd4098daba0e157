//! Where a model's layers run: which GPU devices llama.cpp will use and how many layers go there.
//!
//! llama.cpp decides this silently: with no usable GPU device (a CPU-only build, or a Vulkan build
//! whose only device is a CPU driver that ggml-vulkan skips by default) `--gpu-layers 99` loads
//! everything on the CPU and says nothing. ggchat mirrors llama.cpp's default device choice so it
//! can show where layers run, say when GPU layers were asked for and have no effect, and keep the
//! CPU-only decisions (flash attention) when nothing is offloaded.

use crate::params::FlashAttention;
use llama_cpp_2::{LlamaBackendDeviceType, list_llama_ggml_backend_devices};

/// The GPU backends this build was compiled with, for messages.
fn gpu_backends_built() -> &'static [&'static str] {
    if cfg!(feature = "vulkan") {
        &["Vulkan"]
    } else if cfg!(feature = "cuda") {
        &["CUDA"]
    } else if cfg!(feature = "metal") {
        &["Metal"]
    } else {
        &[]
    }
}

/// The devices llama.cpp offloads to by default: discrete GPUs (RPC servers aside), else
/// integrated ones (`llama_model_load` in llama.cpp's src/llama.cpp).
pub fn gpu_devices() -> Vec<String> {
    let devices = list_llama_ggml_backend_devices();
    let named = |kind: LlamaBackendDeviceType| -> Vec<String> {
        devices
            .iter()
            .filter(|d| d.device_type == kind && d.backend != "RPC")
            .map(|d| format!("{} ({})", d.name, d.description))
            .collect()
    };
    let gpus = named(LlamaBackendDeviceType::Gpu);
    if gpus.is_empty() {
        named(LlamaBackendDeviceType::IntegratedGpu)
    } else {
        gpus
    }
}

/// Where the layers of one loaded model run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offload {
    /// The GPU devices used, e.g. "Vulkan0 (llvmpipe (LLVM 15.0.6, 256 bits))".
    pub devices: Vec<String>,
    /// Layers offloaded to them (the output layer counts as one, as llama.cpp counts).
    pub layers: u32,
    /// Layers that could be offloaded: the model's blocks plus the output layer.
    pub total: u32,
}

impl Offload {
    /// What llama.cpp does with `requested` layers of a model with `n_layer` blocks on `devices`.
    pub fn plan(requested: u32, n_layer: u32, devices: Vec<String>) -> Offload {
        let total = n_layer.saturating_add(1);
        let layers = if devices.is_empty() {
            0
        } else {
            requested.min(total)
        };
        Offload {
            devices,
            layers,
            total,
        }
    }

    /// Flash attention for these layers (`None`: llama.cpp decides). What counts is the layers
    /// actually offloaded, not those asked for: GPU layers without a GPU device leave every layer
    /// on the CPU, and so the CPU decision.
    pub fn flash_attention(&self, setting: FlashAttention, slow_cpu_kernel: bool) -> Option<bool> {
        setting.resolve(self.layers, slow_cpu_kernel)
    }

    /// "CPU", or "Vulkan0 31/31 layers" for the status bar and the model information.
    pub fn describe(&self) -> String {
        if self.layers == 0 {
            return "CPU".to_owned();
        }
        let names: Vec<&str> = self
            .devices
            .iter()
            .map(|d| d.split(" (").next().unwrap_or(d))
            .collect();
        format!("{} {}/{} layers", names.join("+"), self.layers, self.total)
    }

    /// A warning when GPU layers were asked for (`requested` > 0) and none are offloaded.
    pub fn notice(&self, requested: u32) -> Option<String> {
        if requested == 0 || self.layers > 0 {
            return None;
        }
        let shown = if requested == u32::MAX {
            "all".to_owned()
        } else {
            requested.to_string()
        };
        Some(match gpu_backends_built() {
            [] => format!(
                "GPU layers ({shown}) have no effect: this ggchat was built without a GPU backend \
                 (rebuild with --features vulkan, cuda or metal); every layer runs on the CPU"
            ),
            backends => format!(
                "GPU layers ({shown}) have no effect: the {} backend found no GPU device (a \
                 CPU Vulkan driver such as lavapipe is used only with GGML_VK_VISIBLE_DEVICES=0); \
                 every layer runs on the CPU",
                backends.join("/")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_run_on_the_cpu_without_a_device_and_that_is_said() {
        let none = Offload::plan(99, 30, Vec::new());
        assert_eq!(none.layers, 0);
        assert_eq!(none.describe(), "CPU");
        let notice = none.notice(99).expect("a notice");
        assert!(
            notice.contains("GPU layers (99) have no effect"),
            "{notice}"
        );
        assert_eq!(none.notice(0), None);
        // The CPU decision stands: no fused kernel where it is the slow one.
        assert_eq!(
            none.flash_attention(FlashAttention::Auto, true),
            Some(false)
        );

        let vulkan = Offload::plan(u32::MAX, 30, vec!["Vulkan0 (llvmpipe)".into()]);
        assert_eq!(vulkan.describe(), "Vulkan0 31/31 layers");
        assert_eq!(vulkan.notice(u32::MAX), None);
        assert_eq!(vulkan.flash_attention(FlashAttention::Auto, true), None);
        assert_eq!(
            Offload::plan(10, 30, vec!["Vulkan0 (x)".into()]).describe(),
            "Vulkan0 10/31 layers"
        );
    }
}
