//! The table drives validation, defaults and round trips; the old hand-written cases stay.
use super::*;

#[test]
fn defaults_are_valid() {
    SamplingParams::default().validate().unwrap();
    ModelParams::default().validate().unwrap();
}

#[test]
fn flash_attention_auto_is_off_only_where_the_fused_cpu_kernel_is_slow() {
    use FlashAttention::*;
    // (setting, gpu layers, slow CPU kernel) -> forced on/off, or None = llama.cpp decides
    let cases = [
        (Auto, 0, true, Some(false)),
        (Auto, 0, false, None),
        (Auto, 20, true, None),
        (On, 0, true, Some(true)),
        (Off, 20, false, Some(false)),
    ];
    for (setting, layers, slow, expected) in cases {
        assert_eq!(
            setting.resolve(layers, slow),
            expected,
            "{setting:?} {layers} {slow}"
        );
    }
    assert_eq!(" ON ".parse::<FlashAttention>(), Ok(On));
    assert_eq!("".parse::<FlashAttention>(), Ok(Auto));
    let error = "fast".parse::<FlashAttention>().unwrap_err().to_string();
    assert_eq!(
        error,
        "flash_attention = fast is out of range: auto, on or off"
    );
}

#[test]
fn absurd_values_are_named() {
    let bad = SamplingParams {
        temperature: -1.0,
        ..Default::default()
    };
    let err = bad.validate().unwrap_err();
    assert_eq!(
        err.to_string(),
        "temperature = -1 is out of range: 0 to 5 (0 = greedy)"
    );
    let bad = SamplingParams {
        top_p: f32::NAN,
        ..Default::default()
    };
    assert_eq!(bad.validate().unwrap_err().name, "top_p");
    let bad = ModelParams {
        ctx_size: Some(64),
        ..Default::default()
    };
    assert_eq!(bad.validate().unwrap_err().name, "ctx_size");
}

#[test]
fn context_defaults_to_trained_capped() {
    let params = ModelParams::default();
    assert_eq!(params.effective_ctx_size(8192), 4096);
    assert_eq!(params.effective_ctx_size(2048), 2048);
    let params = ModelParams {
        ctx_size: Some(256),
        ..Default::default()
    };
    assert_eq!(params.effective_ctx_size(8192), 256);
}
