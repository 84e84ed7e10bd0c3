//! Following the files on the command line while the dashboard shows them: a `notify`
//! watcher on their folders says when to look, and a check every second stands in where no
//! events come (network file systems). Each look is a stat and a short read per file; the
//! app takes appended lines in place and reloads a replaced file in the background.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::ingest::follow::{Change, DiskFile, Tail};
use crate::ingest::input::{Diagnostic, LoadOptions};
use crate::tui::background::LoadMessage;

/// How often files are looked at when the watcher has said nothing.
pub const POLL: Duration = Duration::from_secs(1);

/// The wall clock as the footer and header show it ("09:12"); passed in, so tests fix it.
pub type Clock = fn() -> String;

/// The local time as hours and minutes.
#[must_use]
pub fn wall_clock() -> String {
    chrono::Local::now().format("%H:%M").to_string()
}

pub struct Live {
    pub files: Vec<PathBuf>,
    pub options: LoadOptions,
    tails: Vec<Option<Tail>>,
    /// Kept alive while following; `None` when no watcher could be set up (polling only).
    _watcher: Option<notify::RecommendedWatcher>,
    events: Receiver<()>,
    last_check: Option<Instant>,
    /// When the view last changed, as the clock says it.
    pub last_change: Option<String>,
    /// When following began.
    pub started: String,
    /// A reload of a replaced file, running in the background.
    pub reload: Option<Receiver<LoadMessage>>,
    /// Appended records that were skipped, for the report at exit.
    pub problems: Vec<Diagnostic>,
    pub clock: Clock,
}

impl Live {
    /// Starts following `files` as they are now; call it before they are loaded, so that
    /// nothing written during the load is missed (what the load read twice is recognised).
    #[must_use]
    pub fn start(files: &[PathBuf], options: LoadOptions, clock: Clock) -> Live {
        let (sender, events) = channel();
        let names: Vec<std::ffi::OsString> =
            files.iter().filter_map(|p| p.file_name().map(ToOwned::to_owned)).collect();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let ours = event
                .is_ok_and(|e| e.paths.iter().any(|p| p.file_name().is_some_and(|n| names.iter().any(|m| m == n))));
            if ours {
                let _ = sender.send(());
            }
        })
        .ok()
        .and_then(|mut w| {
            use notify::Watcher as _;
            for path in files {
                let dir = match path.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // Watching the folder sees a file replaced by a rename, which the file's own
                // watch would not.
                w.watch(&dir, notify::RecursiveMode::NonRecursive).ok()?;
            }
            Some(w)
        });
        let mut live = Live {
            files: files.to_vec(),
            options,
            tails: Vec::new(),
            _watcher: watcher,
            events,
            last_check: None,
            last_change: None,
            started: clock(),
            reload: None,
            problems: Vec::new(),
            clock,
        };
        live.restart_tails();
        live
    }

    /// Takes every file as read up to where it is now.
    pub fn restart_tails(&mut self) {
        self.tails = self
            .files
            .iter()
            .map(|p| Tail::start(&DiskFile(p.clone()), &p.display().to_string(), self.options.format).ok())
            .collect();
    }

    /// True when the files should be looked at: the watcher said so, or a second passed.
    pub fn due(&mut self, now: Instant) -> bool {
        let mut told = false;
        while self.events.try_recv().is_ok() {
            told = true;
        }
        let waited = self.last_check.is_none_or(|t| now.duration_since(t) >= POLL);
        if told || waited {
            self.last_check = Some(now);
        }
        told || waited
    }

    /// Looks at every file; what changed, by file.
    pub fn check(&mut self) -> Vec<(usize, String, Change)> {
        let mut out = Vec::new();
        for (i, path) in self.files.iter().enumerate() {
            let file = DiskFile(path.clone());
            let change = match &mut self.tails[i] {
                Some(tail) => tail.check(&file),
                // Not readable when following began: whatever is there now is new.
                None => match Tail::start(&file, &path.display().to_string(), self.options.format) {
                    Ok(tail) => {
                        self.tails[i] = Some(tail);
                        Ok(Change::Replaced)
                    }
                    Err(err) => Err(err),
                },
            };
            match change {
                Ok(Change::Unchanged) => {}
                Ok(change) => out.push((i, path.display().to_string(), change)),
                Err(err) => out.push((i, path.display().to_string(), Change::Unreadable(err.to_string()))),
            }
        }
        out
    }
}
