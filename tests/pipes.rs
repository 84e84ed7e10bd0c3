//! sitdash as a Unix tool, through the built binary: output piped into a reader that stops
//! early (`| head`) ends quietly with status 0 (or 141, killed by SIGPIPE, as the shell
//! expects), never a panic or "Broken pipe"; `-` reads standard input; completions print.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitdash"));
    command.current_dir(env!("CARGO_MANIFEST_DIR")).env_remove("RUST_BACKTRACE");
    command
}

/// A generated ACLED file of `events` rows in this test's own directory.
fn generated(events: usize) -> PathBuf {
    // Each test its own file: tests run at once, and one must not read another's half-written file.
    let name = std::thread::current().name().unwrap_or("t").replace("::", "-");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("pipes-{name}-{events}.csv"));
    let status = binary()
        .args(["gen", "--events", &events.to_string(), "--seed", "3", "--output"])
        .arg(&path)
        .status()
        .expect("gen runs");
    assert!(status.success());
    path
}

/// A CSV of many rows that all fail the same way: `check` prints one problem per row.
fn many_bad_rows() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pipes-bad.csv");
    let mut text = String::from("event_id_cnty,event_date,event_type,actor1,location,fatalities\n");
    for i in 0..20_000 {
        let _ = writeln!(text, "VLD{i},not a date,Battles,Someone,Lunmark,1");
    }
    std::fs::write(&path, text).expect("write the fixture");
    path
}

/// True for the statuses a closed pipe may end with: 0, or death by SIGPIPE (141 in a shell).
fn quiet(status: ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(13) {
            return true;
        }
    }
    status.code() == Some(0) || status.code() == Some(141)
}

/// Runs the command with its output read for `keep` bytes and then closed.
fn closed_early(mut command: Command, keep: usize) -> (ExitStatus, String) {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = vec![0; keep];
    let _ = stdout.read_exact(&mut first);
    drop(stdout);
    let mut err = String::new();
    let _ = child.stderr.take().expect("stderr").read_to_string(&mut err);
    (child.wait().expect("waits"), err)
}

fn assert_quiet(what: &str, (status, err): (ExitStatus, String)) {
    assert!(quiet(status), "{what}: status {status:?}, stderr {err}");
    assert!(!err.contains("panicked"), "{what} panicked: {err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{what} said broken pipe: {err}");
}

#[test]
fn events_closing_early_is_quiet() {
    let file = generated(8_000);
    for (format, keep) in [("table", 100), ("csv", 0), ("json", 10)] {
        let mut command = binary();
        command.arg("events").arg(&file).args(["--format", format]);
        assert_quiet(&format!("events --format {format}"), closed_early(command, keep));
    }
}

#[test]
fn check_closing_early_is_quiet() {
    let mut command = binary();
    command.arg("check").arg(many_bad_rows());
    let (status, err) = closed_early(command, 80);
    // The problems were found: exit 1 if everything was written, else a quiet end.
    assert!(quiet(status) || status.code() == Some(1), "status {status:?}");
    assert_quiet("check", (std::process::ExitStatus::default(), err));
}

#[test]
fn summary_closing_early_is_quiet() {
    for args in [&["summary"][..], &["summary", "--json"]] {
        let mut command = binary();
        command.args(args).arg(generated(8_000));
        assert_quiet("summary", closed_early(command, 0));
    }
}

#[test]
fn help_and_completions_closing_early_are_quiet() {
    let mut command = binary();
    command.arg("--help");
    assert_quiet("--help", closed_early(command, 0));
    for shell in ["bash", "zsh", "fish"] {
        let out = binary().args(["completions", shell]).output().expect("runs");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains("sitdash") && script.contains("summary"), "{shell}: {script}");
    }
}

#[test]
fn a_dash_reads_standard_input_for_every_subcommand() {
    let file = "tests/fixtures/import/acled_current.csv";
    let text = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("fixture");
    let run = |args: &[&str], stdin: Option<&[u8]>| {
        let mut child = binary()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawns");
        let mut input = child.stdin.take().expect("stdin");
        if let Some(bytes) = stdin {
            input.write_all(bytes).expect("writes");
        }
        drop(input);
        child.wait_with_output().expect("runs")
    };
    for sub in ["summary", "events", "check"] {
        let piped = run(&[sub, "-"], Some(&text));
        let named = run(&[sub, file], None);
        assert!(piped.status.success(), "{sub} -: {}", String::from_utf8_lossy(&piped.stderr));
        let piped_out = String::from_utf8_lossy(&piped.stdout).replace("stdin", "FILE");
        let named_out = String::from_utf8_lossy(&named.stdout).replace(file, "FILE");
        assert_eq!(piped_out, named_out, "{sub}");
    }
    let empty = run(&["check", "-"], Some(b""));
    assert_eq!(empty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&empty.stdout).starts_with("stdin:1:1: the file is empty"));
}

#[test]
fn no_color_leaves_attributes_only() {
    use sitdash::tui::theme::Theme;
    let plain = Theme::for_no_color(Some(std::ffi::OsStr::new("1")));
    assert_eq!(plain, Theme::plain());
    assert_eq!(Theme::for_no_color(Some(std::ffi::OsStr::new(""))), Theme::default());
    assert_eq!(Theme::for_no_color(None), Theme::default());
    for style in [plain.title, plain.header, plain.dim, plain.border, plain.error, plain.key, plain.selected] {
        assert_eq!((style.fg, style.bg), (None, None));
    }
    for kind in sitdash::domain::model::Kind::ALL {
        assert_eq!(plain.kind(*kind).fg, None);
    }
    assert!(Theme::default().kind(sitdash::domain::model::Kind::ALL[0]).fg.is_some());
}
