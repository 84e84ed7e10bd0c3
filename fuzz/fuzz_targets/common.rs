// Shared by the loader targets: load the bytes strictly and leniently; whatever loads is
// opened in the app and drawn once, so rendering odd data is fuzzed too.
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use sitdash::tui::app::App;
use sitdash::ingest::input::{InputFormat, LoadOptions, input_from_bytes};
use sitdash::ingest::load::load_inputs;

pub fn load_and_draw(name: &str, data: &[u8], format: InputFormat) {
    for skip_invalid in [false, true] {
        let Ok(input) = input_from_bytes(name.to_string(), data.to_vec()) else { return };
        let Ok((sit, report)) = load_inputs(&[input], LoadOptions { skip_invalid, format, ..LoadOptions::DEFAULT }) else { continue };
        assert_eq!(report.read, report.loaded + report.skipped);
        if sit.events.len() > 2_000 {
            continue;
        }
        let mut app = App::new(sit);
        {
            let Ok(mut terminal) = Terminal::new(TestBackend::new(90, 30));
            let _ = terminal.draw(|f| sitdash::tui::ui::render(f, &mut app));
            app.press(crossterm_enter());
            let _ = terminal.draw(|f| sitdash::tui::ui::render(f, &mut app));
        }
    }
}

fn crossterm_enter() -> ratatui::crossterm::event::KeyCode {
    ratatui::crossterm::event::KeyCode::Enter
}
