//! The router: endpoints, the middleware stack (Host check, CORS, body limit, keys, a panic
//! turned into a 500), and the request counter and log line every request gets.

use super::auth::{self, ApiKeys, HostCheck};
use super::completion::{Api, Generation};
use super::dispatch::{Dispatcher, ModelState};
use super::errors::ApiError;
use super::text::parse_completion;
use super::types::{Options, parse_chat};
use crate::chat::Message;
use crate::engine::{BenchShape, GenerateRequest, ModelInfo};
use crate::monitor::{self, SharedMonitor};
use crate::params::SamplingParams;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

const ENDPOINTS: [&str; 5] = [
    "/v1/chat/completions",
    "/v1/completions",
    "/v1/models",
    "/health",
    "/metrics",
];

/// What the handlers share.
pub struct AppState {
    pub dispatcher: Arc<Dispatcher>,
    /// The monitor whose counters `/metrics` exports.
    pub metrics: Arc<SharedMonitor>,
    /// The server's sampling settings (config and flags); a request overrides them.
    pub defaults: SamplingParams,
    /// The model's id (its file stem) and the other names it answers to.
    pub model_id: String,
    pub model_names: Vec<String>,
    next_request: AtomicU64,
}

impl AppState {
    pub fn new(
        dispatcher: Arc<Dispatcher>,
        metrics: Arc<SharedMonitor>,
        defaults: SamplingParams,
        model_path: &Path,
    ) -> AppState {
        let model_id = model_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "model".into());
        let file_name = model_path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        AppState {
            dispatcher,
            metrics,
            defaults,
            model_names: vec![model_id.clone(), file_name],
            model_id,
            next_request: AtomicU64::new(1),
        }
    }

    fn answers_to(&self, name: &str, info: &ModelInfo) -> bool {
        self.model_names.iter().any(|n| n == name) || info.name == name
    }
}

/// The request's number in the log.
#[derive(Debug, Clone, Copy)]
pub struct RequestNumber(pub u64);

/// Builds the whole application.
pub fn router(
    state: Arc<AppState>,
    keys: ApiKeys,
    host_check: Option<HostCheck>,
    cors_origins: &[String],
) -> anyhow::Result<Router> {
    let protected = Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/completions", post(text_completions))
        .route("/v1/models", get(list_models))
        .route("/metrics", get(show_metrics))
        .route_layer(middleware::from_fn_with_state(
            Arc::new(keys),
            auth::require_key,
        ));
    let mut app = Router::new()
        .route("/health", get(health))
        .merge(protected)
        .fallback(|request: Request| async move { ApiError::not_found(request.uri().path()) })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Inside `observe`, so a panicking request is counted and logged as the 500 it gets.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state);
    if let Some(check) = host_check {
        app = app.layer(middleware::from_fn_with_state(
            Arc::new(check),
            auth::check_host,
        ));
    }
    if !cors_origins.is_empty() {
        use tower_http::cors::{AllowOrigin, CorsLayer};
        let origins = if cors_origins.iter().any(|o| o == "*") {
            AllowOrigin::any()
        } else {
            let values = cors_origins
                .iter()
                .map(|o| {
                    HeaderValue::from_str(o).map_err(|_| {
                        anyhow::anyhow!(
                            "--cors-origin {o:?} is not a valid origin (e.g. https://example.com)"
                        )
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            AllowOrigin::list(values)
        };
        app = app.layer(
            CorsLayer::new()
                .allow_origin(origins)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        );
    }
    Ok(app)
}

/// A handler that panicked (a bug) answers an OpenAI-shaped 500 instead of a dropped
/// connection; the panic message is already on stderr (the default hook), and the server goes
/// on serving.
fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal(
        "the server failed while handling this request (a bug; its log has the details); \
         other requests are not affected",
    )
    .into_response()
}

/// Counts every request by endpoint and status, and logs those the completion does not log.
async fn observe(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let number = state.next_request.fetch_add(1, Ordering::Relaxed);
    request.extensions_mut().insert(RequestNumber(number));
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    let endpoint = ENDPOINTS
        .iter()
        .find(|e| **e == path)
        .copied()
        .unwrap_or("other");
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status();
    state
        .metrics
        .counters()
        .count_request(endpoint, status.as_u16());
    let logged_later = endpoint.ends_with("completions") && status == StatusCode::OK;
    if !logged_later && endpoint != "/health" && endpoint != "/metrics" {
        eprintln!(
            "ggchat serve: request {number} {method} {} {} in {} ms",
            path.chars().take(100).collect::<String>().escape_debug(),
            status.as_u16(),
            started.elapsed().as_millis()
        );
    }
    response
}

async fn health(State(state): State<Arc<AppState>>) -> Response {
    match state.dispatcher.model() {
        ModelState::Ready(_) => axum::Json(json!({"status": "ok"})).into_response(),
        ModelState::Loading => ApiError::loading().into_response(),
        ModelState::Failed(e) => {
            ApiError::internal(format!("the model failed to load: {e}")).into_response()
        }
    }
}

async fn show_metrics(State(state): State<Arc<AppState>>) -> Response {
    state.dispatcher.refresh_gauges();
    (
        [(header::CONTENT_TYPE, monitor::CONTENT_TYPE)],
        state.metrics.lock().exposition(),
    )
        .into_response()
}

async fn list_models(State(state): State<Arc<AppState>>) -> Response {
    let mut model = json!({
        "id": state.model_id,
        "object": "model",
        "created": 0,
        "owned_by": "ggchat",
    });
    if let ModelState::Ready(info) = state.dispatcher.model() {
        model["aliases"] = json!([state.model_names[1], info.name]);
        model["meta"] = json!({
            "n_ctx": info.ctx_size,
            "n_ctx_train": info.trained_ctx,
            "n_params": info.parameter_count,
            "size": info.file_size,
            "quantization": info.quantization,
            "slots": state.dispatcher.slots(),
        });
    }
    axum::Json(json!({"object": "list", "data": [model]})).into_response()
}

fn ready_model(state: &AppState) -> Result<Arc<ModelInfo>, ApiError> {
    match state.dispatcher.model() {
        ModelState::Ready(info) => Ok(info),
        ModelState::Loading => Err(ApiError::loading()),
        ModelState::Failed(e) => Err(ApiError::internal(format!("the model failed to load: {e}"))),
    }
}

async fn chat_completions(
    State(state): State<Arc<AppState>>,
    Extension(RequestNumber(number)): Extension<RequestNumber>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let arrival = Instant::now();
    let value = json_body(body)?;
    let info = ready_model(&state)?;
    let request = parse_chat(&value, &state.defaults, info.ctx_size)?;
    let options = Options {
        model: request.model,
        sampling: request.sampling,
        stream: request.stream,
        include_usage: request.include_usage,
        ignore_eos: request.ignore_eos,
        n: request.n,
    };
    let input = Input::Messages(request.messages);
    complete(&state, number, arrival, &info, input, options).await
}

async fn text_completions(
    State(state): State<Arc<AppState>>,
    Extension(RequestNumber(number)): Extension<RequestNumber>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let arrival = Instant::now();
    let value = json_body(body)?;
    let info = ready_model(&state)?;
    let request = parse_completion(&value, &state.defaults, info.ctx_size)?;
    let input = Input::Prompt(request.prompt);
    complete(&state, number, arrival, &info, input, request.options).await
}

/// What the model continues: a conversation (chat) or a raw prompt (text completion).
enum Input {
    Messages(Vec<Message>),
    Prompt(String),
}

/// The body as JSON; a body over the limit is 413.
fn json_body(body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::body_too_large(BODY_LIMIT)
        } else {
            ApiError::invalid_json(rejection.body_text())
        }
    })?;
    serde_json::from_slice(&body).map_err(ApiError::invalid_json)
}

/// Checks the model name, queues the request and answers with JSON or a stream.
async fn complete(
    state: &AppState,
    number: u64,
    arrival: Instant,
    info: &ModelInfo,
    input: Input,
    options: Options,
) -> Result<Response, ApiError> {
    super::debug_hooks::panic_on_model(&options.model);
    if !state.answers_to(&options.model, info) {
        return Err(ApiError::model_not_found(&options.model, &state.model_id));
    }
    let (api, messages, raw_prompt) = match input {
        Input::Messages(messages) => (Api::Chat, messages, None),
        Input::Prompt(prompt) => (Api::Text, Vec::new(), Some(prompt)),
    };
    // llama.cpp's `ignore_eos`: the engine's benchmark shape that keeps the prompt and runs
    // past end-of-generation tokens.
    let bench = options.ignore_eos.then_some(BenchShape {
        prompt_tokens: None,
        ignore_eog: true,
    });
    let slots = state.dispatcher.slots();
    if usize::from(options.n) > slots {
        return Err(ApiError::invalid(
            "n",
            format!(
                "`n` = {} needs {} slots, but this server runs {slots} (start it with \
                 --parallel {})",
                options.n, options.n, options.n
            ),
        ));
    }
    let ticket = state
        .dispatcher
        .submit(GenerateRequest {
            raw_prompt,
            bench,
            alternatives: options.n,
            ..GenerateRequest::new(messages, options.sampling)
        })
        .await?;
    let generation = Generation::start(
        api,
        ticket,
        number,
        options.model,
        arrival,
        options.include_usage,
        state.metrics.clone(),
        state.dispatcher.watch_shutdown(),
    )
    .await?;
    Ok(if options.stream {
        generation.into_sse()
    } else {
        generation.into_json().await
    })
}
