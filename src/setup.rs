//! What every command needs before it starts: directories, the config with command-line
//! overrides applied, and the model to use.

use crate::cli::Overrides;
use crate::config::Config;
use crate::engine::TemplateChoice;
use crate::models;
use crate::paths::Paths;
use anyhow::{Context as _, Result};
use std::path::PathBuf;

/// Resolved settings for one run.
#[derive(Debug, Clone)]
pub struct Setup {
    pub paths: Paths,
    pub config: Config,
    pub overrides: Overrides,
}

impl Setup {
    /// Reads the config file and applies the flags.
    pub fn load(paths: Paths, overrides: Overrides) -> Result<Setup> {
        let mut config = Config::load(&paths.config_file())?;
        overrides.apply(&mut config)?;
        Ok(Setup {
            paths,
            config,
            overrides,
        })
    }

    /// The interface language: `--lang`, else `ui.language`, else the locale environment.
    pub fn language(&self) -> Result<crate::i18n::Lang> {
        Ok(crate::i18n::choose(
            self.overrides.lang.as_deref(),
            self.config.ui.language.as_deref(),
            |name| std::env::var(name).ok(),
        )?)
    }

    /// The model to load.
    pub fn model_path(&self) -> Result<PathBuf> {
        models::resolve(self.overrides.model.as_deref(), &self.paths, &self.config)
    }

    /// The model files the user named himself (`--model`, `default_model` in the config): a
    /// session may name models and LoRA adapters in their folders too (see `models::trusted`).
    pub fn named_models(&self) -> Vec<PathBuf> {
        [
            self.overrides.model.as_deref(),
            self.config.default_model.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|name| models::resolve(Some(name), &self.paths, &self.config).ok())
        .collect()
    }

    /// The remote backend asked for with `--backend` / `GGCHAT_BACKEND`, if any.
    pub fn remote(&self) -> Result<Option<crate::remote::RemoteTarget>> {
        let Some(backend) = self
            .overrides
            .backend
            .as_deref()
            .filter(|b| !b.trim().is_empty())
        else {
            return Ok(None);
        };
        crate::remote::target::resolve(
            backend.trim(),
            &self.config.backends,
            self.overrides.api_key_env.as_deref(),
            self.overrides.model.as_deref(),
        )
        .map(Some)
    }

    /// The content-safety guard: `[guard] rule_files` (relative to the config file's folder)
    /// then every `--guard FILE`; `None` (off) when there are none. Never from a session file.
    pub fn guard(&self) -> Result<Option<std::sync::Arc<crate::guard::Guard>>> {
        let config_file = self.paths.config_file();
        let base = config_file.parent().unwrap_or(std::path::Path::new("."));
        let files: Vec<PathBuf> = (self.config.guard.rule_files.iter())
            .map(|f| base.join(f))
            .chain(self.overrides.guard.iter().cloned())
            .collect();
        let settings = &self.config.guard;
        if files.is_empty() && settings.model_check == crate::guard::CheckMode::Off {
            return Ok(None);
        }
        let guard = crate::guard::Guard::load(&files)?.with_model_check(self.model_check()?);
        tracing::info!("content-safety guard: {guard:?}");
        Ok(Some(std::sync::Arc::new(guard)))
    }

    /// The guard's model check from `[guard]` and the flags. `check_model` resolves like
    /// `--model` (a path, or a name in the model folders) and must be a file.
    fn model_check(&self) -> Result<crate::guard::ModelCheck> {
        let settings = &self.config.guard;
        let model = match settings.check_model.as_deref() {
            Some(name) if settings.model_check != crate::guard::CheckMode::Off => {
                let path = models::resolve(Some(name), &self.paths, &self.config)
                    .with_context(|| format!("[guard] check_model = {name:?}"))?;
                if !path.is_file() {
                    anyhow::bail!(
                        "[guard] check_model = {name:?}: {} is not a file; give the path of a \
                         GGUF model or a file name in the model folders",
                        path.display()
                    );
                }
                Some(path)
            }
            _ => None,
        };
        let mut model_params = self.config.model.clone();
        // The check reads one message: a small context of its own is enough.
        model_params.parallel = 1;
        model_params.ctx_size = Some(model_params.ctx_size.unwrap_or(4096).min(4096));
        model_params.lora_path = None;
        Ok(crate::guard::ModelCheck {
            mode: settings.model_check,
            prompt: (settings.check_prompt.clone())
                .unwrap_or_else(crate::guard::check::default_prompt),
            timeout: std::time::Duration::from_millis(settings.check_timeout_ms),
            action: settings.check_action,
            model,
            model_params,
        })
    }

    /// The reasoning settings: `[thinking]`, with `--keep-thinking`. Tags that are empty are
    /// refused here, naming the table.
    pub fn thinking(&self) -> Result<crate::engine::ThinkingConfig> {
        let settings = &self.config.thinking;
        if let Some([start, end]) =
            (settings.tags.iter()).find(|[s, e]| s.is_empty() || e.is_empty())
        {
            anyhow::bail!(
                "[thinking] tags in {}: the pair [{start:?}, {end:?}] has an empty tag; give a \
                 start and an end tag, such as [\"<think>\", \"</think>\"]",
                self.paths.config_file().display()
            );
        }
        Ok(crate::engine::ThinkingConfig {
            tags: (settings.tags.iter())
                .map(|[s, e]| (s.clone(), e.clone()))
                .collect(),
            keep_in_history: settings.keep_in_history || self.overrides.keep_thinking,
        })
    }

    pub fn template(&self) -> TemplateChoice {
        self.config.template_choice()
    }
}
