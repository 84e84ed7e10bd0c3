//! Loading large files off the screen's thread. A single large CSV or JSON Lines file is
//! first loaded in part (its first records, cut at a record boundary) so that the panes fill
//! within a moment; then the whole file is loaded and replaces the preview. A plain file's
//! preview reads only the file's first bytes, so it comes as fast for 5 GB as for 50 MB.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use crate::domain::index::SearchIndex;
use crate::domain::model::Situation;
use crate::ingest::input::{
    InputFile, InputFormat, LoadError, LoadOptions, LoadReport, Phase, Progress, detect_format,
};
use crate::ingest::load::{load_inputs_with, load_owned_with, load_paths_with};

/// What a background load hands over when it is done: the situation, its index and the report.
pub struct Loaded {
    pub sit: Situation,
    pub search: SearchIndex,
    pub report: LoadReport,
}

/// What the loading thread sends.
pub enum LoadMessage {
    /// The first part of the file, to browse while the rest loads.
    Preview(Loaded),
    /// The whole input, or why it was refused.
    Done(Result<Loaded, LoadError>),
}

/// How much of a large file the preview reads.
pub const PREVIEW_BYTES: usize = 8 << 20;

/// Where to cut `text` so that the part before holds only whole records and at most about
/// `limit` bytes: after a line break that is not inside a quoted CSV field. `None` when the
/// text is small or holds no such break.
#[must_use]
pub fn preview_cut(text: &str, format: InputFormat, limit: usize) -> Option<usize> {
    if text.len() <= limit * 2 {
        return None;
    }
    cut_within(&text.as_bytes()[..limit], format)
}

/// The end of the last whole record in `bytes`, the start of a text in `format`.
fn cut_within(bytes: &[u8], format: InputFormat) -> Option<usize> {
    match format {
        InputFormat::JsonLines => memchr::memrchr(b'\n', bytes).map(|i| i + 1),
        InputFormat::Acled | InputFormat::Ucdp => {
            // A quote toggles "inside a field" ("" inside a field toggles twice), so a line
            // break seen with an even count of quotes before it ends a record.
            let mut inside = false;
            let mut cut = None;
            for (i, &b) in bytes.iter().enumerate() {
                match b {
                    b'"' => inside = !inside,
                    b'\n' if !inside => cut = Some(i + 1),
                    _ => {}
                }
            }
            cut
        }
        _ => None,
    }
}

/// The preview of a large plain file, read from its first [`PREVIEW_BYTES`] only: its first
/// records (cut at a record boundary), loaded and indexed; what the screen shows first.
/// `None` for a file under twice that, a compressed file or workbook (whose text must be
/// unpacked first), a format that cannot be cut (one JSON document), or a preview with
/// problems (the whole load reports them). The notes reader does not run on a preview: its
/// posts come with the whole.
#[must_use]
pub fn preview(path: &Path, options: LoadOptions) -> Option<Loaded> {
    use std::io::Read;
    let size = std::fs::metadata(path).ok()?.len();
    if size <= 2 * PREVIEW_BYTES as u64 {
        return None;
    }
    let mut head = Vec::with_capacity(PREVIEW_BYTES);
    std::fs::File::open(path).ok()?.take(PREVIEW_BYTES as u64).read_to_end(&mut head).ok()?;
    if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(b"PK\x03\x04") {
        return None;
    }
    // A character cut by the end of what was read is no problem of the file's.
    let text = match String::from_utf8(head) {
        Ok(text) => text,
        Err(err) if err.as_bytes().len() - err.utf8_error().valid_up_to() < 4 => {
            let good = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(good);
            String::from_utf8(bytes).ok()?
        }
        Err(_) => return None,
    };
    let name = path.display().to_string();
    let format = match options.format {
        InputFormat::Auto => detect_format(&name, &text),
        other => other,
    };
    let mut text = text;
    text.truncate(cut_within(text.as_bytes(), format)?);
    let part = InputFile::new(name, text);
    load_inputs_with(&[part], options, &Progress::default()).ok().map(|(sit, report)| {
        let search = SearchIndex::new(&sit);
        Loaded { sit, search, report }
    })
}

/// The index of a load. The notes are read after, by the app, with the events on screen.
fn index(result: Result<(Situation, LoadReport), LoadError>) -> Result<Loaded, LoadError> {
    result.map(|(sit, report)| {
        let search = SearchIndex::new(&sit);
        Loaded { sit, search, report }
    })
}

/// Loads `files` on a new thread, reporting to `progress`; the receiver gets an optional
/// preview and then the outcome. Dropping the receiver (the user quit) ends nothing early
/// but discards the result.
#[must_use]
pub fn spawn(files: Vec<PathBuf>, options: LoadOptions, progress: Arc<Progress>) -> Receiver<LoadMessage> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let outcome = if let [path] = files.as_slice() {
            // The first frame: a plain file's first records, before the file is read whole.
            let previewed =
                preview(path, options).is_some_and(|loaded| sender.send(LoadMessage::Preview(loaded)).is_ok());
            match crate::ingest::unpack::read_path(path, options) {
                Ok(mut inputs) if inputs.len() == 1 => {
                    let input = inputs.remove(0);
                    progress.total.store(input.len() as u64, std::sync::atomic::Ordering::Relaxed);
                    let format = input.format(options.format);
                    if let Some(cut) = preview_cut(&input.text, format, PREVIEW_BYTES).filter(|_| !previewed) {
                        let part = InputFile::new(input.name.clone(), input.text[..cut].to_string());
                        // A preview with problems is not shown: the whole load reports them.
                        if let Ok(loaded) = index(load_inputs_with(&[part], options, &Progress::default())) {
                            let _ = sender.send(LoadMessage::Preview(loaded));
                        }
                    }
                    let loaded = load_owned_with(vec![input], options, &progress);
                    progress.set_phase(Phase::Indexing);
                    index(loaded)
                }
                Ok(inputs) => {
                    let loaded = load_owned_with(inputs, options, &progress);
                    progress.set_phase(Phase::Indexing);
                    index(loaded)
                }
                Err(problem) => Err(LoadError { problems: vec![problem] }),
            }
        } else {
            let loaded = load_paths_with(&files, options, &progress);
            progress.set_phase(Phase::Indexing);
            index(loaded)
        };
        progress.set_phase(Phase::Done);
        // The receiver is gone only when the user quit before the end: nothing to do.
        let _ = sender.send(LoadMessage::Done(outcome));
    });
    receiver
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_is_cut_after_a_whole_record_never_inside_quotes() {
        let row = "1,\"notes with a line\nbreak and \"\"quotes\"\"\",3\n";
        let text = format!("a,b,c\n{}", row.repeat(100));
        let cut = preview_cut(&text, InputFormat::Acled, 200).expect("a cut");
        assert!(cut <= 200);
        let part = &text[..cut];
        assert!(part.ends_with(",3\n"), "{part:?}");
        assert_eq!(part.matches('"').count() % 2, 0);
        assert_eq!(preview_cut(&text, InputFormat::Acled, text.len()), None, "small files are not cut");
        assert_eq!(preview_cut(&text, InputFormat::Situation, 200), None, "a JSON document cannot be cut");
    }

    #[test]
    fn json_lines_are_cut_at_a_line_end() {
        let text = "{\"id\":\"e\"}\n".repeat(100);
        let cut = preview_cut(&text, InputFormat::JsonLines, 100).expect("a cut");
        assert_eq!(cut % 11, 0);
        assert!(text[..cut].ends_with('\n'));
    }
}
