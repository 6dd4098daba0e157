//! Between the HTTP handlers and the engine: slots, the bounded queue, and event routing.
//!
//! The engine answers on one event channel; the dispatcher's router task hands each event to the
//! request that owns its id, over that request's own channel. A request holds a slot from the
//! moment it is sent to the engine until the engine's last event for it (`Finished` or `Failed`),
//! so a cancelled request counts as busy until the engine has really stopped it.
//!
//! The dispatcher's slots are the engine scheduler's (`--parallel`): a request holding a permit
//! always finds a free slot in the engine, so the engine never queues behind the dispatcher.

use super::errors::ApiError;
use crate::engine::{
    EngineCommand, EngineEvent, EngineLink, GenerateRequest, ModelInfo, RequestId,
};
use crate::monitor::SharedMonitor;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};

/// Where the model stands.
#[derive(Debug, Clone)]
pub enum ModelState {
    Loading,
    Ready(Arc<ModelInfo>),
    Failed(String),
}

struct Route {
    events: mpsc::UnboundedSender<EngineEvent>,
    /// The request's slots (one per alternative), given back when its last route is removed.
    _slots: Arc<OwnedSemaphorePermit>,
}

/// Owns the engine link, the slots and the queue.
pub struct Dispatcher {
    link: EngineLink,
    slots: usize,
    queue: usize,
    free: Arc<Semaphore>,
    waiting: AtomicUsize,
    routes: Mutex<HashMap<RequestId, Route>>,
    model: watch::Sender<ModelState>,
    shutdown: watch::Sender<bool>,
    metrics: Arc<SharedMonitor>,
}

/// One submitted request: its events, in order. Dropping it before the last event cancels the
/// generation (a client that went away).
pub struct Ticket {
    /// The request's id; alternative `k` (OpenAI's choice index) reports as `id + k`.
    pub id: RequestId,
    events: mpsc::UnboundedReceiver<EngineEvent>,
    link: EngineLink,
    /// Alternatives that have not ended yet.
    left: usize,
    /// Alternatives asked for (OpenAI's `n`).
    choices: usize,
}

impl Ticket {
    /// The number of choices the request generates.
    pub fn choices(&self) -> usize {
        self.choices
    }

    /// The next event; `None` if the engine stopped.
    pub async fn next(&mut self) -> Option<EngineEvent> {
        let event = self.events.recv().await;
        match event {
            None => self.left = 0,
            Some(EngineEvent::Finished { .. } | EngineEvent::Failed { .. }) => {
                self.left = self.left.saturating_sub(1)
            }
            _ => {}
        }
        event
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.left > 0 {
            self.link.cancel(self.id);
        }
    }
}

/// Counts a request as waiting while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Dispatcher {
    pub fn new(
        link: EngineLink,
        slots: usize,
        queue: usize,
        metrics: Arc<SharedMonitor>,
    ) -> Arc<Self> {
        metrics.counters().slots.set(slots as i64);
        Arc::new(Dispatcher {
            link,
            slots,
            queue,
            free: Arc::new(Semaphore::new(slots)),
            waiting: AtomicUsize::new(0),
            routes: Mutex::new(HashMap::new()),
            model: watch::channel(ModelState::Loading).0,
            shutdown: watch::channel(false).0,
            metrics,
        })
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    pub fn queue(&self) -> usize {
        self.queue
    }

    pub fn busy(&self) -> usize {
        self.slots - self.free.available_permits()
    }

    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Copies the queue and slot figures into the gauges (before a scrape).
    pub fn refresh_gauges(&self) {
        let counters = self.metrics.counters();
        counters.busy_slots.set(self.busy() as i64);
        counters.queue_depth.set(self.waiting() as i64);
    }

    pub fn model(&self) -> ModelState {
        self.model.borrow().clone()
    }

    pub fn watch_model(&self) -> watch::Receiver<ModelState> {
        self.model.subscribe()
    }

    /// Asks every stream to end (with a final event) and new requests to be refused.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    pub fn watch_shutdown(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    /// Takes a slot per alternative (waiting in the queue if needed; 503 when the queue is full)
    /// and sends the request to the engine. The caller checks that the slots exist.
    pub async fn submit(&self, mut request: GenerateRequest) -> Result<Ticket, ApiError> {
        if *self.shutdown.borrow() {
            return Err(ApiError::shutting_down());
        }
        let wanted = u32::from(request.alternatives.max(1));
        let slot = match self.free.clone().try_acquire_many_owned(wanted) {
            Ok(slot) => slot,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(ApiError::queue_full(self.queue));
                }
                let _waiting = Waiting(&self.waiting);
                let mut shutdown = self.shutdown.subscribe();
                tokio::select! {
                    slot = self.free.clone().acquire_many_owned(wanted) => {
                        slot.map_err(|_| ApiError::shutting_down())?
                    }
                    _ = shutdown.wait_for(|stop| *stop) => return Err(ApiError::shutting_down()),
                }
            }
        };
        request.id = self.link.reserve_ids(request.alternatives);
        let id = request.id;
        let ids = request.alternative_ids();
        let (tx, rx) = mpsc::unbounded_channel();
        let slots = Arc::new(slot);
        let mut routes = self.lock_routes();
        for alternative in ids.clone() {
            let route = Route {
                events: tx.clone(),
                _slots: Arc::clone(&slots),
            };
            routes.insert(alternative, route);
        }
        drop(routes);
        if let Err(e) = self.link.send(EngineCommand::Generate(request)) {
            let mut routes = self.lock_routes();
            ids.clone()
                .for_each(|alternative| drop(routes.remove(&alternative)));
            return Err(ApiError::internal(e.to_string()));
        }
        Ok(Ticket {
            id,
            events: rx,
            link: self.link.clone(),
            left: ids.clone().count(),
            choices: ids.count(),
        })
    }

    fn lock_routes(&self) -> std::sync::MutexGuard<'_, HashMap<RequestId, Route>> {
        // A panic elsewhere cannot leave the map half-updated: every change is one call.
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The router: hands engine events to their requests until the engine stops. `load_id` is
    /// the model load whose events set the model state.
    pub async fn route_events(
        self: Arc<Self>,
        mut events: mpsc::UnboundedReceiver<EngineEvent>,
        load_id: RequestId,
    ) {
        while let Some(event) = events.recv().await {
            let id = event.request_id();
            if id == load_id {
                match event {
                    EngineEvent::ModelLoaded { info, .. } => {
                        self.metrics.lock().set_model(&info);
                        self.model.send_replace(ModelState::Ready(Arc::new(info)));
                    }
                    EngineEvent::LoadFailed { error, .. } => {
                        self.model
                            .send_replace(ModelState::Failed(error.to_string()));
                    }
                    _ => {}
                }
                continue;
            }
            let last = matches!(
                event,
                EngineEvent::Finished { .. } | EngineEvent::Failed { .. }
            );
            let mut routes = self.lock_routes();
            if let Some(route) = routes.get(&id) {
                // The request may be gone (client disconnected); its slot stays taken until
                // the engine's last event for it, which says what was generated for nobody.
                if let Err(unsent) = route.events.send(event)
                    && let EngineEvent::Finished { stats, .. } = unsent.0
                {
                    self.metrics
                        .counters()
                        .cancelled_tokens
                        .inc_by(stats.generated_tokens as u64);
                }
            }
            if last {
                routes.remove(&id);
            }
        }
        self.lock_routes().clear();
        if matches!(self.model(), ModelState::Loading) {
            self.model
                .send_replace(ModelState::Failed("the engine thread stopped".into()));
        }
    }
}
