//! The table drives validation, defaults and round trips; the old hand-written cases stay.
use super::table::find;
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

/// Checks `value` in row `param` the way every path does: set into the defaults, then the
/// section's `validate`.
fn validate_with(param: &Param, value: Value) -> Result<(), ParamError> {
    let (mut sampling, mut model) = (SamplingParams::default(), ModelParams::default());
    assert!(
        param.set(&mut sampling, &mut model, value.clone()),
        "{}: {value:?} is not of the row's type",
        param.name
    );
    sampling.validate()?;
    model.validate()
}

/// Values just outside a row's bounds that its field's type can hold.
fn just_outside(param: &Param) -> Vec<Value> {
    let default = param.default_value();
    match (param.bounds, default) {
        (Bounds::Float { min, max, min_open }, _) => {
            let below = if min_open { min } else { min.next_down() };
            vec![
                Value::F32(below),
                Value::F32(max.next_up()),
                Value::F32(f32::NAN),
                Value::F32(f32::INFINITY),
            ]
        }
        (Bounds::Int { min, max }, Value::I32(_)) => {
            vec![Value::I32(min as i32 - 1), Value::I32(max as i32 + 1)]
        }
        (Bounds::Int { min, max }, Value::U32(_)) => {
            let mut out = vec![Value::U32(max as u32 + 1)];
            if min > 0 {
                out.push(Value::U32(min as u32 - 1));
            }
            out
        }
        (Bounds::Int { min, max }, Value::OptU32(_)) => {
            let mut out = vec![Value::OptU32(Some(max as u32 + 1))];
            if min > 0 {
                out.push(Value::OptU32(Some(min as u32 - 1)));
            }
            out
        }
        (Bounds::NonEmptyStrings, _) => vec![Value::Strings(vec!["</s>".into(), String::new()])],
        (bounds, default) => panic!("{}: no test for {bounds:?} {default:?}", param.name),
    }
}

/// Values at the very edges of a row's bounds, which must be accepted.
fn just_inside(param: &Param) -> Vec<Value> {
    match (param.bounds, param.default_value()) {
        (Bounds::Float { min, max, min_open }, _) => {
            let low = if min_open { min.next_up() } else { min };
            vec![Value::F32(low), Value::F32(max)]
        }
        (Bounds::Int { min, max }, Value::I32(_)) => {
            vec![Value::I32(min as i32), Value::I32(max as i32)]
        }
        (Bounds::Int { min, max }, Value::U32(_)) => {
            vec![Value::U32(min as u32), Value::U32(max as u32)]
        }
        (Bounds::Int { min, max }, _) => vec![
            Value::OptU32(Some(min as u32)),
            Value::OptU32(Some(max as u32)),
            Value::OptU32(None),
        ],
        _ => vec![],
    }
}

#[test]
fn every_row_validates_its_default_and_refuses_values_just_outside_its_range() {
    let mut checked = 0;
    for param in PARAMS {
        let default = param.default_value();
        param.check(&default).unwrap();
        validate_with(param, default).unwrap();
        if param.bounds == Bounds::Any {
            // Only types with no invalid value: a seed, the speculation and flash-attention
            // choices, a path
            // (whose file is checked where it is opened).
            assert!(
                [
                    "seed",
                    "speculation",
                    "flash_attention",
                    "thinking",
                    "lora_path",
                    "draft_model"
                ]
                .contains(&param.name),
                "{} has no bounds",
                param.name
            );
            continue;
        }
        for value in just_inside(param) {
            validate_with(param, value.clone())
                .unwrap_or_else(|e| panic!("{} refused {value:?}: {e}", param.name));
        }
        for value in just_outside(param) {
            let error = validate_with(param, value.clone())
                .expect_err(&format!("{} accepted {value:?}", param.name));
            assert_eq!(error.name, param.name, "{value:?}");
            assert_eq!(error.expected, param.range);
            let text = error.to_string();
            assert!(
                text.starts_with(&format!("{} = ", param.name))
                    && text.ends_with(&format!("is out of range: {}", param.range)),
                "{text}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} out-of-range values tried");
}

/// The table has exactly the structs' fields, so no parameter escapes validation, the pane or
/// the export.
#[test]
fn the_table_has_every_field_of_the_structs_once() {
    let keys = |value: serde_json::Value| -> Vec<String> {
        value.as_object().unwrap().keys().cloned().collect()
    };
    let mut sampling = keys(serde_json::to_value(SamplingParams::default()).unwrap());
    let mut model = keys(serde_json::to_value(ModelParams::default()).unwrap());
    let rows = |section: Section| -> Vec<String> {
        let mut names: Vec<String> = PARAMS
            .iter()
            .filter(|p| p.section() == section)
            .map(|p| p.name.to_owned())
            .collect();
        names.sort();
        names
    };
    sampling.sort();
    model.sort();
    assert_eq!(rows(Section::Sampling), sampling);
    assert_eq!(rows(Section::Model), model);
    for param in PARAMS {
        assert_eq!(
            find(param.name).unwrap().help,
            param.help,
            "{} twice",
            param.name
        );
        assert_eq!(
            param.reloads,
            param.section() == Section::Model,
            "{}",
            param.name
        );
    }
}

#[test]
fn a_step_moves_within_the_bounds() {
    let step = |name: &str, value: Value, up: bool| find(name).unwrap().stepped(&value, up);
    assert_eq!(
        step("temperature", Value::F32(0.7), true),
        Some(Value::F32(0.75))
    );
    assert_eq!(
        step("temperature", Value::F32(0.0), false),
        Some(Value::F32(0.0))
    );
    assert_eq!(
        step("top_p", Value::F32(0.05), false),
        Some(Value::F32(0.05))
    );
    assert_eq!(
        step("top_k", Value::I32(100_000), true),
        Some(Value::I32(100_000))
    );
    assert_eq!(
        step("ctx_size", Value::OptU32(Some(4096)), true),
        Some(Value::OptU32(Some(4352)))
    );
    assert_eq!(step("ctx_size", Value::OptU32(None), true), None);
    assert_eq!(step("stop", Value::Strings(vec![]), true), None);
}

/// The bounds themselves, pinned as they were before the table (the table-driven test above
/// only proves every path agrees with the table): the values just outside each range are
/// refused by the config file with the parameter's name, the values at its edges load.
#[test]
fn ranges_are_the_documented_ones() {
    let cases = [
        ("sampling", "temperature", ["0", "5"], ["-0.001", "5.001"]),
        ("sampling", "top_k", ["0", "100000"], ["-1", "100001"]),
        ("sampling", "top_p", ["0.0001", "1"], ["0", "1.001"]),
        ("sampling", "min_p", ["0", "1"], ["-0.001", "1.001"]),
        (
            "sampling",
            "repeat_penalty",
            ["0.1", "5"],
            ["0.099", "5.001"],
        ),
        ("sampling", "repeat_last_n", ["0", "65536"], ["-1", "65537"]),
        (
            "sampling",
            "presence_penalty",
            ["-2", "2"],
            ["-2.001", "2.001"],
        ),
        (
            "sampling",
            "frequency_penalty",
            ["-2", "2"],
            ["-2.001", "2.001"],
        ),
        ("sampling", "max_tokens", ["1", "1000000"], ["0", "1000001"]),
        (
            "sampling",
            "thinking_budget",
            ["0", "1000000"],
            ["1000001", "1000001"],
        ),
        ("sampling", "alternatives", ["2", "4"], ["1", "5"]),
        (
            "sampling",
            "stop",
            ["[\"a\"]", "[]"],
            ["[\"\"]", "[\"a\", \"\"]"],
        ),
        ("sampling", "draft_max", ["1", "512"], ["0", "513"]),
        ("sampling", "lookup_ngram", ["1", "512"], ["0", "513"]),
        ("model", "ctx_size", ["256", "1048576"], ["255", "1048577"]),
        ("model", "gpu_layers", ["0", "10000"], ["10001", "10001"]),
        ("model", "threads", ["1", "1024"], ["0", "1025"]),
        ("model", "batch_size", ["16", "65536"], ["15", "65537"]),
        ("model", "lora_scale", ["-10", "10"], ["-10.001", "10.001"]),
    ];
    let path = std::path::Path::new("config.toml");
    let load = |table: &str, name: &str, value: &str| {
        crate::config::Config::parse(&format!("[{table}]\n{name} = {value}\n"), path)
    };
    for (table, name, good, bad) in cases {
        for value in good {
            load(table, name, value).unwrap_or_else(|e| panic!("{name} = {value}: {e}"));
        }
        for value in bad {
            let error = load(table, name, value)
                .expect_err(&format!("{name} = {value} loaded"))
                .to_string();
            assert!(
                error.contains(&format!("key `{table}.{name}`: {name} = ")),
                "{error}"
            );
        }
    }
    let named: Vec<_> = cases.iter().map(|c| c.1).collect();
    for param in PARAMS.iter().filter(|p| p.bounds != Bounds::Any) {
        assert!(
            named.contains(&param.name),
            "{} has no pinned range",
            param.name
        );
    }
}
