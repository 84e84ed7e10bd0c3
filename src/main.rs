//! The `sitdash` binary: the command line's definition and its dispatch to `sitdash::cli`,
//! which loads and validates before touching the terminal.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sitdash::cli;
use sitdash::domain::model::Day;
use sitdash::ingest::export::EventFormat;
use sitdash::ingest::input::{InputFormat, LoadOptions};

/// A terminal situation dashboard for armed conflicts.
#[derive(Parser)]
#[command(name = "sitdash", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Situation files to open (JSON, JSON Lines, ACLED or UCDP CSV, ACLED API JSON, .xlsx
    /// or `file.xlsx:Sheet`, any of them gzipped or zipped; `-` reads standard input); none
    /// opens the embedded Idlib data set.
    files: Vec<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Start with this filter applied (the same query language as `/`).
    #[arg(long)]
    filter: Option<String>,
    /// Do not follow the files as they change (by default appended JSON Lines appear as
    /// they are written, and a replaced file is reloaded).
    #[arg(long)]
    no_watch: bool,
}

#[derive(clap::Args, Clone, Copy)]
#[allow(clippy::struct_excessive_bools)]
struct InputArgs {
    /// Load what is valid and report what was skipped, instead of refusing bad input.
    #[arg(long, global = true)]
    skip_invalid: bool,
    /// The input format, when detection from the content is not wanted.
    #[arg(long = "input-format", value_enum, global = true, default_value = "auto")]
    input_format: FormatArg,
    /// The most a gzip or zip input may expand to (e.g. 512M, 8G); past it the input is
    /// refused as a likely decompression bomb.
    #[arg(long = "max-unpacked", value_name = "SIZE", global = true, default_value = "4G",
          value_parser = sitdash::ingest::unpack::parse_size)]
    max_unpacked: u64,
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
        // Today in UTC: the date checks give a day's grace for time zones ahead of it.
        let today = Day(chrono::Utc::now().date_naive());
        LoadOptions {
            skip_invalid: self.skip_invalid,
            format,
            max_unpacked: self.max_unpacked,
            as_of: Some(today),
            ..LoadOptions::DEFAULT
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Validate files and print every problem as file:line:column.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Flag imported events dated after this day (YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Q1:
        /// its last day) as odd; default: today.
        #[arg(long, value_name = "DATE", value_parser = sitdash::domain::query::last_day_of)]
        as_of: Option<Day>,
    },
    /// Print the figures (killed, injured, displaced, posts) without the dashboard.
    Summary {
        files: Vec<PathBuf>,
        /// Show the state as of this date (YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Q1: its last day);
        /// default: the situation's as-of date.
        #[arg(long, value_parser = sitdash::domain::query::last_day_of)]
        as_of: Option<Day>,
        /// Count only from this date on (YYYY-MM-DD, YYYY-MM, YYYY or YYYY-Q1: its first day).
        #[arg(long, value_parser = sitdash::domain::query::first_day_of)]
        since: Option<Day>,
        /// Only events matching this query (the dashboard's `/` language).
        #[arg(long)]
        filter: Option<String>,
        /// Print the JSON contract instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the situation report: headline figures with certainty and sources, the change
    /// against the previous period, the weekly trend, places, posts, notable events, caveats.
    Report {
        files: Vec<PathBuf>,
        /// Report as of this date (YYYY-MM-DD); default: the situation's as-of date.
        #[arg(long, value_parser = Day::parse)]
        as_of: Option<Day>,
        /// The period starts on this date (YYYY-MM-DD); default: all dates up to the as-of date.
        #[arg(long, value_parser = Day::parse)]
        since: Option<Day>,
        /// Only events matching this query (the dashboard's `/` language).
        #[arg(long)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value = "md")]
        format: cli::report::ReportFormat,
        /// Write the report to this file (replaced whole) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a reproducible synthetic file for measurements.
    Gen {
        #[arg(long)]
        events: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_enum, default_value = "acled")]
        format: sitdash::cli::generate::GenFormat,
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Measure load, filter, frame time and memory on one file (one size per run).
    Bench { file: PathBuf },
    /// Read plain-text news articles into one sitdash/1 document (rules, no model).
    Extract {
        /// Article files (plain text; an optional Title:/Date:/Outlet: header block).
        files: Vec<PathBuf>,
        /// The articles' date, when neither a header nor a dateline gives it (YYYY-MM-DD).
        #[arg(long, value_parser = Day::parse)]
        date: Option<Day>,
        /// The outlet the articles come from.
        #[arg(long)]
        source: Option<String>,
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Read a JSON Lines file of articles ({"id", "text", "date"?, "source"?}) and write one
        /// line per article, {"id", "document"}, in input order.
        #[arg(long)]
        batch: Option<PathBuf>,
    },
    /// Print a shell completion script: `sitdash completions bash > ~/.local/share/bash-completion/completions/sitdash`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// List the events that match a filter, as a table, JSON or CSV.
    Events {
        files: Vec<PathBuf>,
        #[arg(long)]
        filter: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: EventFormat,
    },
}

fn run() -> Result<(), ExitCode> {
    let cli = Cli::try_parse().map_err(|err| {
        // `--help | head` closes the pipe: clap's own exit would panic writing the rest.
        let _ = err.print();
        ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
    })?;
    let options = cli.input.options();
    match cli.command {
        Some(Command::Check { files, as_of }) => {
            cli::check::run(&files, LoadOptions { as_of: as_of.or(options.as_of), ..options })
        }
        Some(Command::Summary { files, as_of, since, filter, json }) => {
            cli::summary::run(&files, options, &cli::summary::SummaryArgs { as_of, since, filter, json })
        }
        Some(Command::Report { files, as_of, since, filter, format, output }) => {
            cli::report::run(&files, options, &cli::report::ReportArgs { as_of, since, filter, format, output })
        }
        Some(Command::Gen { events, seed, format, output }) => {
            cli::generate::run(events, seed, format, output.as_deref())
        }
        Some(Command::Bench { file }) => cli::bench::command(&file, options),
        Some(Command::Extract { files, date, source, output, batch }) => {
            cli::extract::run(&cli::extract::ExtractArgs {
                files: &files,
                date,
                source,
                output: output.as_deref(),
                batch: batch.as_deref(),
            })
        }
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "sitdash", &mut script);
            cli::output::emit(&String::from_utf8_lossy(&script))
        }
        Some(Command::Events { files, filter, format }) => cli::events::run(&files, options, filter.as_deref(), format),
        None => cli::dashboard::run(&cli.files, options, cli.filter.as_deref(), !cli.no_watch),
    }
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
