//! `kiosk appointment pass` and `kiosk walk-in issue`: the counter's queue from the command line,
//! through the same functions the queue screen calls (`counter`).

use std::process::ExitCode;

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;
use registry::model::Appointment;

use crate::cli::{AppointmentCommand, WalkInCommand};
use crate::counter::{self, TicketPrint};
use crate::office_keys::{self, OfficeKey};
use crate::output::{self, errln, outln};
use crate::{Context, KioskError, print_cmd};

/// The message ids this module uses (a test in `counter` checks each is translated).
#[cfg(test)]
pub const MESSAGE_IDS: &[&str] = &[
    "counter-appointment-not-found",
    "counter-pass-too-long-for-qr",
    "counter-walk-in-no-printer",
];

pub fn appointment(ctx: &Context, command: AppointmentCommand) -> Result<ExitCode, KioskError> {
    match command {
        AppointmentCommand::Pass { appointment, qr } => pass(ctx, appointment, qr),
    }
}

pub fn walk_in(ctx: &Context, command: WalkInCommand) -> Result<ExitCode, KioskError> {
    match command {
        WalkInCommand::Issue { service } => issue(ctx, service.into()),
    }
}

/// `kiosk appointment pass ID [--qr]`: the pass payload on one line (byte-exact into a pipe),
/// after its QR code when asked. An id the store does not hold is a "no" (exit 1).
fn pass(ctx: &Context, id: registry::model::RecordId, qr: bool) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let Some(appointment) = store.get::<Appointment>(id)? else {
        return Err(KioskError::Refused(ctx.t("counter-appointment-not-found")));
    };
    let key = office_keys::load_or_create(&ctx.data_dir, OfficeKey::Pass)?;
    let payload = counter::pass_payload(&appointment, &key, ctx.office_offset());
    if qr {
        let code = QrCode::new(payload.as_bytes())
            .map_err(|_| KioskError::Refused(ctx.t("counter-pass-too-long-for-qr")))?;
        // Light modules drawn as blocks: terminals are light text on a dark ground, and a
        // scanner needs dark modules on a light one.
        let drawn = code
            .render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build();
        for line in drawn.lines() {
            outln!("{line}")?;
        }
    }
    output::payload_line(payload.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `kiosk walk-in issue --service S`: the next ticket of the office's day. Its number goes to
/// stdout; the ticket is printed when the office has a printer (the exit status then says
/// whether the printer has it, as for `kiosk print`), and otherwise the clerk is told to show
/// the number instead.
fn issue(ctx: &Context, service: registry::model::Service) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let offset = ctx.office_offset();
    let now = store.now();
    let ticket = counter::issue_walk_in(&mut store, service, now, offset, None)?;
    outln!("{}", ticket.number)?;
    let doc = counter::queue_ticket(&store, &ticket, &ctx.config.office, offset)?;
    match counter::print_ticket(ctx, &doc).map_err(|e| e.into_kiosk_error(ctx))? {
        TicketPrint::NoPrinter => {
            errln!(
                "{}",
                ctx.t_with(
                    "counter-walk-in-no-printer",
                    &[("number", ticket.number.clone().into()), ("count", doc.waiting.into())]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        TicketPrint::Spooled(spooled) => {
            print_cmd::report_earlier(ctx, &spooled.earlier);
            print_cmd::report(ctx, &spooled.job)
        }
    }
}
