//! Hostile chat templates (from a model file, or a `--template x.jinja`) fail fast, with a clear
//! error and bounded memory: output, fuel and recursion are capped *while* rendering.
//!
//! A counting allocator measures the peak heap memory of each render, so these tests would fail
//! if a cap were checked only after the work was done (a 64 MiB output is built before a
//! post-check sees it; a 90 MB `"x" * n` is allocated before anything is written).

use ggchat::chat::Message;
use ggchat::engine::jinja::{BASE_FUEL, BASE_OUTPUT_BYTES, JinjaError, SpecialTokens, render};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed)
                    + (new_size - layout.size());
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One render at a time: the counters are process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

/// Heap memory a render of a short conversation may use on top of what was allocated before it:
/// a fixed budget, so raising the limits in `jinja.rs` fails here. It covers the output cap,
/// plus twice the bytes the base fuel can pay for (a string growing by doubling its buffer
/// briefly holds up to twice its length), plus 16 MiB for everything else.
const MAX_RENDER_HEAP: usize = 96 << 20;
const _: () =
    assert!(BASE_OUTPUT_BYTES + 2 * (BASE_FUEL as usize) * 64 + (16 << 20) <= MAX_RENDER_HEAP);

/// Fast even on a debug build on a busy machine; the unbounded versions run for minutes or
/// exhaust memory.
const FAST: Duration = Duration::from_secs(20);

struct Measured {
    result: Result<String, JinjaError>,
    peak_extra: usize,
    elapsed: Duration,
}

fn measure(source: &str, messages: &[Message]) -> Measured {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let result = render(source, messages, true, &SpecialTokens::default());
    let elapsed = started.elapsed();
    let peak_extra = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    Measured {
        result,
        peak_extra,
        elapsed,
    }
}

fn assert_bounded(name: &str, m: &Measured) {
    eprintln!(
        "{name}: {:?} in {:?}, peak {} MiB",
        m.result.as_ref().map(String::len).map_err(|e| e
            .to_string()
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()),
        m.elapsed,
        m.peak_extra >> 20
    );
    assert!(
        m.peak_extra < MAX_RENDER_HEAP,
        "{name}: peak heap {} MiB, over {} MiB",
        m.peak_extra >> 20,
        MAX_RENDER_HEAP >> 20
    );
    assert!(m.elapsed < FAST, "{name}: took {:?}", m.elapsed);
}

fn render_error(name: &str, source: &str) -> JinjaError {
    let m = measure(source, &[Message::user("hi")]);
    assert_bounded(name, &m);
    match m.result {
        Ok(out) => panic!("{name}: rendered {} bytes", out.len()),
        Err(e) => e,
    }
}

#[test]
fn a_template_printing_gigabytes_stops_at_the_output_cap() {
    // 10^15 bytes: printed 10 kB at a time. The writer refuses the byte past the cap, long before
    // the fuel (which also pays for output) runs out.
    let source = "{% set s = 'x' * 10000 %}{% for i in range(100000) %}\
                  {% for j in range(100000) %}{{ s }}{% endfor %}{% endfor %}";
    let err = render_error("printed loops", source);
    assert!(
        matches!(err, JinjaError::OutputTooLarge { limit } if limit >= BASE_OUTPUT_BYTES),
        "{err}"
    );
    assert!(err.to_string().contains("it was stopped"), "{err}");
}

#[test]
fn strings_built_in_memory_run_out_of_fuel_before_they_are_allocated() {
    for (name, source) in [
        // 10 GB in one multiplication: refused before the allocation.
        ("multiply 10 GB", "{{ 'x' * 10000000000 }}"),
        // 90 MB: under minijinja's own limit for repeated strings; the fuel refuses it.
        ("multiply 90 MB", "{{ ('x' * 90000000) | length }}"),
        // Doubling a string 40 times: 1 TB.
        (
            "doubling",
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}\
             {% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        ),
        // A join whose separator is large: the joined string grows with every item.
        ("join", "{{ (range(100000) | join('x' * 50000)) | length }}"),
        ("join a billion", "{{ range(1000000000) | join }}"),
        // Python's str.replace, from minijinja-contrib.
        (
            "replace",
            "{% set s = 'x' * 4000000 %}{{ s.replace('x', 'y' * 32) | length }}",
        ),
        // A list of 100 million items, made real.
        ("list", "{{ ([1] * 100000000) | list | length }}"),
        // A captured block that grows without being printed.
        (
            "captured",
            "{% set ns = namespace(s='') %}{% for i in range(100000) %}\
             {% set block %}{{ ns.s }}{{ 'x' * 10000 }}{% endset %}{% set ns.s = block %}\
             {% endfor %}{{ ns.s | length }}",
        ),
    ] {
        let err = render_error(name, source);
        assert!(matches!(err, JinjaError::Render(_)), "{name}: {err}");
        let text = err.to_string();
        assert!(
            text.contains("fuel") || text.contains("too large") || text.contains("too many"),
            "{name}: {text}"
        );
    }
}

#[test]
fn deep_recursion_and_endless_loops_fail_fast() {
    let err = render_error(
        "macro recursion",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    );
    assert!(err.to_string().contains("recursion"), "{err}");
    let err = render_error(
        "recursive loop",
        "{% for x in [[1]] recursive %}{{ loop([x]) }}{% endfor %}",
    );
    assert!(err.to_string().contains("recursion"), "{err}");
    let err = render_error(
        "nested loops",
        "{% for a in range(100000) %}{% for b in range(100000) %}\
         {% for c in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
    );
    assert!(err.to_string().contains("fuel"), "{err}");
}

#[test]
fn a_long_real_conversation_still_renders() {
    // The limits grow with the input: 4,000 messages of 1 kB each through a ChatML template.
    let messages: Vec<Message> = (0..4000)
        .map(|i| {
            let text = format!("message {i} ") + &"lorem ipsum ".repeat(85);
            if i % 2 == 0 {
                Message::user(text)
            } else {
                Message::assistant(text)
            }
        })
        .collect();
    let source = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content | trim }}\
                  <|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n\
                  {% endif %}";
    let m = measure(source, &messages);
    let out = m.result.as_ref().expect("renders");
    assert!(out.len() > 4000 * 1000, "{}", out.len());
    assert!(out.ends_with("<|im_start|>assistant\n"));
    assert!(m.elapsed < FAST, "{:?}", m.elapsed);
}
