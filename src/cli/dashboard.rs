//! Running the dashboard: small inputs are loaded and checked before the screen is touched,
//! so their errors print plainly; large ones load behind a preview and a progress bar.

use crate::cli::output::say;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use crate::cli::shared::{exit_without_freeing, load, parse_filter};
use crate::domain::text::clean;
use crate::ingest::input::{LoadOptions, Progress};
use crate::tui::app::App;
use crate::tui::live::{Live, wall_clock};
use crate::tui::theme::Theme;
use crate::tui::{background, terminal};

/// Files this large load behind a progress bar, so that the first frame never waits for them.
const BACKGROUND_LOAD_BYTES: u64 = 8 << 20;

/// True when the files are readable and large enough to load in the background; anything
/// unreadable loads in the foreground, so its error prints before the screen is touched.
fn background_worthy(files: &[PathBuf]) -> bool {
    let mut total = 0;
    for path in files {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() && std::fs::File::open(path).is_ok() => total += meta.len(),
            _ => return false,
        }
    }
    total >= BACKGROUND_LOAD_BYTES
}

pub fn run(files: &[PathBuf], options: LoadOptions, filter: Option<&str>, watch: bool) -> Result<(), ExitCode> {
    // Followed from before the load, so nothing written during it is missed.
    let articles = files.iter().any(|f| crate::cli::extract::is_article(f));
    let live = (watch && !files.is_empty() && !articles).then(|| Live::start(files, options, wall_clock));
    if background_worthy(files) && !articles {
        run_in_background(files, options, filter, live)
    } else {
        run_loaded(files, options, filter, live)
    }
}

/// What following skipped, printed once the screen is back: the load report's tail.
fn report_followed(app: &mut App) {
    if let Some(live) = &app.live
        && !live.problems.is_empty()
    {
        for problem in &live.problems {
            say!("skipped while following: {problem}");
        }
        say!("sitdash: {} appended record(s) were skipped while following", live.problems.len());
    }
}

fn run_in_background(
    files: &[PathBuf],
    options: LoadOptions,
    filter: Option<&str>,
    live: Option<Live>,
) -> Result<(), ExitCode> {
    let progress = Arc::new(Progress::default());
    let result = background::spawn(files.to_vec(), options, Arc::clone(&progress));
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()))
        .collect();
    let mut app = App::loading(clean(&names.join(", ")), progress, result, Instant::now());
    app.theme = Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref());
    if let Some(loading) = &mut app.loading {
        loading.filter = filter.map(str::to_string);
    }
    app.live = live;
    let ran = terminal::run(&mut app).map_err(|err| {
        say!("sitdash: terminal error: {err}");
        ExitCode::from(1)
    });
    report_followed(&mut app);
    let failed = app.load_failed.take();
    exit_without_freeing(app);
    ran?;
    match failed {
        Some(problems) => {
            for problem in &problems {
                say!("{problem}");
            }
            say!("sitdash: {} problem(s) found; nothing was loaded; fix them, or pass --skip-invalid", problems.len());
            Err(ExitCode::from(1))
        }
        None => Ok(()),
    }
}

fn run_loaded(
    files: &[PathBuf],
    options: LoadOptions,
    filter: Option<&str>,
    live: Option<Live>,
) -> Result<(), ExitCode> {
    // Articles (`.txt`) are read into events first, against the data named beside them.
    let (sit, report) = if files.iter().any(|f| crate::cli::extract::is_article(f)) {
        crate::cli::extract::load_with_articles(files, options)?
    } else {
        load(files, options)?
    };
    let mut app = App::new(sit);
    app.theme = Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref());
    app.live = live;
    if let Some(text) = filter {
        parse_filter(&app.sit, Some(text))?;
        let _ = app.set_filter_text(text);
    }
    if report.skipped > 0 {
        app.message = Some(report.line());
    } else if let Some(odd) = report.odd_line() {
        app.message = Some(odd);
    }
    let ran = terminal::run(&mut app).map_err(|err| {
        say!("sitdash: terminal error: {err}");
        ExitCode::from(1)
    });
    report_followed(&mut app);
    exit_without_freeing(app);
    ran
}
