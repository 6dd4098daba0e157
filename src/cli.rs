//! Command-line interface: the chat UI by default, plus headless subcommands.
//!
//! Model and sampling flags are global, so `ggchat --temperature 0 ask ...` and
//! `ggchat ask --temperature 0 ...` mean the same, and the chat UI takes them too.

use crate::config::Config;
use crate::params::{FlashAttention, ModelParams, SamplingParams, Speculation};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ggchat",
    version,
    about = "Chat privately with local GGUF language models in your terminal",
    long_about = "Chat privately with local GGUF language models in your terminal.\n\n\
                  Without a subcommand, ggchat opens the full-screen chat."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub overrides: Overrides,
    /// Reopen a saved session (an id, an id prefix or a title) and continue it.
    #[arg(long, short = 'S')]
    pub session: Option<String>,
    /// Write logs (including llama.cpp's) to stderr instead of the log file.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one prompt and print the reply (reads stdin when PROMPT is absent).
    Ask(AskArgs),
    /// Measure speed: a scripted multi-turn chat plus pp/tg figures like llama-bench.
    Bench(BenchArgs),
    /// List the models found in the model directories (size, quantization, where each came from).
    Models {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(subcommand)]
        command: Option<ModelsCommand>,
    },
    /// Download a GGUF model from Hugging Face (or a mirror: HF_ENDPOINT) or ModelScope.
    Pull(PullArgs),
    /// List, show, export, rename, search or delete saved sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Print the directories ggchat uses.
    Paths,
    /// Serve the model as an OpenAI-compatible HTTP API (chat completions, models, metrics).
    Serve(crate::serve::ServeArgs),
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Delete a model: every part of a split model and its provenance file (asks unless --yes).
    Rm {
        /// The file name as `ggchat models` lists it (".gguf" may be left out).
        name: String,
        #[arg(long, short)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  ggchat pull Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M\n  \
                        ggchat pull Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf\n  \
                        ggchat pull modelscope:Qwen/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M\n\n\
                        Mirrors: HF_ENDPOINT=https://hf-mirror.com for Hugging Face,\n\
                        MODELSCOPE_DOMAIN=www.modelscope.ai (a host, or a URL) for ModelScope;\n\
                        each wins over [pull] hf_endpoint / modelscope_endpoint in the config.\n\
                        Gated repos: HF_TOKEN.\n\
                        An interrupted download resumes when the same command runs again."
)]
pub struct PullArgs {
    /// OWNER/REPO, OWNER/REPO:QUANT or OWNER/REPO/FILE.gguf; prefix `modelscope:` for ModelScope.
    pub model: String,
    /// The hub (default: `[pull] source` in the config, else Hugging Face).
    #[arg(long, value_enum)]
    pub from: Option<crate::pull::SourceKind>,
    /// Branch, tag or commit (default: main on Hugging Face, master on ModelScope).
    #[arg(long)]
    pub revision: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// List sessions, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print a session as Markdown.
    Show { session: String },
    /// Export a session with its model, template and settings, to reproduce it.
    Export {
        session: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        /// Export every branch of the conversation tree, not only the active one.
        #[arg(long)]
        all_branches: bool,
    },
    /// Import a session exported as JSON (`export --format json`) as a new session.
    Import { file: std::path::PathBuf },
    /// Give a session a new title.
    Rename { session: String, title: String },
    /// Find sessions whose title or messages contain the words.
    Search { query: String },
    /// Delete a session (asks for confirmation unless --yes).
    Delete {
        session: String,
        #[arg(long, short)]
        yes: bool,
    },
    /// Shrink the KV snapshot cache to `[sessions] snapshot_cache_mb` now (least recently used
    /// first; 0 empties it).
    PruneCache,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 the whole reply; 1 an error; 3 the content-safety guard (--guard) \
                  blocked the prompt or stopped the reply (stderr names the category); 130 \
                  stopped with Ctrl+C."
)]
pub struct AskArgs {
    /// The prompt; read from standard input when absent.
    pub prompt: Option<String>,
    /// Print one JSON object with the reply and its stats instead of streaming text.
    #[arg(long)]
    pub json: bool,
    /// Leave out the model's reasoning ("thinking"); by default it goes to stderr, dimmed.
    #[arg(long)]
    pub hide_thinking: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Turns of the scripted conversation.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub turns: u32,
    /// Tokens generated per turn.
    #[arg(long, default_value_t = 32)]
    pub reply_tokens: u32,
    /// Prompt tokens for the pp figure.
    #[arg(long, default_value_t = 512)]
    pub pp: usize,
    /// Generated tokens for the tg figure.
    #[arg(long, default_value_t = 128)]
    pub tg: usize,
    /// Repetitions of pp and tg (the mean and spread are printed).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    pub reps: u32,
    /// Also run the conversation with KV-cache reuse switched off, side by side.
    #[arg(long)]
    pub compare_no_reuse: bool,
}

/// A parameter flag's help, from the parameter table (`crate::params::PARAMS`) so that the
/// settings pane and `--help` describe a parameter with the same words.
fn param_help(name: &str) -> String {
    crate::params::find(name)
        .map(|p| p.cli_help())
        .unwrap_or_default()
}

/// Flags that override the config file (and a reopened session).
#[derive(Debug, Args, Default, Clone)]
pub struct Overrides {
    /// Model: a .gguf path, or a file name in the model directories; with --backend, the
    /// server's model id.
    #[arg(long, short, global = true)]
    pub model: Option<String>,
    /// Chat with a remote OpenAI-compatible server: a `[backends.NAME]` of config.toml, or a URL
    /// such as http://127.0.0.1:8080/v1.
    #[arg(long, global = true, env = "GGCHAT_BACKEND", value_name = "NAME|URL")]
    pub backend: Option<String>,
    /// With --backend URL: the environment variable holding the API key (default OPENAI_API_KEY,
    /// when set).
    #[arg(long, global = true, value_name = "VAR")]
    pub api_key_env: Option<String>,
    /// Content-safety rules: a guard rule file (TOML; repeat for several), added to `[guard]
    /// rule_files` of the config. See README, "Content-safety guard".
    #[arg(long = "guard", global = true, value_name = "FILE")]
    pub guard: Vec<PathBuf>,
    /// The guard's model check: a model classifies the user's message (input), the finished
    /// reply (output) or both as safe or unsafe (`[guard] model_check`; default off).
    #[arg(long, global = true, value_name = "MODE")]
    pub guard_model_check: Option<crate::guard::CheckMode>,
    /// The model that runs the guard's model check: a .gguf path or a file name in the model
    /// directories (`[guard] check_model`; default: the loaded model).
    #[arg(long, global = true, value_name = "MODEL")]
    pub guard_check_model: Option<String>,
    /// Send earlier replies' reasoning ("thinking") back to the model in later turns
    /// (`[thinking] keep_in_history`); by default only the answers are sent.
    #[arg(long, global = true)]
    pub keep_thinking: bool,
    /// System prompt.
    #[arg(long, global = true)]
    pub system: Option<String>,
    /// Interface language: en or zh-CN (default: `ui.language` in the config, else the locale).
    #[arg(long, global = true, value_name = "en|zh-CN")]
    pub lang: Option<String>,
    /// Chat template: a llama.cpp name (chatml, llama3, gemma, ...) or a .jinja file.
    #[arg(long, global = true)]
    pub template: Option<String>,
    #[arg(long, global = true, help = param_help("temperature"))]
    pub temperature: Option<f32>,
    #[arg(long, global = true, help = param_help("top_k"))]
    pub top_k: Option<i32>,
    #[arg(long, global = true, help = param_help("top_p"))]
    pub top_p: Option<f32>,
    #[arg(long, global = true, help = param_help("min_p"))]
    pub min_p: Option<f32>,
    #[arg(long, global = true, help = param_help("repeat_penalty"))]
    pub repeat_penalty: Option<f32>,
    #[arg(long, global = true, help = param_help("seed"))]
    pub seed: Option<u32>,
    #[arg(long, global = true, value_enum, help = param_help("thinking"))]
    pub thinking: Option<crate::params::ThinkingSwitch>,
    #[arg(long, global = true, value_name = "N", help = param_help("thinking_budget"))]
    pub thinking_budget: Option<u32>,
    #[arg(long, global = true, value_name = "N", help = param_help("alternatives"))]
    pub alternatives: Option<u32>,
    #[arg(long, short = 'n', global = true, help = param_help("max_tokens"))]
    pub max_tokens: Option<u32>,
    #[arg(long, global = true, value_enum, help = param_help("speculation"))]
    pub speculation: Option<Speculation>,
    #[arg(long, global = true, value_name = "N", help = param_help("draft_max"))]
    pub draft_max: Option<u32>,
    #[arg(long, global = true, value_name = "N", help = param_help("lookup_ngram"))]
    pub lookup_ngram: Option<u32>,
    #[arg(long, short = 'c', global = true, help = param_help("ctx_size"))]
    pub ctx_size: Option<u32>,
    #[arg(long, global = true, help = param_help("gpu_layers"))]
    pub gpu_layers: Option<u32>,
    #[arg(long, short = 't', global = true, help = param_help("threads"))]
    pub threads: Option<u32>,
    #[arg(long, global = true, value_enum, help = param_help("flash_attention"))]
    pub flash_attention: Option<FlashAttention>,
    #[arg(long, global = true, value_name = "PATH", help = param_help("lora_path"))]
    pub lora: Option<PathBuf>,
    #[arg(
        long,
        global = true,
        value_name = "X",
        allow_negative_numbers = true,
        help = param_help("lora_scale")
    )]
    pub lora_scale: Option<f32>,
    #[arg(long, global = true, value_name = "PATH", help = param_help("draft_model"))]
    pub draft_model: Option<PathBuf>,
}

impl Overrides {
    /// Applies the flags on top of `config`, then validates the result.
    pub fn apply(&self, config: &mut Config) -> anyhow::Result<()> {
        if let Some(system) = &self.system {
            config.system_prompt = system.clone();
        }
        if let Some(template) = &self.template {
            config.template = template.clone();
        }
        if let Some(mode) = self.guard_model_check {
            config.guard.model_check = mode;
        }
        if let Some(model) = &self.guard_check_model {
            config.guard.check_model = Some(model.clone());
        }
        self.apply_params(&mut config.sampling, &mut config.model)
    }

    /// Applies the sampling and model flags, then validates the result.
    pub fn apply_params(
        &self,
        sampling: &mut SamplingParams,
        model: &mut ModelParams,
    ) -> anyhow::Result<()> {
        let s = sampling;
        set(&mut s.temperature, self.temperature);
        set(&mut s.top_k, self.top_k);
        set(&mut s.top_p, self.top_p);
        set(&mut s.min_p, self.min_p);
        set(&mut s.repeat_penalty, self.repeat_penalty);
        set(&mut s.max_tokens, self.max_tokens);
        if self.seed.is_some() {
            s.seed = self.seed;
        }
        set(&mut s.speculation, self.speculation);
        if self.draft_max.is_some() {
            s.draft_max = self.draft_max;
        }
        set(&mut s.lookup_ngram, self.lookup_ngram);
        set(&mut s.thinking, self.thinking);
        if self.thinking_budget.is_some() {
            s.thinking_budget = self.thinking_budget;
        }
        set(&mut s.alternatives, self.alternatives);
        if self.ctx_size.is_some() {
            model.ctx_size = self.ctx_size;
        }
        if self.gpu_layers.is_some() {
            model.gpu_layers = self.gpu_layers;
        }
        if self.threads.is_some() {
            model.threads = self.threads;
        }
        set(&mut model.flash_attention, self.flash_attention);
        if let Some(path) = &self.lora {
            if !path.is_file() {
                anyhow::bail!(
                    "invalid option: --lora {}: no such file (pass the path of a LoRA adapter \
                     .gguf)",
                    path.display()
                );
            }
            model.lora_path = Some(path.clone());
        }
        set(&mut model.lora_scale, self.lora_scale);
        if let Some(path) = &self.draft_model {
            if !path.is_file() {
                anyhow::bail!(
                    "invalid option: --draft-model {}: no such file (pass the path of a smaller \
                     .gguf model with the same vocabulary)",
                    path.display()
                );
            }
            model.draft_model = Some(path.clone());
        }
        s.validate()
            .map_err(|e| anyhow::anyhow!("invalid option: {e}"))?;
        model
            .validate()
            .map_err(|e| anyhow::anyhow!("invalid option: {e}"))?;
        Ok(())
    }
}

fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *target = v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::PARAMS;

    #[test]
    fn flags_are_global() {
        let cli =
            Cli::try_parse_from(["ggchat", "--temperature", "0", "ask", "-n", "5", "hi"]).unwrap();
        assert_eq!(cli.overrides.temperature, Some(0.0));
        assert_eq!(cli.overrides.max_tokens, Some(5));
        assert!(
            matches!(cli.command, Some(Command::Ask(ref a)) if a.prompt.as_deref() == Some("hi"))
        );
    }

    /// Every parameter with a flag gets its help from the table, and every flag the table
    /// names exists, so the help is written once (src/params/table.rs).
    #[test]
    fn parameter_flags_take_their_help_from_the_table() {
        use clap::CommandFactory;
        let command = Cli::command();
        let with_flags: Vec<_> = PARAMS.iter().filter(|p| p.flag.is_some()).collect();
        assert!(with_flags.len() >= 12, "{}", with_flags.len());
        for param in with_flags {
            let flag = param.flag.unwrap_or_default();
            let arg = command
                .get_arguments()
                .find(|a| a.get_long() == Some(flag))
                .unwrap_or_else(|| panic!("no --{flag} for {}", param.name));
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            assert_eq!(help, param.cli_help(), "--{flag}");
            assert!(
                help.len() > 1 && help[1..].starts_with(&param.help_in(crate::i18n::Lang::En)[1..]),
                "--{flag}: {help}"
            );
        }
    }

    #[test]
    fn out_of_range_flags_are_refused_with_the_name() {
        let mut config = Config::default();
        let overrides = Overrides {
            top_p: Some(7.0),
            ..Default::default()
        };
        let err = overrides.apply(&mut config).unwrap_err().to_string();
        assert!(err.contains("top_p = 7"), "{err}");
    }
}
