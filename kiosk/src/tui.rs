//! The terminal UI. Until the counter screens land, it opens on a home screen that shows the
//! office, the store and today's counts, and switches language. It follows The Elm Architecture:
//! `update` turns a key into a state change, `view` draws the state and changes nothing.

use std::io::IsTerminal;
use std::process::ExitCode;

use i18n::Language;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::style::{Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use registry::renewal::RENEWAL_WINDOW_DAYS;

use crate::output::errln;
use crate::{Context, KioskError};

/// What the home screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Home {
    pub lang: Language,
    pub office: String,
    pub kiosk_id: String,
    pub records: u64,
    pub events: u64,
    pub renewals_due: usize,
    pub appointments_today: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

pub fn update(home: &mut Home, key: KeyEvent) -> Flow {
    if key.kind != KeyEventKind::Press {
        return Flow::Continue;
    }
    match key.code {
        KeyCode::Char('q') | KeyCode::Esc => Flow::Quit,
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Flow::Quit,
        KeyCode::F(2) | KeyCode::Char('l') => {
            home.lang = home.lang.next();
            Flow::Continue
        }
        _ => Flow::Continue,
    }
}

pub fn view(home: &Home, frame: &mut Frame<'_>) {
    let t = |id: &str| i18n::text(home.lang, id);
    let tn = |id: &str, n: u64| i18n::text_with(home.lang, id, &[("count", n.into())]);
    let [title, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1)])
            .areas(frame.area());

    let title_line = Line::from(vec![
        Span::styled(
            format!(" {} ", t("app-title")),
            Style::new().add_modifier(Modifier::BOLD).reversed(),
        ),
        // Text from outside (the configuration, later records) is escaped as it is drawn: a
        // control character would move the real terminal's cursor, U+202E turn text around.
        Span::raw(format!(" {} ", registry::text::escape_for_display(&home.office))),
    ]);
    frame.render_widget(Paragraph::new(title_line), title);

    let lines = vec![
        Line::from(t("home-placeholder")).bold(),
        Line::from(""),
        Line::from(tn("home-renewals-due", home.renewals_due as u64)),
        Line::from(tn("home-appointments-today", home.appointments_today as u64)),
        Line::from(""),
        Line::from(i18n::text_with(
            home.lang,
            "home-store",
            &[
                ("records", home.records.into()),
                ("events", home.events.into()),
                ("kiosk", home.kiosk_id.clone().into()),
            ],
        ))
        .dim(),
    ];
    let block = Block::default().borders(Borders::ALL).title(format!(" {} ", t("home-title")));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), body);

    let keys =
        format!(" q {}   F2 {} ({})", t("key-quit"), t("key-language"), home.lang.native_name());
    frame.render_widget(Paragraph::new(keys).alignment(Alignment::Left).dim(), footer);
}

fn load_home(ctx: &Context) -> Result<Home, KioskError> {
    let store = ctx.open_store_quietly()?;
    let stats = store.stats()?;
    // The office's day, whatever the machine's zone; the indexes answer without a full scan.
    let now = store.now().to_offset(ctx.office_offset());
    let midnight = now.replace_time(time::Time::MIDNIGHT);
    let appointments = store.appointments_between(midnight, midnight + time::Duration::DAY)?;
    Ok(Home {
        lang: ctx.lang,
        office: ctx.config.office.clone(),
        kiosk_id: store.kiosk_id().to_owned(),
        records: stats.records,
        events: stats.events,
        renewals_due: store.renewals_due(now, RENEWAL_WINDOW_DAYS)?.len(),
        appointments_today: appointments.len(),
    })
}

pub fn run(ctx: &Context) -> Result<ExitCode, KioskError> {
    if !std::io::stdout().is_terminal() {
        errln!("{}", ctx.t("error-not-a-terminal"));
        return Ok(ExitCode::from(1));
    }
    let mut home = load_home(ctx)?;
    let mut terminal = ratatui::init();
    let result = (|| -> Result<(), KioskError> {
        loop {
            terminal.draw(|frame| view(&home, frame))?;
            if let Event::Key(key) = event::read()?
                && update(&mut home, key) == Flow::Quit
            {
                return Ok(());
            }
        }
    })();
    ratatui::restore();
    result.map(|()| ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn home(lang: Language) -> Home {
        Home {
            lang,
            office: "澳門郵政 eSignTrust".into(),
            kiosk_id: "K01TEST".into(),
            records: 120,
            events: 131,
            renewals_due: 4,
            appointments_today: 5,
        }
    }

    fn render(home: &Home, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
        terminal.draw(|frame| view(home, frame)).expect("draw");
        format!("{:?}", terminal.backend().buffer())
    }

    #[test]
    fn home_screen_in_every_language_at_80x24_and_wide() {
        for lang in Language::ALL {
            for (w, h) in [(80, 24), (140, 40)] {
                let name = format!("home_{}_{w}x{h}", lang.tag());
                insta::assert_snapshot!(name, render(&home(lang), w, h));
            }
        }
    }

    #[test]
    fn f2_cycles_through_the_four_languages_and_q_quits() {
        let mut state = home(Language::ZhHant);
        let f2 = KeyEvent::from(KeyCode::F(2));
        let mut seen = vec![state.lang];
        for _ in 0..4 {
            assert_eq!(update(&mut state, f2), Flow::Continue);
            seen.push(state.lang);
        }
        assert_eq!(
            seen,
            [Language::ZhHant, Language::Pt, Language::ZhHans, Language::En, Language::ZhHant]
        );
        assert_eq!(update(&mut state, KeyEvent::from(KeyCode::Char('q'))), Flow::Quit);
    }

    #[test]
    fn tiny_and_odd_terminals_draw_without_panicking() {
        for lang in Language::ALL {
            for (w, h) in [(1, 1), (10, 3), (10, 5), (20, 5), (39, 12), (300, 2), (300, 6)] {
                let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                terminal.draw(|frame| view(&home(lang), frame)).expect("draw");
                // The title bar is the first thing drawn: whatever fits of it is there.
                let first = terminal.backend().buffer().content().get(1).map(|c| c.symbol());
                let title = i18n::text(lang, "app-title");
                let expected = title.chars().next().map(String::from);
                // Below five rows the body (at least three) and the footer crowd the title out.
                if w > 2 && h >= 5 {
                    assert_eq!(first.map(str::to_owned), expected, "{lang} {w}x{h}");
                }
            }
        }
    }

    #[test]
    fn text_from_outside_cannot_command_the_terminal() {
        let hostile = Home { office: "\u{1b}[2J\u{202E}Office\u{7}".into(), ..home(Language::En) };
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        terminal.draw(|frame| view(&hostile, frame)).expect("draw");
        let drawn: String =
            terminal.backend().buffer().content().iter().map(|cell| cell.symbol()).collect();
        assert!(!drawn.contains(['\u{1b}', '\u{202E}', '\u{7}']), "{drawn:?}");
        assert!(drawn.contains("\\u{1B}[2J\\u{202E}Office\\u{7}"), "{drawn}");
    }

    #[test]
    fn the_screen_speaks_the_chosen_language() {
        let zh = render(&home(Language::ZhHant), 80, 24);
        let en = render(&home(Language::En), 80, 24);
        assert_ne!(zh, en);
        assert!(en.contains("Registry counter"), "{en}");
    }
}
