//! `dossier watch`: keep the index in sync with folders as files appear, change or go.
//!
//! The folders are watched by the kernel (inotify on Linux), so nothing runs while nothing
//! changes. Changes are gathered until they stop: a sync starts once no event has come for
//! the settle time and the files that changed have kept the same size and modification
//! time over one more settle time, so that a burst of files is one sync (committed every
//! [`crate::index::COMMIT_EVERY_BYTES`]) and a file still being copied in is not indexed
//! half-written. Each sync is a whole `dossier index` of the folders: moves, removals and
//! the new matches of saved searches are handled as there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, UNIX_EPOCH};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::error::{Error, Result};
use crate::index::{self, Observer, SyncOptions, SyncReport};

/// What wakes the watch.
enum Wake {
    Changed(Vec<PathBuf>),
    Stop,
    Failed(String),
}

/// Stops a running [`Watch`] from another thread (a Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper(Sender<Wake>);

impl Stopper {
    pub fn stop(&self) {
        // The watch may have ended already: nothing to stop then.
        let _ = self.0.send(Wake::Stop);
    }
}

/// Folders watched for changes, for an index.
pub struct Watch {
    wakes: Receiver<Wake>,
    sender: Sender<Wake>,
    /// Events stop when this is dropped.
    _watcher: notify::RecommendedWatcher,
    index_dir: PathBuf,
}

impl Watch {
    /// Starts watching `roots` (files or folders), for the index in `index_dir`: changes
    /// from now on are seen, those made during the first sync included.
    pub fn new(index_dir: &Path, roots: &[PathBuf]) -> Result<Watch> {
        let (sender, wakes) = mpsc::channel();
        let events = sender.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let wake = match event {
                    // Reads (our own sync's among them) change nothing.
                    Ok(event) if matches!(event.kind, EventKind::Access(_)) => return,
                    Ok(event) => Wake::Changed(event.paths),
                    Err(error) => Wake::Failed(error.to_string()),
                };
                let _ = events.send(wake);
            })
            .map_err(|error| Error::Invalid(format!("cannot watch for changes: {error}")))?;
        for root in roots {
            watcher
                .watch(root, RecursiveMode::Recursive)
                .map_err(|error| {
                    Error::Invalid(format!("cannot watch {}: {error}", root.display()))
                })?;
        }
        Ok(Watch {
            wakes,
            sender,
            _watcher: watcher,
            index_dir: std::fs::canonicalize(index_dir).unwrap_or_else(|_| index_dir.to_path_buf()),
        })
    }

    pub fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Syncs at once, then after every settled batch of changes, until stopped (or a
    /// sync is interrupted through `options.cancel`). `synced` hears each sync's report.
    pub fn run(
        &self,
        options: &SyncOptions,
        settle: Duration,
        observer: &dyn Observer,
        synced: &mut dyn FnMut(&SyncReport),
    ) -> Result<()> {
        let report = index::sync(&self.index_dir, options, observer)?;
        synced(&report);
        if report.interrupted {
            return Ok(());
        }
        // Paths that changed since the last sync, with their size and time when last
        // looked at.
        let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
        let mut last_look: Option<BTreeMap<PathBuf, Option<(u64, u128)>>> = None;
        let mut deadline = Instant::now();
        loop {
            let wake = if pending.is_empty() {
                // Asleep until the kernel or Ctrl-C wakes us: no CPU while nothing changes.
                self.wakes
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                self.wakes
                    .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            };
            match wake {
                Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Ok(Wake::Failed(message)) => observer.note(&format!("watch: {message}")),
                Ok(Wake::Changed(paths)) => {
                    // The index's own files change with every sync of a folder holding it.
                    let outside_index = paths
                        .into_iter()
                        .filter(|p| !p.starts_with(&self.index_dir));
                    pending.extend(outside_index);
                    if !pending.is_empty() {
                        deadline = Instant::now() + settle;
                        last_look = None;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    let look: BTreeMap<PathBuf, Option<(u64, u128)>> = pending
                        .iter()
                        .map(|p| (p.clone(), size_and_time(p)))
                        .collect();
                    if last_look.as_ref() != Some(&look) {
                        // Still growing, or not looked at yet: one more settle time.
                        last_look = Some(look);
                        deadline = Instant::now() + settle;
                        continue;
                    }
                    pending.clear();
                    last_look = None;
                    let report = index::sync(&self.index_dir, options, observer)?;
                    synced(&report);
                    if report.interrupted {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// A file's size and modification time (nanoseconds), None when it is gone.
fn size_and_time(path: &Path) -> Option<(u64, u128)> {
    let metadata = std::fs::metadata(path).ok()?;
    let time = metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Some((metadata.len(), time))
}
