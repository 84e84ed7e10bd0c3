//! The `sitdash` binary: parses the command line, loads and validates before touching the
//! terminal, then runs the dashboard or a headless command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use sitdash::figures::TimeWindow;
use sitdash::load::{LoadOptions, LoadReport, load_paths, load_str};
use sitdash::model::{Day, Situation};
use sitdash::{DEFAULT_DATA, DEFAULT_DATA_NAME, summary};

/// A terminal situation dashboard for armed conflicts.
#[derive(Parser)]
#[command(name = "sitdash", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Situation files to open (JSON or JSON Lines); none opens the embedded Idlib data set.
    files: Vec<PathBuf>,
    /// Load what is valid and report what was skipped, instead of refusing bad input.
    #[arg(long)]
    skip_invalid: bool,
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
        #[arg(long, value_parser = parse_day)]
        as_of: Option<Day>,
        /// Count only from this date on (YYYY-MM-DD).
        #[arg(long, value_parser = parse_day)]
        since: Option<Day>,
        /// Print the JSON contract instead of text.
        #[arg(long)]
        json: bool,
        #[arg(long)]
        skip_invalid: bool,
    },
}

fn parse_day(text: &str) -> Result<Day, String> {
    Day::parse(text)
}

fn load(files: &[PathBuf], options: LoadOptions) -> Result<(Situation, LoadReport), ExitCode> {
    let result =
        if files.is_empty() { load_str(DEFAULT_DATA_NAME, DEFAULT_DATA, options) } else { load_paths(files, options) };
    match result {
        Ok((sit, report)) => {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check { files }) => match load_paths(&files, LoadOptions::default()) {
            Ok((_, report)) => {
                println!("ok: {} file(s), {} records, no problems", files.len(), report.read);
                ExitCode::SUCCESS
            }
            Err(err) => {
                for problem in &err.problems {
                    println!("{problem}");
                }
                eprintln!("{} problem(s)", err.problems.len());
                ExitCode::from(1)
            }
        },
        Some(Command::Summary { files, as_of, since, json, skip_invalid }) => {
            let (sit, _) = match load(&files, LoadOptions { skip_invalid }) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let window = TimeWindow { from: since, to: as_of.or(sit.as_of) };
            let events: Vec<_> = sit.events.iter().collect();
            if json {
                let value = summary::to_json(&sit, &events, window);
                println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
            } else {
                print!("{}", summary::to_text(&sit, &events, window));
            }
            ExitCode::SUCCESS
        }
        None => {
            let (sit, report) = match load(&cli.files, LoadOptions { skip_invalid: cli.skip_invalid }) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let mut app = sitdash::app::App::new(sit);
            if report.skipped > 0 {
                app.message = Some(report.line());
            }
            match sitdash::tui::run(&mut app) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("sitdash: terminal error: {err}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
