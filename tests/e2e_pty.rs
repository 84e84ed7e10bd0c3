//! End to end: the real binary in a pseudo-terminal, read back through a terminal emulator.
//! Checks the first screen, a key press, quitting, and that the terminal is handed back.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    screen: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Session {
    fn start(args: &[&str]) -> Session {
        let pty = native_pty_system();
        let pair = pty.openpty(PtySize { rows: 40, cols: 140, pixel_width: 0, pixel_height: 0 }).expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_sitdash"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("spawn sitdash");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen =
            Arc::new(Mutex::new(vt100::Parser::new(NonZeroU16::new(40).unwrap(), NonZeroU16::new(140).unwrap(), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (s, r) = (Arc::clone(&screen), Arc::clone(&raw));
        std::thread::spawn(move || {
            let _keep_master_open = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session { screen, raw, writer, child }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until every needle is on the screen at once: a frame arrives in pieces, and a
    /// loaded machine can show the first rows well before the last.
    fn wait_for_all(&self, needles: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let text = self.contents();
            if needles.iter().all(|n| text.contains(n)) {
                return text;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "{needles:?} never all appeared; screen:\n{text}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
        // ESC alone must not be read as the start of an Alt-key.
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "sitdash did not quit");
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

#[test]
fn first_screen_keys_and_clean_exit() {
    let mut s = Session::start(&[]);
    s.wait_for_all(&[
        "Places · by events",
        "Idlib, early February 2020",
        "Timeline · 12 of 12 events",
        "31+",
        "Tell Touqan",
    ]);

    s.send(b"?");
    s.wait_for_all(&["Keys (from the key table)", "help: every key"]);
    s.send(b"\x1b");
    s.send(b"/");
    s.send("سراقب".as_bytes());
    s.wait_for_all(&["3 of 12 events", "Saraqeb"]);
    s.send(b"\r");
    s.send(b"q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let raw = s.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    // The alternate screen was entered and left again, and the cursor shown.
    assert!(text.contains("\u{1b}[?1049h"), "never entered the alternate screen");
    assert!(text.rfind("\u{1b}[?1049l") > text.rfind("\u{1b}[?1049h"), "did not leave the alternate screen");
    assert!(text.contains("\u{1b}[?25h"), "cursor not shown again");
}

#[test]
fn bad_input_is_reported_before_the_screen_is_touched() {
    let mut s = Session::start(&["tests/fixtures/bad/trailing_comma.json"]);
    let status = s.wait_exit();
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(100));
    let raw = s.raw.lock().unwrap().clone();
    let text = String::from_utf8_lossy(&raw);
    assert!(!text.contains("\u{1b}[?1049h"), "entered the alternate screen for a bad file");
    assert!(text.contains("trailing_comma.json:"), "{text}");
}

#[test]
fn the_dashboard_starts_with_the_filter_given_on_the_command_line() {
    let mut s = Session::start(&["--filter", "kind:shelling"]);
    let first = s.wait_for_all(&["filter: kind:shelling", "Timeline · 4 of 12 events", "Turkish position in Saraqeb"]);
    assert!(!first.contains("Russian air strikes"), "{first}");
    s.send(b"q");
    assert!(s.wait_exit().success());

    // A bad filter is a usage error before the screen is touched.
    let mut s = Session::start(&["--filter", "kind:nonsense"]);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 2);
    std::thread::sleep(Duration::from_millis(100));
    let text = String::from_utf8_lossy(&s.raw.lock().unwrap().clone()).into_owned();
    assert!(!text.contains("\u{1b}[?1049h"), "entered the alternate screen for a bad filter");
    assert!(text.contains("bad filter: kind:nonsense"), "{text}");
}

#[test]
fn input_format_reads_a_misnamed_file_as_what_it_is() {
    // Our JSON document, named as if it were JSON Lines: the name decides, and the file is
    // refused, unless --input-format says what it is.
    let dir = std::env::temp_dir().join(format!("sitdash-pty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let misnamed = dir.join("valley.jsonl");
    std::fs::copy("tests/fixtures/good/base.json", &misnamed).expect("copy");
    let path = misnamed.to_str().expect("a UTF-8 path");

    let mut s = Session::start(&[path]);
    assert!(!s.wait_exit().success(), "read as JSON Lines, the document is refused");

    let mut s = Session::start(&["--input-format", "json", path]);
    s.wait_for_all(&["Fixture valley, one week", "Timeline · 1 of 1 events", "River town", "Army and militia fight"]);
    s.send(b"q");
    assert!(s.wait_exit().success());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_large_file_that_fails_to_load_in_the_background_says_why_after_the_screen() {
    // Over 8 MB, so it loads behind the progress bar; broken at its very end.
    let dir = std::env::temp_dir().join(format!("sitdash-pty-bg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let big = dir.join("big.json");
    let padding = " ".repeat(9 << 20);
    std::fs::write(&big, format!("{{\"title\": \"Big\",{padding}\"events\": [}}")).expect("write");
    let path = big.to_str().expect("a UTF-8 path");
    let mut s = Session::start(&[path]);
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 1);
    std::thread::sleep(Duration::from_millis(100));
    let text = String::from_utf8_lossy(&s.raw.lock().unwrap().clone()).into_owned();
    let left = text.rfind("\u{1b}[?1049l").expect("the screen was entered and left");
    let after = &text[left..];
    assert!(after.contains(&format!("{path}:1:")), "{after}");
    assert!(after.contains("1 problem(s) found; nothing was loaded"), "{after}");
    let _ = std::fs::remove_dir_all(&dir);
}
