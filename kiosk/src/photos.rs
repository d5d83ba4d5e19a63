//! `kiosk photo check`: the counter's photo rules on a file, and the re-encoded JPEG. The photo
//! comparison screen is the app's (`ui::screens::photos`).

use std::path::Path;
use std::process::ExitCode;

use crate::output;
use crate::{Context, KioskError};

/// `kiosk photo check FILE [--out FILE]`: the counter's photo rules, and the re-encoded JPEG.
/// A file that cannot be read, or is not a photo file at all, is a "no" (exit 1) that names it,
/// as `kiosk qr decode` says; only writing `--out` can fail the command (exit 70).
pub fn check(ctx: &Context, file: &Path, out: Option<&Path>) -> Result<ExitCode, KioskError> {
    let bytes = card_readers::input::read_picture(file, card_readers::input::MAX_PHOTO_FILE_BYTES)
        .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
    let accepted = card_readers::photo::check_photo(&bytes)
        .map_err(|e| KioskError::Refused(ctx.t_pairs(e.message_id(), e.message_args())))?;
    if let Some(path) = out {
        output::to_named_file(ctx, path, &accepted.jpeg, printers::named_file::NewFile::OwnerOnly)?;
    }
    output::json_line(&serde_json::json!({
        "width": accepted.width,
        "height": accepted.height,
        "bytes": accepted.jpeg.len(),
        "sha256": accepted.sha256,
    }))?;
    Ok(ExitCode::SUCCESS)
}
