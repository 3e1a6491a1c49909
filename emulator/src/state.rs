//! State shared by every request: the apps, the key ring, the log and the fault queue.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use crate::auth::KeyRing;
use crate::faults::Faults;
use crate::ids::IdGen;
use crate::log::RequestLog;
use crate::seed::Seed;
use crate::store::AppData;

/// One app's records behind their own lock, so apps never contend.
#[derive(Debug)]
pub(crate) struct AppSlot {
    data: RwLock<AppData>,
}

impl AppSlot {
    pub(crate) fn read(&self) -> RwLockReadGuard<'_, AppData> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn write(&self) -> RwLockWriteGuard<'_, AppData> {
        self.data.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// Everything the handlers share. The set of apps and keys is fixed by the seed.
#[derive(Debug)]
pub(crate) struct Shared {
    seed: Seed,
    pub(crate) apps: Vec<AppSlot>,
    app_index: HashMap<String, usize>,
    pub(crate) keys: KeyRing,
    pub(crate) ids: IdGen,
    pub(crate) log: RequestLog,
    pub(crate) faults: Faults,
    /// Longest wait for a request body, from the end of its headers; `None` waits forever.
    pub(crate) body_timeout: Option<Duration>,
    /// Where the server listens; used for links when a request has no `Host` header.
    pub(crate) local_addr: SocketAddr,
    /// Most messages a conversation holds; posting more is 423 `locked`.
    pub(crate) max_messages: usize,
}

impl Shared {
    pub(crate) fn new(
        seed: Seed,
        log: RequestLog,
        body_timeout: Option<Duration>,
        local_addr: SocketAddr,
        max_messages: usize,
    ) -> Self {
        let apps = seed
            .apps
            .iter()
            .map(|app| AppSlot {
                data: RwLock::new(AppData::from_seed(app)),
            })
            .collect();
        let app_index = seed
            .apps
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        Shared {
            keys: KeyRing::new(&seed),
            seed,
            apps,
            app_index,
            ids: IdGen::new(),
            log,
            faults: Faults::default(),
            body_timeout,
            local_addr,
            max_messages,
        }
    }

    /// The app called `id`, without authentication (for the control endpoints); 404
    /// `app_not_found`.
    pub(crate) fn app(&self, id: &str) -> Result<&AppSlot, crate::error::ApiError> {
        self.app_index(id)
            .map(|index| &self.apps[index])
            .ok_or_else(|| crate::error::ApiError::not_found("app_not_found", "App not found"))
    }

    /// Index of the app called `id`, if there is one.
    pub(crate) fn app_index(&self, id: &str) -> Option<usize> {
        self.app_index.get(id).copied()
    }

    /// Restores the seeded records and clears the log and the fault queue.
    pub(crate) fn reset(&self) {
        for (slot, app) in self.apps.iter().zip(&self.seed.apps) {
            *slot.write() = AppData::from_seed(app);
        }
        self.log.clear();
        self.faults.clear();
    }
}
