//! `ggchat serve`: the loaded model as an OpenAI-compatible HTTP API.
//!
//! Module map: [`types`] and [`text`] read request bodies, [`errors`] answers in OpenAI's error shape,
//! [`auth`] checks keys and the Host header, [`dispatch`] owns the engine link, the slots and the
//! queue, [`completion`] turns engine events into JSON or server-sent events, and [`routes`] puts
//! them together; `/metrics` exports the counters of [`crate::monitor`], the monitor pane's.
//!
//! The engine's scheduler runs `--parallel` slots in one context (continuous batching); the
//! dispatcher hands out that many slots and keeps a bounded queue in front of them.

pub mod auth;
pub mod completion;
mod debug_hooks;
pub mod dispatch;
pub mod errors;
pub mod routes;
pub mod text;
pub mod types;

use crate::engine::Engine;
use crate::setup::Setup;
use anyhow::{Context, Result, bail};
use auth::{ApiKeys, HostCheck};
use dispatch::{Dispatcher, ModelState};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How long in-flight requests get to finish after SIGTERM or Ctrl+C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// `ggchat serve` flags (the model and sampling flags are the global ones).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; anything but loopback needs an API key.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port to listen on (0 picks a free one; the URL is printed).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Replies generated at once (slots, batched in one context); --ctx-size is then the total
    /// context, split evenly between the slots (see --kv-unified).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub parallel: u32,
    /// Share the whole context between the slots, so one reply can use all of it; replies then
    /// round slightly differently depending on what runs beside them.
    #[arg(long)]
    pub kv_unified: bool,
    /// Requests that may wait for a busy slot; more get 503 with Retry-After.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub queue: u32,
    /// An accepted API key (repeat for several), sent as `Authorization: Bearer KEY`.
    #[arg(long = "api-key", env = "GGCHAT_API_KEY", hide_env_values = true)]
    pub api_keys: Vec<String>,
    /// A file with accepted API keys, one a line.
    #[arg(long)]
    pub api_key_file: Option<PathBuf>,
    /// Allow web pages from this origin (repeatable, `*` for any); CORS is off without it.
    #[arg(long = "cors-origin")]
    pub cors_origins: Vec<String>,
}

pub fn run(setup: &Setup, args: &ServeArgs) -> Result<()> {
    let keys = ApiKeys::collect(&args.api_keys, args.api_key_file.as_deref())?;
    let model_path = setup.model_path()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(serve(setup, args, keys, model_path))
}

async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .with_context(|| format!("cannot resolve --host {host}"))?
        .collect();
    if addrs.is_empty() {
        bail!("--host {host} resolves to no address");
    }
    Ok(addrs)
}

async fn serve(setup: &Setup, args: &ServeArgs, keys: ApiKeys, model_path: PathBuf) -> Result<()> {
    let addrs = resolve(&args.host, args.port).await?;
    let loopback = addrs.iter().all(|a| a.ip().is_loopback());
    if !loopback && !keys.enabled() {
        bail!(
            "refusing to serve on {} without an API key: anyone who can reach that address could \
             use the model. Set a key with --api-key KEY, --api-key-file FILE or the \
             GGCHAT_API_KEY environment variable, or listen on 127.0.0.1",
            args.host
        );
    }
    let listener = tokio::net::TcpListener::bind(addrs[0])
        .await
        .with_context(|| format!("cannot listen on {}: is the port taken? (--port)", addrs[0]))?;
    let local = listener.local_addr()?;

    let (engine, events) = Engine::spawn_guarded(setup.guard()?, setup.thinking()?)?;
    let metrics = Arc::new(crate::monitor::SharedMonitor::default());
    let slots = args.parallel as usize;
    let dispatcher = Dispatcher::new(engine.link(), slots, args.queue as usize, metrics.clone());
    let params = crate::params::ModelParams {
        parallel: args.parallel,
        kv_unified: args.kv_unified,
        ..setup.config.model.clone()
    };
    let load_id = engine.load(model_path.clone(), params, setup.template())?;
    tokio::spawn(dispatcher.clone().route_events(events, load_id));

    let state = Arc::new(routes::AppState::new(
        dispatcher.clone(),
        metrics,
        setup.config.sampling.clone(),
        &model_path,
    ));
    let host_check = loopback.then(|| HostCheck::new(local.port()));
    let app = routes::router(state, keys.clone(), host_check, &args.cors_origins)?;

    let url = match local {
        SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
        SocketAddr::V4(a) => format!("http://{a}"),
    };
    println!(
        "ggchat serve: listening on {url} (loading {})",
        model_path.display()
    );

    let mut model = dispatcher.watch_model();
    let report = {
        let dispatcher = dispatcher.clone();
        let model_path = model_path.clone();
        let auth = if keys.enabled() { "on" } else { "off" };
        let kv_unified = args.kv_unified;
        async move {
            let state = model
                .wait_for(|s| !matches!(s, ModelState::Loading))
                .await
                .map(|s| s.clone());
            match state {
                Ok(ModelState::Ready(info)) => {
                    let sharing = if kv_unified {
                        "shared: any slot can use all of it".to_owned()
                    } else {
                        format!("{} in total", info.ctx_size as usize * dispatcher.slots())
                    };
                    println!(
                        "ggchat serve: ready: model {} ({}), slots {}, context {} tokens per slot \
                         ({sharing}), queue {}, auth {auth}; try {url}/v1/chat/completions",
                        info.name,
                        model_path.display(),
                        dispatcher.slots(),
                        info.ctx_size,
                        dispatcher.queue(),
                    );
                    std::future::pending::<Option<String>>().await
                }
                Ok(ModelState::Failed(e)) => Some(e),
                _ => Some("the engine stopped".into()),
            }
        }
    };
    let (load_failed_tx, load_failed_rx) = tokio::sync::oneshot::channel();
    let stop = {
        let dispatcher = dispatcher.clone();
        async move {
            tokio::select! {
                failure = report => { let _ = load_failed_tx.send(failure); }
                () = shutdown_signal() => eprintln!("ggchat serve: stopping: no new connections, ending the replies in progress"),
            }
            dispatcher.begin_shutdown();
        }
    };
    let server = axum::serve(listener, app).with_graceful_shutdown(stop);
    let mut server = std::pin::pin!(std::future::IntoFuture::into_future(server));
    let mut shutdown = dispatcher.watch_shutdown();
    tokio::select! {
        result = &mut server => result.context("the HTTP server failed")?,
        _ = async {
            let _ = shutdown.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => eprintln!("ggchat serve: some connections were still open after {SHUTDOWN_GRACE:?}; closing them"),
    }
    drop(engine);
    if let Ok(Some(error)) = load_failed_rx.await {
        bail!("cannot load the model {}: {error}", model_path.display());
    }
    Ok(())
}

/// Resolves on Ctrl+C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
