//! The terminal loop: set the terminal up, redraw only on change, resize or a slow tick, and
//! always give the terminal back (on quit, on error, on panic).

use std::io::{self, stdout};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;

use crate::tui::app::App;
use crate::tui::ui;

/// How long the loop sleeps waiting for input; nothing is drawn while idle.
const TICK: Duration = Duration::from_millis(500);

/// Runs the dashboard until the user quits.
///
/// # Errors
/// Terminal I/O errors; the terminal is restored before they are returned.
pub fn run(app: &mut App) -> io::Result<()> {
    let mut terminal = ratatui::init();
    // ratatui's hook restores raw mode and the screen; mouse capture must go too.
    let restore_screen = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        restore_screen(info);
    }));
    let _ = execute!(stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, app);
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> io::Result<()> {
    terminal.draw(|frame| ui::render(frame, app))?;
    while !app.should_quit {
        let mut changed = false;
        // While a load runs, wake often enough for the progress bar to move.
        // While following files, often enough that an append shows within a second.
        let tick = if app.loading.is_some() {
            Duration::from_millis(100)
        } else if app.live.is_some() {
            Duration::from_millis(250)
        } else {
            TICK
        };
        if event::poll(tick)? {
            // Drain what has queued up (typing, key repeat, a burst of wheel events) before
            // drawing, and filter once for the whole burst.
            app.batching = true;
            changed |= app.handle_event(&event::read()?);
            while !app.should_quit && event::poll(Duration::ZERO)? {
                changed |= app.handle_event(&event::read()?);
            }
            app.batching = false;
            changed |= app.settle();
        }
        changed |= app.tick(Instant::now());
        if changed && !app.should_quit {
            terminal.draw(|frame| ui::render(frame, app))?;
        }
    }
    Ok(())
}
