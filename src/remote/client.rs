//! The HTTP side of a remote backend: reqwest (rustls) for requests, eventsource-stream for the
//! server-sent events of a streamed reply. Each call is bounded by the backend's timeouts, so a
//! server that accepts a connection and then says nothing cannot hang a front end.

use super::errors::{RemoteError, connect_error, excerpt, secs, status_error};
use super::protocol::{ChatRequest, ModelList};
use super::target::RemoteTarget;
use eventsource_stream::{EventStream, Eventsource};
use futures::Stream;
use std::time::Duration;

/// The byte stream of a response body.
pub type BodyStream = std::pin::Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;
/// The SSE events of a streamed reply.
pub type Events = EventStream<BodyStream>;

/// A client for one backend.
pub struct Client {
    http: reqwest::Client,
    pub target: RemoteTarget,
}

impl Client {
    pub fn new(target: RemoteTarget) -> Result<Client, RemoteError> {
        let http = reqwest::Client::builder()
            .connect_timeout(target.connect_timeout)
            .user_agent(concat!("ggchat/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| RemoteError::Connect {
                label: target.label(),
                detail: format!("cannot set up the HTTP client: {e}"),
            })?;
        Ok(Client { http, target })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.target.base_url)
    }

    fn with_key(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self.target.api_key() {
            Some(key) => request.bearer_auth(key),
            None => request,
        }
    }

    fn timeout(&self, what: &'static str, key: &'static str, limit: Duration) -> RemoteError {
        RemoteError::Timeout {
            label: self.target.label(),
            what,
            key,
            secs: secs(limit),
        }
    }

    /// Sends a request and waits for its status line, within `first_token_timeout`; an error
    /// status becomes a [`RemoteError`] with the body's message.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, RemoteError> {
        let limit = self.target.first_token_timeout;
        let response = tokio::time::timeout(limit, self.with_key(request).send())
            .await
            .map_err(|_| {
                self.timeout(
                    "accepted the connection but sent no answer",
                    "first_token_timeout",
                    limit,
                )
            })?
            .map_err(|e| connect_error(&self.target, &e))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let idle = self.target.idle_timeout;
        let body = match tokio::time::timeout(idle, response.text()).await {
            Ok(Ok(body)) => body,
            Ok(Err(e)) => format!("(the error body could not be read: {e})"),
            Err(_) => "(the error body did not arrive)".into(),
        };
        Err(status_error(
            &self.target,
            status.as_u16(),
            retry_after.as_deref(),
            &body,
        ))
    }

    /// `GET {base}/models`: the ids the server offers. `Ok(None)` when the server has no such
    /// endpoint (404), which some servers lack.
    pub async fn models(&self) -> Result<Option<Vec<String>>, RemoteError> {
        let response = match self.send(self.http.get(self.url("models"))).await {
            Ok(response) => response,
            Err(RemoteError::Http { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let idle = self.target.idle_timeout;
        let body = tokio::time::timeout(idle, response.text())
            .await
            .map_err(|_| self.timeout("stopped sending the model list", "idle_timeout", idle))?
            .map_err(|e| connect_error(&self.target, &e))?;
        let list: ModelList = serde_json::from_str(&body).map_err(|e| RemoteError::Malformed {
            label: self.target.label(),
            reason: format!("the model list is not the expected JSON: {e}"),
            sample: excerpt(&body),
        })?;
        Ok(Some(list.data.into_iter().map(|m| m.id).collect()))
    }

    /// `POST {base}/chat/completions` with `stream: true`; returns the SSE events once the server
    /// has answered with a success status.
    pub async fn chat(&self, body: &ChatRequest<'_>) -> Result<Events, RemoteError> {
        let response = self
            .send(self.http.post(self.url("chat/completions")).json(body))
            .await?;
        let bytes: BodyStream = Box::pin(response.bytes_stream());
        Ok(bytes.eventsource())
    }
}
