//! State shared by every request: the apps, the key ring, the OAuth clients, the log and the
//! fault queue.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use crate::auth::KeyRing;
use crate::delivery::{Delivery, DeliverySettings};
use crate::faults::Faults;
use crate::ids::IdGen;
use crate::log::RequestLog;
use crate::oauth::Grants;
use crate::seed::Seed;
use crate::store::AppData;

/// One app's records behind their own lock, so apps never contend.
#[derive(Debug)]
pub(crate) struct AppSlot {
    data: RwLock<AppData>,
}

impl AppSlot {
    pub(crate) fn new(data: AppData) -> Arc<Self> {
        Arc::new(AppSlot {
            data: RwLock::new(data),
        })
    }

    pub(crate) fn read(&self) -> RwLockReadGuard<'_, AppData> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, AppData> {
        self.data.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Everything the handlers share.
///
/// Lock order: an app's lock may be taken while holding nothing else; the key ring, the app
/// map and the OAuth grants are taken briefly, after an app's lock or alone, never the other
/// way round.
#[derive(Debug)]
pub(crate) struct Shared {
    seed: Seed,
    /// The apps by id (ids sort as `ListApps` pages them).
    apps: RwLock<BTreeMap<String, Arc<AppSlot>>>,
    pub(crate) keys: KeyRing,
    /// OAuth clients and the authorization codes not yet exchanged.
    pub(crate) grants: Mutex<Grants>,
    pub(crate) ids: IdGen,
    pub(crate) log: RequestLog,
    pub(crate) faults: Faults,
    /// Longest wait for a request body, from the end of its headers; `None` waits forever.
    pub(crate) body_timeout: Option<Duration>,
    /// Where the server listens; used for links when a request has no `Host` header.
    pub(crate) local_addr: SocketAddr,
    /// Most messages a conversation holds; posting more is 423 `locked`.
    pub(crate) max_messages: usize,
    /// Webhook deliveries: queues, log, faults and retry settings.
    pub(crate) delivery: Arc<Delivery>,
}

/// The seed's apps, fresh.
fn seeded_apps(seed: &Seed) -> BTreeMap<String, Arc<AppSlot>> {
    seed.apps
        .iter()
        .map(|app| (app.id.clone(), AppSlot::new(AppData::from_seed(app))))
        .collect()
}

impl Shared {
    pub(crate) fn new(
        seed: Seed,
        log: RequestLog,
        body_timeout: Option<Duration>,
        local_addr: SocketAddr,
        max_messages: usize,
        webhooks: DeliverySettings,
    ) -> Self {
        Shared {
            apps: RwLock::new(seeded_apps(&seed)),
            keys: KeyRing::new(&seed),
            grants: Mutex::new(Grants::from_seed(&seed)),
            seed,
            ids: IdGen::new(),
            log,
            faults: Faults::default(),
            body_timeout,
            local_addr,
            max_messages,
            delivery: Delivery::new(webhooks),
        }
    }

    /// The app called `id`, without authentication (for the control endpoints); 404
    /// `app_not_found`.
    pub(crate) fn app(&self, id: &str) -> Result<Arc<AppSlot>, crate::error::ApiError> {
        self.apps
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned()
            .ok_or_else(|| crate::error::ApiError::not_found("app_not_found", "App not found"))
    }

    /// True when `id` is the id of one of the seed's apps (deleted or not).
    pub(crate) fn is_seed_app(&self, id: &str) -> bool {
        self.seed.apps.iter().any(|app| app.id == id)
    }

    /// The ids of every app, in order.
    pub(crate) fn app_ids(&self) -> std::collections::BTreeSet<String> {
        self.apps
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    /// Adds an app (its id is fresh).
    pub(crate) fn insert_app(&self, id: &str, data: AppData) -> Arc<AppSlot> {
        let slot = AppSlot::new(data);
        self.apps
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id.to_owned(), slot.clone());
        slot
    }

    /// Removes app `id` with every key bound to it; false when there is no such app.
    pub(crate) fn remove_app(&self, id: &str) -> bool {
        let removed = self
            .apps
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id)
            .is_some();
        if removed {
            self.keys.retain(|owner| owner.app() != Some(id));
            self.grants
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .forget_app(id);
        }
        removed
    }

    /// Restores the seeded apps, keys and OAuth codes, clears the log and the fault queue, and
    /// forgets pending webhook deliveries, their log and faults.
    pub(crate) fn reset(&self) {
        self.delivery.reset();
        *self.apps.write().unwrap_or_else(|e| e.into_inner()) = seeded_apps(&self.seed);
        self.keys.reset(&self.seed);
        *self.grants.lock().unwrap_or_else(|e| e.into_inner()) = Grants::from_seed(&self.seed);
        self.log.clear();
        self.faults.clear();
    }
}
