//! Errors as OpenAI returns them: `{"error": {"message", "type", "param", "code"}}` with the
//! matching HTTP status, so the official clients raise their typed exceptions (401
//! `AuthenticationError`, 404 `NotFoundError`, 400 `BadRequestError`, ...).
//!
//! Every handler and middleware returns an [`ApiError`]; nothing in `serve` answers with axum's
//! plain-text rejections.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Seconds a client is asked to wait before retrying when the queue is full.
pub const RETRY_AFTER_SECONDS: u64 = 1;

/// One error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub kind: &'static str,
    pub param: Option<String>,
    pub code: Option<&'static str>,
}

impl ApiError {
    fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
            kind,
            param: None,
            code: None,
        }
    }

    pub fn with_param(mut self, param: impl Into<String>) -> ApiError {
        self.param = Some(param.into());
        self
    }

    pub fn with_code(mut self, code: &'static str) -> ApiError {
        self.code = Some(code);
        self
    }

    /// A bad request (400) about `param`.
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
            .with_param(param)
            .with_code("invalid_value")
    }

    /// The body is not JSON at all (400).
    pub fn invalid_json(detail: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            format!("the request body is not valid JSON: {detail}"),
        )
        .with_code("invalid_json")
    }

    pub fn body_too_large(limit: usize) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "invalid_request_error",
            format!("the request body is larger than the limit of {limit} bytes"),
        )
        .with_code("request_too_large")
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "authentication_error", message)
            .with_code("invalid_api_key")
    }

    pub fn model_not_found(asked: &str, loaded: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!(
                "the model `{asked}` does not exist here: this server runs `{loaded}` \
                 (GET /v1/models lists its names)"
            ),
        )
        .with_param("model")
        .with_code("model_not_found")
    }

    /// The content-safety guard blocked the last user message (OpenAI's `content_filter`).
    pub fn content_filter() -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "the last user message was blocked by the server's content filter; it was not sent \
             to the model",
        )
        .with_param("messages")
        .with_code("content_filter")
    }

    pub fn context_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_request_error", message)
            .with_param("messages")
            .with_code("context_length_exceeded")
    }

    pub fn not_found(path: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            format!(
                "no endpoint at {path}: try POST /v1/chat/completions, POST /v1/completions, \
                 GET /v1/models, GET /health or GET /metrics"
            ),
        )
        .with_code("unknown_url")
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request_error",
            "this endpoint does not take that HTTP method",
        )
        .with_code("method_not_allowed")
    }

    pub fn forbidden_host(host: &str) -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "invalid_request_error",
            format!(
                "the Host header `{host}` is not this server's loopback address (a guard \
                 against DNS rebinding): use localhost, 127.0.0.1 or [::1] with the port"
            ),
        )
        .with_code("invalid_host")
    }

    pub fn queue_full(queue: usize) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            format!(
                "the server is busy: every slot is taken and the queue of {queue} is full; \
                 retry after {RETRY_AFTER_SECONDS} s"
            ),
        )
        .with_code("queue_full")
    }

    pub fn loading() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable_error",
            "the model is still loading; retry in a moment",
        )
        .with_code("model_loading")
    }

    pub fn shutting_down() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server_error",
            "the server is shutting down",
        )
        .with_code("server_shutting_down")
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error", message)
            .with_code("internal_error")
    }

    /// The JSON body, also sent as the last event of a stream that fails.
    pub fn body(&self) -> serde_json::Value {
        json!({
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param,
                "code": self.code,
            }
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if self.code == Some("queue_full") || self.code == Some("model_loading") {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_the_openai_shape() {
        let e = ApiError::invalid("temperature", "too hot");
        let body = e.body();
        assert_eq!(body["error"]["message"], "too hot");
        assert_eq!(body["error"]["type"], "invalid_request_error");
        assert_eq!(body["error"]["param"], "temperature");
        assert_eq!(body["error"]["code"], "invalid_value");
    }

    #[test]
    fn a_full_queue_says_when_to_retry() {
        let response = ApiError::queue_full(4).into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");
    }
}
