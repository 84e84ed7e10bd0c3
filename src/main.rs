//! The `sitdash` binary: parses the command line, loads and validates before touching the
//! terminal, then runs the dashboard or a headless command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sitdash::export::{EventFormat, write_events};
use std::sync::Arc;
use std::time::Instant;

use sitdash::app::App;
use sitdash::load::{InputFormat, LoadOptions, LoadReport, Progress, load_paths, load_str};
use sitdash::model::{Day, Situation};
use sitdash::query::{Query, QueryContext, SearchIndex, matching_events};
use sitdash::{DEFAULT_DATA, DEFAULT_DATA_NAME, summary};

/// A terminal situation dashboard for armed conflicts.
#[derive(Parser)]
#[command(name = "sitdash", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Situation files to open (JSON, JSON Lines, ACLED or UCDP CSV); none opens the
    /// embedded Idlib data set.
    files: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Start with this filter applied (the same query language as `/`).
    #[arg(long)]
    filter: Option<String>,
}

#[derive(clap::Args, Clone, Copy)]
struct InputArgs {
    /// Load what is valid and report what was skipped, instead of refusing bad input.
    #[arg(long, global = true)]
    skip_invalid: bool,
    /// The input format, when detection from the content is not wanted.
    #[arg(long = "input-format", value_enum, global = true, default_value = "auto")]
    input_format: FormatArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Json,
    Jsonl,
    Acled,
    Ucdp,
}

impl InputArgs {
    fn options(self) -> LoadOptions {
        let format = match self.input_format {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::Json => InputFormat::Situation,
            FormatArg::Jsonl => InputFormat::JsonLines,
            FormatArg::Acled => InputFormat::Acled,
            FormatArg::Ucdp => InputFormat::Ucdp,
        };
        LoadOptions { skip_invalid: self.skip_invalid, format }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Validate files and print every problem as file:line:column.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the figures (killed, injured, displaced, posts) without the dashboard.
    Summary {
        files: Vec<PathBuf>,
        /// Show the state as of this date (YYYY-MM-DD); default: the situation's as-of date.
        #[arg(long, value_parser = Day::parse)]
        as_of: Option<Day>,
        /// Count only from this date on (YYYY-MM-DD).
        #[arg(long, value_parser = Day::parse)]
        since: Option<Day>,
        /// Only events matching this query (the dashboard's `/` language).
        #[arg(long)]
        filter: Option<String>,
        /// Print the JSON contract instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a reproducible synthetic file for measurements.
    Gen {
        #[arg(long)]
        events: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value = "acled")]
        format: sitdash::synth::GenFormat,
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Measure load, filter, frame time and memory on one file (one size per run).
    Bench { file: PathBuf },
    /// List the events that match a filter, as a table, JSON or CSV.
    Events {
        files: Vec<PathBuf>,
        #[arg(long)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: EventFormat,
    },
}

fn load(files: &[PathBuf], options: LoadOptions) -> Result<(Situation, LoadReport), ExitCode> {
    let result =
        if files.is_empty() { load_str(DEFAULT_DATA_NAME, DEFAULT_DATA, options) } else { load_paths(files, options) };
    match result {
        Ok((sit, report)) => {
            for warning in &report.warnings {
                eprintln!("note: {warning}");
            }
            if report.skipped > 0 {
                for problem in &report.problems {
                    eprintln!("skipped: {problem}");
                }
                eprintln!("{}", report.line());
            }
            Ok((sit, report))
        }
        Err(err) => {
            for problem in &err.problems {
                eprintln!("{problem}");
            }
            eprintln!("sitdash: {err}; fix the problems above, or pass --skip-invalid to load what is valid");
            Err(ExitCode::from(1))
        }
    }
}

/// Parses `--filter`; a bad query is a usage error (exit 2) that points at the column.
fn parse_filter(sit: &Situation, text: Option<&str>) -> Result<Query, ExitCode> {
    let Some(text) = text else { return Ok(Query::default()) };
    Query::parse(text, &QueryContext { sit, today: sit.as_of }).map_err(|err| {
        eprintln!("sitdash: bad filter: {text}");
        eprintln!("                     {}^ {err}", " ".repeat(err.column.saturating_sub(1)));
        ExitCode::from(2)
    })
}

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

fn run() -> Result<(), ExitCode> {
    let cli = Cli::parse();
    let options = cli.input.options();
    match cli.command {
        Some(Command::Check { files }) => match load_paths(&files, LoadOptions { skip_invalid: false, ..options }) {
            Ok((sit, report)) => {
                println!("ok: {} file(s), {} records, no problems", files.len(), report.read);
                exit_without_freeing(sit);
                Ok(())
            }
            Err(err) => {
                for problem in &err.problems {
                    println!("{problem}");
                }
                eprintln!("{} problem(s)", err.problems.len());
                Err(ExitCode::from(1))
            }
        },
        Some(Command::Summary { files, as_of, since, filter, json }) => {
            let (sit, _) = load(&files, options)?;
            let query = parse_filter(&sit, filter.as_deref())?;
            let mut window = query.window(as_of.or(sit.as_of));
            window.from = window.from.max(since);
            let events: Vec<_> = if query.is_empty() {
                sit.events.iter().collect()
            } else {
                let index = SearchIndex::new(&sit);
                matching_events(&query, &index, &sit).into_iter().map(|i| &sit.events[i as usize]).collect()
            };
            if json {
                let value = summary::to_json(&sit, &events, window);
                println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
            } else {
                print!("{}", summary::to_text(&sit, &events, window));
            }
            drop(events);
            exit_without_freeing(sit);
            Ok(())
        }
        Some(Command::Gen { events, seed, format, output }) => {
            let result = match output {
                Some(path) => std::fs::File::create(&path)
                    .and_then(|f| sitdash::synth::generate(&mut std::io::BufWriter::new(f), format, events, seed)),
                None => sitdash::synth::generate(
                    &mut std::io::BufWriter::new(std::io::stdout().lock()),
                    format,
                    events,
                    seed,
                ),
            };
            result.map_err(|err| {
                eprintln!("sitdash: {err}");
                ExitCode::from(1)
            })
        }
        Some(Command::Bench { file }) => match sitdash::bench::run(&file, options) {
            Ok(report) => {
                print!("{report}");
                Ok(())
            }
            Err(err) => {
                eprintln!("sitdash: {err}");
                Err(ExitCode::from(1))
            }
        },
        Some(Command::Events { files, filter, format }) => {
            let (sit, _) = load(&files, options)?;
            let query = parse_filter(&sit, filter.as_deref())?;
            let index = SearchIndex::new(&sit);
            let shown = matching_events(&query, &index, &sit);
            let stdout = std::io::stdout();
            let written = write_events(&mut stdout.lock(), &sit, &shown, format).map_err(|err| {
                // A closed pipe (`| head`) is not an error worth a message.
                if err.kind() != std::io::ErrorKind::BrokenPipe {
                    eprintln!("sitdash: {err}");
                }
                ExitCode::from(1)
            });
            exit_without_freeing((sit, index));
            written
        }
        None if background_worthy(&cli.files) => {
            let progress = Arc::new(Progress::default());
            let result = sitdash::background::spawn(cli.files.clone(), options, Arc::clone(&progress));
            let names: Vec<String> = cli
                .files
                .iter()
                .map(|p| p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()))
                .collect();
            let mut app = App::loading(sitdash::text::clean(&names.join(", ")), progress, result, Instant::now());
            if let Some(loading) = &mut app.loading {
                loading.filter.clone_from(&cli.filter);
            }
            let ran = sitdash::tui::run(&mut app).map_err(|err| {
                eprintln!("sitdash: terminal error: {err}");
                ExitCode::from(1)
            });
            let failed = app.load_failed.take();
            exit_without_freeing(app);
            ran?;
            match failed {
                Some(problems) => {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    eprintln!(
                        "sitdash: {} problem(s) found; nothing was loaded; fix them, or pass --skip-invalid",
                        problems.len()
                    );
                    Err(ExitCode::from(1))
                }
                None => Ok(()),
            }
        }
        None => {
            let (sit, report) = load(&cli.files, options)?;
            let mut app = App::new(sit);
            if let Some(text) = cli.filter.as_deref() {
                parse_filter(&app.sit, Some(text))?;
                let _ = app.set_filter_text(text);
            }
            if report.skipped > 0 {
                app.message = Some(report.line());
            }
            let ran = sitdash::tui::run(&mut app).map_err(|err| {
                eprintln!("sitdash: terminal error: {err}");
                ExitCode::from(1)
            });
            exit_without_freeing(app);
            ran
        }
    }
}

/// A million events are millions of small allocations; freeing them one by one just before
/// the process ends costs a third of a load's time and frees nothing the OS would not.
fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

/// mimalloc instead of the system allocator: a large load is millions of small strings, and
/// glibc's malloc spent a third of the load on them (and more memory per string).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}
