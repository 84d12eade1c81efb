//! The app's data state, shared by every view through context: the last good dataset and the
//! status of the newest load. Every source (bundled demo, configured URL, local file, live feed)
//! goes through [`Store::replace`] or [`Store::fail`], so the last good data survives failures.

use crate::data::Loaded;
use leptos::prelude::*;
use omnikpi_engine::io::Progress;

/// What the newest load is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing started yet.
    Idle,
    /// Reading `source`.
    Loading {
        /// What is being read.
        source: String,
        /// Bytes and rows so far.
        progress: Progress,
    },
    /// The newest load succeeded.
    Ready,
    /// The newest load failed; the last good data (if any) is still shown.
    Failed(String),
}

/// Shared data state. Cheap to copy; get it with `expect_context::<Store>()`.
#[derive(Clone, Copy)]
pub struct Store {
    /// The last dataset that loaded, with its engine.
    pub data: RwSignal<Option<Loaded>>,
    /// The newest load's status.
    pub status: RwSignal<Status>,
    /// Why `config.json` was not used as a whole, if it was not.
    pub config_error: RwSignal<Option<String>>,
    /// The live feed's state, in live mode (see `crate::live`).
    pub live: RwSignal<Option<crate::live::LiveInfo>>,
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store {
            data: RwSignal::new(None),
            status: RwSignal::new(Status::Idle),
            config_error: RwSignal::new(None),
            live: RwSignal::new(None),
        }
    }

    /// Installs a newly loaded dataset.
    pub fn replace(&self, loaded: Loaded) {
        self.data.set(Some(loaded));
        self.status.set(Status::Ready);
    }

    /// Records a failed load, keeping the last good data.
    pub fn fail(&self, message: String) {
        self.status.set(Status::Failed(message));
    }

    /// Clears a failure once its source works again (a live feed that reconnected), keeping
    /// the data.
    pub fn recovered(&self) {
        if matches!(self.status.get_untracked(), Status::Failed(_)) {
            self.status.set(Status::Ready);
        }
    }

    /// Ends a load that was given up with its message shown elsewhere (a picked file's, in
    /// the import panel): the data shown before stays, ready, or none is idle.
    pub fn abandoned(&self) {
        let has = self.data.with_untracked(|d| d.is_some());
        self.status
            .set(if has { Status::Ready } else { Status::Idle });
    }

    /// Records progress of a load.
    pub fn progress(&self, source: &str, progress: Progress) {
        self.status.set(Status::Loading {
            source: source.to_string(),
            progress,
        });
    }
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}
