//! A generation answered as server-sent events, every choice's chunks as they come.

use super::{Api, Generation, Piece, finish_reason};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::convert::Infallible;

impl Generation {
    /// Answers with server-sent events: a role chunk (chat only), content chunks, a chunk with
    /// the finish reason and timings, the usage chunk if asked for, then `[DONE]`.
    pub fn into_sse(self) -> Response {
        struct State {
            generation: Generation,
            pending: VecDeque<Event>,
            finished: bool,
            /// Choices ended, and the tokens they generated.
            ended: usize,
            generated: usize,
        }
        let data = |value: Value| Event::default().data(value.to_string());
        let mut pending = VecDeque::new();
        if self.api == Api::Chat {
            for k in 0..self.choices {
                let role = json!({"role": "assistant", "content": ""});
                pending.push_back(data(self.chunk(k, role, None)));
            }
        }
        let state = State {
            generation: self,
            pending,
            finished: false,
            ended: 0,
            generated: 0,
        };
        let stream = futures::stream::unfold(state, move |mut st| async move {
            loop {
                if let Some(event) = st.pending.pop_front() {
                    return Some((Ok::<_, Infallible>(event), st));
                }
                if st.finished {
                    return None;
                }
                let g = &mut st.generation;
                match g.next().await {
                    (k, Piece::Text(text)) => {
                        st.pending
                            .push_back(data(g.chunk(k, json!({"content": text}), None)))
                    }
                    (k, Piece::Reasoning(text)) => st.pending.push_back(data(g.chunk(
                        k,
                        json!({"reasoning_content": text}),
                        None,
                    ))),
                    (k, Piece::Done(stats)) => {
                        let mut last = g.chunk(k, json!({}), Some(finish_reason(&stats)));
                        last["timings"] = Generation::timings(&stats);
                        st.pending.push_back(data(last));
                        st.ended += 1;
                        st.generated += stats.generated_tokens;
                        if st.ended < g.choices {
                            continue;
                        }
                        if g.include_usage {
                            let mut usage = g.chunk(0, json!({}), None);
                            usage["choices"] = json!([]);
                            usage["usage"] = g.usage(st.generated);
                            st.pending.push_back(data(usage));
                        }
                        st.pending.push_back(Event::default().data("[DONE]"));
                        st.finished = true;
                    }
                    (_, Piece::Failed(error)) => {
                        g.log(error.status.as_u16(), None);
                        st.pending.push_back(data(error.body()));
                        st.pending.push_back(Event::default().data("[DONE]"));
                        st.finished = true;
                    }
                }
            }
        });
        Sse::new(stream).into_response()
    }
}
