//! The mail outbox and the email verification codes: two tables local to this kiosk (migration
//! 5), never events and never replicated. A mail is committed here before anything tries to send
//! it, so a crash or a relay that is down loses nothing; a code is kept only as a salted hash.
//!
//! The sending itself (SMTP, the backoff, the texts) is the kiosk's; this module only keeps the
//! rows consistent when several processes (the counter app's poller, a `kiosk mail send`) work on
//! the same outbox: each send is claimed first, by a compare-and-set on the mail's attempts.

use std::fmt;

use registry::model::RecordId;
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};
use time::OffsetDateTime;
use ulid::Ulid;

use crate::{Store, StoreError};

/// A mail of the outbox, by its id.
pub type MailId = Ulid;

/// How long the record of a mail that was sent or given up is kept (its body is gone already
/// when it held a secret): long enough for support to see what went out.
const KEEP_DONE_MAILS: time::Duration = time::Duration::days(90);

/// A mail to put in the outbox.
#[derive(Clone)]
pub struct NewMail {
    pub recipient: String,
    pub subject: String,
    /// text/plain, UTF-8.
    pub body: String,
    /// The body holds a secret (a code): erased once the mail is sent or given up.
    pub secret: bool,
    /// Not sent by then, the mail is given up (a code that has expired is worth nothing).
    pub expires_at: Option<OffsetDateTime>,
}

impl fmt::Debug for NewMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewMail")
            .field("secret", &self.secret)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Where a mail is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    /// Not sent yet: tried again at `next_try_at`.
    Waiting,
    /// The relay accepted it.
    Sent,
    /// Never to be sent: its code expired or was replaced by a newer one.
    GivenUp,
}

/// A mail of the outbox as stored. Its `Debug` leaves out the recipient and the body.
#[derive(Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    /// `None` once a secret mail was sent or given up.
    pub body: Option<String>,
    pub secret: bool,
    pub created_at: OffsetDateTime,
    /// Tries begun (a try is counted when it starts, so a crash mid-send counts).
    pub attempts: u32,
    pub next_try_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub sent_at: Option<OffsetDateTime>,
    pub given_up_at: Option<OffsetDateTime>,
    /// Why the last try failed, or why the mail was given up: a category, never the relay's
    /// text (which can quote the address).
    pub last_error: Option<String>,
}

impl OutboxMail {
    pub fn state(&self) -> MailState {
        if self.sent_at.is_some() {
            MailState::Sent
        } else if self.given_up_at.is_some() {
            MailState::GivenUp
        } else {
            MailState::Waiting
        }
    }
}

impl fmt::Debug for OutboxMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutboxMail")
            .field("id", &self.id)
            .field("state", &self.state())
            .field("attempts", &self.attempts)
            .field("next_try_at", &self.next_try_at)
            .field("last_error", &self.last_error)
            .finish_non_exhaustive()
    }
}

/// An email verification code as stored: a salted hash, never the code.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailCode {
    pub salt: Vec<u8>,
    pub hash: Vec<u8>,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub tries_left: u32,
    pub used_at: Option<OffsetDateTime>,
    /// The mail that carries it.
    pub mail: Option<MailId>,
}

impl fmt::Debug for EmailCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmailCode")
            .field("expires_at", &self.expires_at)
            .field("tries_left", &self.tries_left)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

/// The first try of a new mail: `Claimed` when the caller sends it at once (no other process
/// takes it before `until`), `NotTried` with the reason when it cannot be tried now.
#[derive(Debug, Clone, Copy)]
pub enum FirstTry<'a> {
    Claimed { until: OffsetDateTime },
    NotTried { reason: &'a str },
}

fn ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn from_ms(value: i64) -> rusqlite::Result<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(value) * 1_000_000).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, e.into())
    })
}

fn from_ms_opt(value: Option<i64>) -> rusqlite::Result<Option<OffsetDateTime>> {
    value.map(from_ms).transpose()
}

fn parse_id(text: &str) -> rusqlite::Result<MailId> {
    text.parse().map_err(|e: ulid::DecodeError| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

const MAIL_COLUMNS: &str = "id, recipient, subject, body, secret, created_at, attempts, \
     next_try_at, expires_at, sent_at, given_up_at, last_error";

fn mail_row(r: &Row<'_>) -> rusqlite::Result<OutboxMail> {
    Ok(OutboxMail {
        id: parse_id(&r.get::<_, String>(0)?)?,
        recipient: r.get(1)?,
        subject: r.get(2)?,
        body: r.get(3)?,
        secret: r.get(4)?,
        created_at: from_ms(r.get(5)?)?,
        attempts: r.get(6)?,
        next_try_at: from_ms(r.get(7)?)?,
        expires_at: from_ms_opt(r.get(8)?)?,
        sent_at: from_ms_opt(r.get(9)?)?,
        given_up_at: from_ms_opt(r.get(10)?)?,
        last_error: r.get(11)?,
    })
}

fn code_row(r: &Row<'_>) -> rusqlite::Result<EmailCode> {
    Ok(EmailCode {
        salt: r.get(0)?,
        hash: r.get(1)?,
        created_at: from_ms(r.get(2)?)?,
        expires_at: from_ms(r.get(3)?)?,
        tries_left: r.get(4)?,
        used_at: from_ms_opt(r.get(5)?)?,
        mail: r.get::<_, Option<String>>(6)?.as_deref().map(parse_id).transpose()?,
    })
}

impl Store {
    /// A new code for (`application`, `address`) and the mail that carries it, committed
    /// together: the code never exists without its mail, nor the mail without its code. Any
    /// earlier code for the pair is replaced, and its mail, if still waiting, is given up (its
    /// code no longer works) with its body erased. Records of mails done long ago go too.
    pub fn put_email_code(
        &mut self,
        application: RecordId,
        address: &str,
        code: &EmailCode,
        mail: &NewMail,
        first_try: FirstTry<'_>,
        now: OffsetDateTime,
    ) -> Result<MailId, StoreError> {
        let id = Ulid::new();
        self.erasing(|conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let earlier: Option<Option<String>> = tx
            .query_row(
                "SELECT mail FROM email_codes WHERE application = ?1 AND address = ?2",
                params![application.to_string(), address],
                |r| r.get(0),
            )
            .optional()?;
        let mut erased = 0;
        if let Some(Some(earlier)) = earlier {
            erased = tx.execute(
                "UPDATE mail_outbox SET body = CASE WHEN secret THEN NULL ELSE body END,
                     given_up_at = ?2, last_error = 'replaced'
                 WHERE id = ?1 AND sent_at IS NULL AND given_up_at IS NULL",
                params![earlier, ms(now)],
            )?;
        }
        let (attempts, next_try, last_error) = match first_try {
            FirstTry::Claimed { until } => (1, until, None),
            FirstTry::NotTried { reason } => (0, now, Some(reason)),
        };
        tx.execute(
            "INSERT INTO mail_outbox (id, recipient, subject, body, secret, created_at, attempts,
                 next_try_at, expires_at, last_error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id.to_string(),
                mail.recipient,
                mail.subject,
                mail.body,
                mail.secret,
                ms(now),
                attempts,
                ms(next_try),
                mail.expires_at.map(ms),
                last_error,
            ],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO email_codes
                 (application, address, salt, hash, created_at, expires_at, tries_left, used_at, mail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                application.to_string(),
                address,
                code.salt,
                code.hash,
                ms(code.created_at),
                ms(code.expires_at),
                code.tries_left,
                code.used_at.map(ms),
                id.to_string(),
            ],
        )?;
        let before = ms(now - KEEP_DONE_MAILS);
        tx.execute(
            "DELETE FROM mail_outbox WHERE coalesce(sent_at, given_up_at) < ?1",
            params![before],
        )?;
        // A code is worth nothing a day after it expired; its row only says one was sent.
        tx.execute(
            "DELETE FROM email_codes WHERE expires_at < ?1",
            params![ms(now - time::Duration::days(1))],
        )?;
        tx.commit()?;
        Ok(erased)
        })?;
        Ok(id)
    }

    /// Reads the code for (`application`, `address`) and writes back what `check` leaves in it,
    /// in one write transaction: two counters checking at once each spend their own try.
    pub fn check_email_code<T>(
        &mut self,
        application: RecordId,
        address: &str,
        check: impl FnOnce(Option<&mut EmailCode>) -> T,
    ) -> Result<T, StoreError> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let key = params![application.to_string(), address];
        let mut code = tx
            .query_row(
                "SELECT salt, hash, created_at, expires_at, tries_left, used_at, mail
                 FROM email_codes WHERE application = ?1 AND address = ?2",
                key,
                code_row,
            )
            .optional()?;
        let before = code.clone();
        let out = check(code.as_mut());
        if let Some(code) = code.filter(|c| Some(c) != before.as_ref()) {
            tx.execute(
                "UPDATE email_codes SET tries_left = ?3, used_at = ?4
                 WHERE application = ?1 AND address = ?2",
                params![application.to_string(), address, code.tries_left, code.used_at.map(ms)],
            )?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Every mail of the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<OutboxMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM mail_outbox ORDER BY created_at, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], mail_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One mail of the outbox.
    pub fn outbox_mail(&self, id: MailId) -> Result<Option<OutboxMail>, StoreError> {
        let sql = format!("SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE id = ?1");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id.to_string()], mail_row).optional()?)
    }

    /// The waiting mails to deal with at `now`, oldest first: those whose next try is due (all
    /// that wait, with `ignore_backoff`), and those that expired (to give up). A read on an
    /// index of the waiting mails only: the counter app asks every few seconds.
    pub fn outbox_due(
        &self,
        now: OffsetDateTime,
        ignore_backoff: bool,
    ) -> Result<Vec<OutboxMail>, StoreError> {
        let sql = format!(
            "SELECT {MAIL_COLUMNS} FROM mail_outbox
             WHERE sent_at IS NULL AND given_up_at IS NULL
               AND (?2 OR next_try_at <= ?1 OR expires_at <= ?1)
             ORDER BY created_at, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![ms(now), ignore_backoff], mail_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Claims a waiting mail for one try: counts the try and moves its next try to `until`, so
    /// no other process sends it meanwhile. `false` when another process claimed it since it
    /// was read (its attempts changed) or it is no longer waiting.
    pub fn outbox_claim(
        &mut self,
        id: MailId,
        seen_attempts: u32,
        until: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_try_at = ?3
             WHERE id = ?1 AND attempts = ?2 AND sent_at IS NULL AND given_up_at IS NULL",
            params![id.to_string(), seen_attempts, ms(until)],
        )?;
        Ok(changed == 1)
    }

    /// The relay accepted the mail: a secret body is erased now.
    pub fn outbox_sent(&mut self, id: MailId, at: OffsetDateTime) -> Result<(), StoreError> {
        self.erasing(|conn| {
            Ok(conn.execute(
                "UPDATE mail_outbox SET sent_at = ?2, last_error = NULL,
                     body = CASE WHEN secret THEN NULL ELSE body END
                 WHERE id = ?1 AND sent_at IS NULL",
                params![id.to_string(), ms(at)],
            )?)
        })
    }

    /// A try failed, for `category`'s reason; the mail waits for its next try.
    pub fn outbox_failed(&mut self, id: MailId, category: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE mail_outbox SET last_error = ?2 WHERE id = ?1 AND sent_at IS NULL",
            params![id.to_string(), category],
        )?;
        Ok(())
    }

    /// The mail will never be sent (`reason`: a category); a secret body is erased now.
    pub fn outbox_give_up(
        &mut self,
        id: MailId,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.erasing(|conn| {
            Ok(conn.execute(
                "UPDATE mail_outbox SET given_up_at = ?2, last_error = ?3,
                     body = CASE WHEN secret THEN NULL ELSE body END
                 WHERE id = ?1 AND sent_at IS NULL AND given_up_at IS NULL",
                params![id.to_string(), ms(at), reason],
            )?)
        })
    }

    /// Runs `erase` with SQLite's `secure_delete` on, so the bytes of an erased body are zeroed
    /// in the file rather than left in a free page, then empties the write-ahead log, which
    /// still holds the page as first written. The log is best effort: a reader in another
    /// process can hold it until it finishes (the last connection to close empties it anyway).
    fn erasing(
        &mut self,
        erase: impl FnOnce(&mut rusqlite::Connection) -> Result<usize, StoreError>,
    ) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "secure_delete", true)?;
        let erased = erase(&mut self.conn);
        // Off again whatever happened: the rest of the store does not pay for zeroing.
        self.conn.pragma_update(None, "secure_delete", false)?;
        if erased? > 0 {
            match self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0))
            {
                Ok(0) => {}
                Ok(_) => tracing::debug!("store log still in use; emptied when released"),
                Err(e) => tracing::warn!(error = %e, "store log could not be checkpointed"),
            }
        }
        Ok(())
    }
}
