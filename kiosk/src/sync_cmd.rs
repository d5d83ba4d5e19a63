//! `kiosk join`, `kiosk sync --once|--status` and `kiosk audit verify`: replication with the
//! central registry's hub from the command line (the counter app syncs in the background with
//! the same `sync::net::sync_once`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ::sync::journal::Entry;
use ::sync::pki::Credentials;
use ::sync::signing::{self, ChainHead};
use i18n::FluentValue;
use time::OffsetDateTime;

use crate::output::{self, errln, outln};
use crate::sync::net::{self, JoinError, SyncFailure};
use crate::sync::{LocalReplica, SyncError};
use crate::{Context, KioskError};

/// How long a command waits for each step of a session before it calls the hub unreachable.
const TIMEOUT: Duration = Duration::from_secs(30);

fn local(ctx: &Context) -> Result<LocalReplica, KioskError> {
    crate::data_dir::create(&ctx.data_dir)
        .map_err(|e| KioskError::DataDir { dir: ctx.data_dir.clone(), source: e })?;
    let offset = ctx.config.office_offset().unwrap_or(time::UtcOffset::UTC);
    LocalReplica::open_in(&ctx.data_dir, offset).map_err(|e| failed(ctx, &e))
}

fn failed(ctx: &Context, e: &SyncError) -> KioskError {
    tracing::warn!(category = e.category(), "sync failed");
    KioskError::Failed(ctx.t_with("sync-local-failed", &[("detail", e.to_string().into())]))
}

pub fn join(ctx: &Context, hub: &str, credentials: &Path) -> Result<ExitCode, KioskError> {
    let text = std::fs::read_to_string(credentials).map_err(|e| {
        KioskError::Refused(ctx.t_with(
            "sync-join-credentials",
            &[("path", credentials.display().to_string().into()), ("detail", e.to_string().into())],
        ))
    })?;
    let creds = Credentials::from_pem_bundle(&text).map_err(|e| {
        KioskError::Refused(ctx.t_with(
            "sync-join-credentials",
            &[("path", credentials.display().to_string().into()), ("detail", e.to_string().into())],
        ))
    })?;
    if let Some(configured) = &ctx.config.kiosk_id
        && configured != &creds.kiosk
    {
        return Err(KioskError::Refused(ctx.t_with(
            "sync-join-config-kiosk-id",
            &[("configured", configured.clone().into()), ("kiosk", creds.kiosk.clone().into())],
        )));
    }
    let mut store = ctx.open_store()?;
    let mut local = local(ctx)?;
    let identity =
        net::join(&ctx.data_dir, &mut local, &mut store, hub, &creds).map_err(|e| match e {
            JoinError::BadUrl(url) => {
                KioskError::Refused(ctx.t_with("sync-join-bad-url", &[("url", url.into())]))
            }
            JoinError::AlreadyJoined { office, kiosk } => KioskError::Refused(ctx.t_with(
                "sync-join-already",
                &[("office", office.into()), ("kiosk", kiosk.into())],
            )),
            JoinError::StoreInUse { current, events } => KioskError::Refused(ctx.t_with(
                "sync-join-store-in-use",
                &[("kiosk", current.into()), ("count", FluentValue::from(events))],
            )),
            JoinError::Credentials(detail) => KioskError::Failed(ctx.t_with(
                "sync-join-credentials",
                &[("path", ctx.data_dir_shown().into()), ("detail", detail.into())],
            )),
            JoinError::Local(e) => failed(ctx, &e),
        })?;
    tracing::info!(office = %identity.office, kiosk = %identity.kiosk, "joined the hub");
    outln!(
        "{}",
        ctx.t_with(
            "sync-joined",
            &[
                ("office", identity.office.into()),
                ("kiosk", identity.kiosk.into()),
                ("hub", identity.hub_url.into())
            ]
        )
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The sentence for a failed sync, in the clerk's language.
pub fn failure_text(ctx: &Context, failure: &SyncFailure) -> String {
    match failure {
        SyncFailure::NotJoined => ctx.t("sync-not-joined"),
        SyncFailure::Unreachable { why } => {
            ctx.t_with("sync-unreachable", &[("detail", why.clone().into())])
        }
        SyncFailure::Untrusted { why } => {
            ctx.t_with("sync-untrusted", &[("detail", why.clone().into())])
        }
        SyncFailure::Refused { code, detail } => {
            let id = format!("sync-refused-{code}");
            let reason = if i18n::has_message(ctx.lang, &id) {
                ctx.t(&id)
            } else {
                ctx.t("sync-refused-other")
            };
            ctx.t_with(
                "sync-refused",
                &[
                    ("reason", reason.into()),
                    ("code", code.clone().into()),
                    ("detail", detail.clone().into()),
                ],
            )
        }
        SyncFailure::RefusedHub { code, detail } => ctx.t_with(
            "sync-refused-hub",
            &[("code", code.clone().into()), ("detail", detail.clone().into())],
        ),
        SyncFailure::Credentials { path, why } => ctx.t_with(
            "sync-join-credentials",
            &[("path", path.clone().into()), ("detail", why.clone().into())],
        ),
        SyncFailure::Local(e) => {
            ctx.t_with("sync-local-failed", &[("detail", e.to_string().into())])
        }
    }
}

pub fn once(ctx: &Context) -> Result<ExitCode, KioskError> {
    let mut store = ctx.open_store()?;
    let mut local = local(ctx)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match runtime.block_on(net::sync_once(&mut local, &mut store, TIMEOUT)) {
        Ok(outcome) => {
            tracing::info!(
                pumped = outcome.pumped,
                applied = outcome.applied.applied,
                rounds = outcome.report.rounds,
                "synced with the hub"
            );
            outln!(
                "{}",
                ctx.t_with(
                    "sync-done",
                    &[
                        ("up", FluentValue::from(outcome.pumped)),
                        ("applied", FluentValue::from(outcome.applied.applied)),
                        ("sent", FluentValue::from(outcome.report.bytes_sent)),
                        ("received", FluentValue::from(outcome.report.bytes_received)),
                    ]
                )
            )?;
            if outcome.applied.unknown > 0 {
                outln!(
                    "{}",
                    ctx.t_with(
                        "sync-unknown-kept",
                        &[("count", FluentValue::from(outcome.applied.unknown))]
                    )
                )?;
            }
            if !outcome.applied.refused.is_empty() {
                errln!(
                    "{}",
                    ctx.t_with(
                        "sync-entries-refused",
                        &[("count", FluentValue::from(outcome.applied.refused.len()))]
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(failure) => {
            tracing::warn!(code = %failure.code(), "sync failed: {failure}");
            Err(match failure {
                SyncFailure::Local(_) | SyncFailure::Credentials { .. } => {
                    KioskError::Failed(failure_text(ctx, &failure))
                }
                _ => KioskError::Refused(failure_text(ctx, &failure)),
            })
        }
    }
}

/// Where replication stands, as `kiosk sync --status` and the status bar say it.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct Status {
    pub joined: bool,
    pub office: Option<String>,
    pub kiosk: Option<String>,
    pub hub: Option<String>,
    /// Whether the last sync ended well (`None`: never tried).
    pub online: Option<bool>,
    /// This kiosk's events the hub does not hold yet.
    pub waiting: u64,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sync_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_ok_at: Option<OffsetDateTime>,
    /// The code of the last failure, when the last sync failed.
    pub last_failure: Option<String>,
    pub hub_time_ms: Option<u64>,
    /// How far the hub's clock was ahead of this kiosk's at the last session that reached it
    /// (ms; negative: behind).
    pub hub_clock_offset_ms: Option<i64>,
    /// Conflicts waiting for a supervisor (`sync::conflicts`), each checked again now.
    pub conflicts: u64,
}

fn at(ms: Option<u64>) -> Option<OffsetDateTime> {
    ms.and_then(|ms| OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok())
}

/// The replication status of the data directory's store and `sync.sqlite`.
pub fn read_status(local: &LocalReplica, store: &store::Store) -> Result<Status, SyncError> {
    let identity = local.identity()?;
    let hub = local.hub_status()?;
    let (_, head) = local.pump_position()?;
    let waiting = if identity.is_some() {
        local.unjournaled(store)? as u64 + head.seq.saturating_sub(hub.acked_seq.unwrap_or(0))
    } else {
        0
    };
    Ok(Status {
        joined: identity.is_some(),
        office: identity.as_ref().map(|i| i.office.clone()),
        kiosk: identity.as_ref().map(|i| i.kiosk.clone()),
        hub: identity.as_ref().map(|i| i.hub_url.clone()),
        online: hub.last_ok,
        waiting,
        last_sync_at: at(hub.last_at_ms),
        last_ok_at: at(hub.last_ok_at_ms),
        last_failure: if hub.last_ok == Some(false) { hub.last_detail.clone() } else { None },
        hub_time_ms: hub.hub_time_ms,
        hub_clock_offset_ms: hub.hub_offset_ms,
        conflicts: local.conflicts(store)?.len() as u64,
    })
}

pub fn status(ctx: &Context, json: bool) -> Result<ExitCode, KioskError> {
    let store = ctx.open_store()?;
    let local = local(ctx)?;
    let status = read_status(&local, &store).map_err(|e| failed(ctx, &e))?;
    if json {
        output::json_line(&status)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (Some(office), Some(kiosk), Some(hub)) = (&status.office, &status.kiosk, &status.hub)
    else {
        outln!("{}", ctx.t("sync-not-joined"))?;
        return Ok(ExitCode::SUCCESS);
    };
    let when = |t: Option<OffsetDateTime>| {
        let offset = ctx.config.office_offset().unwrap_or(time::UtcOffset::UTC);
        t.map(|t| {
            let t = t.to_offset(offset);
            format!("{} {:02}:{:02}:{:02}", t.date(), t.hour(), t.minute(), t.second())
        })
        .unwrap_or_else(|| ctx.t("sync-status-never"))
    };
    outln!(
        "{}",
        ctx.t_with(
            "sync-status-identity",
            &[
                ("office", office.clone().into()),
                ("kiosk", kiosk.clone().into()),
                ("hub", hub.clone().into())
            ]
        )
    )?;
    let state = match status.online {
        Some(true) => ctx.t("sync-status-online"),
        Some(false) => ctx.t("sync-status-offline"),
        None => ctx.t("sync-status-never-synced"),
    };
    outln!("{state}")?;
    outln!(
        "{}",
        ctx.t_with("sync-status-waiting", &[("count", FluentValue::from(status.waiting))])
    )?;
    outln!("{}", ctx.t_with("sync-status-last-ok", &[("when", when(status.last_ok_at).into())]))?;
    if status.conflicts > 0 {
        outln!(
            "{}",
            ctx.t_with("sync-status-conflicts", &[("count", FluentValue::from(status.conflicts))])
        )?;
    }
    if let Some(code) = &status.last_failure {
        let failure = SyncFailure::Refused { code: code.clone(), detail: String::new() };
        let text = match code.as_str() {
            "unreachable" => ctx.t_with("sync-unreachable", &[("detail", "".into())]),
            "certificate" => ctx.t_with("sync-untrusted", &[("detail", "".into())]),
            _ => failure_text(ctx, &failure),
        };
        outln!(
            "{}",
            ctx.t_with(
                "sync-status-last-failure",
                &[("when", when(status.last_sync_at).into()), ("why", text.into())]
            )
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `kiosk sync --check-conflicts`: the full check for conflicts a supervisor must decide (every
/// ID number and token serial held twice, from the store's indexes), each found kept for the
/// supervisors' queue and listed with its two records; exits 3 when there are any.
pub fn check_conflicts(ctx: &Context) -> Result<ExitCode, KioskError> {
    use crate::sync::conflicts::ConflictKind;
    let store = ctx.open_store()?;
    let local = local(ctx)?;
    let found = local.check_all_conflicts(&store).map_err(|e| failed(ctx, &e))?;
    let rows = crate::counter::conflict_rows(&store, &found)?;
    if rows.is_empty() {
        outln!("{}", ctx.t("sync-conflicts-none"))?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{}", ctx.t_with("sync-conflicts-found", &[("count", FluentValue::from(rows.len()))]))?;
    for row in &rows {
        let document = row
            .document
            .map(|kind| ctx.t(crate::ui::screens::subscriber::id_kind_id(kind)))
            .unwrap_or_default();
        let id = match row.kind {
            ConflictKind::IdNumber => "sync-conflict-id-number",
            ConflictKind::TokenSerial => "sync-conflict-token-serial",
        };
        outln!(
            "{}",
            ctx.t_with(
                id,
                &[
                    ("document", document.into()),
                    ("shared", crate::ui::widgets::safe(&row.shared).into_owned().into()),
                    ("first", row.sides[0].record.to_string().into()),
                    ("second", row.sides[1].record.to_string().into()),
                ]
            )
        )?;
    }
    Ok(ExitCode::from(3))
}

/// The first broken link of a chain in the journals, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub kiosk: String,
    pub seq: u64,
    pub event_id: String,
    pub why: String,
}

/// Checks every kiosk's chain in this kiosk's journals: each entry the next link of the one
/// before it (its number and the hash it names), and this kiosk's own entries signed by its
/// device key and with no link missing. Other kiosks' signatures are the hub's to check (it
/// holds their certificates); a link of theirs not received yet is not a break.
pub fn verify_chains(
    local: &mut LocalReplica,
    own_key: Option<&[u8]>,
) -> Result<Result<u64, Broken>, SyncError> {
    let identity = local.identity()?;
    let mut chains: BTreeMap<String, Vec<(String, Entry)>> = BTreeMap::new();
    for name in local.stored_docs()? {
        if name.journal_period().is_none() {
            continue;
        }
        let office = name.office().to_owned();
        for entry in local.journal(&name)?.entries()?.entries {
            chains.entry(entry.kiosk.clone()).or_default().push((office.clone(), entry));
        }
    }
    let mut checked = 0;
    for (kiosk, mut entries) in chains {
        entries.sort_by_key(|(_, e)| e.seq);
        let own = identity.as_ref().is_some_and(|i| i.kiosk == kiosk);
        let mut head = ChainHead::default();
        for (office, entry) in entries {
            let broken = |why: String| Broken {
                kiosk: kiosk.clone(),
                seq: entry.seq,
                event_id: entry.event_id.clone(),
                why,
            };
            if own
                && let Some(key) = own_key
                && let Err(e) = signing::verify(&office, &entry, key)
            {
                return Ok(Err(broken(e.to_string())));
            }
            if !own && entry.seq > head.seq + 1 {
                // An earlier link not received yet: check from this one on.
                head = ChainHead { seq: entry.seq - 1, link: entry.prev.clone() };
            }
            match signing::check_next(&head, &office, &entry) {
                Ok(next) => head = next,
                Err(e) => return Ok(Err(broken(e.to_string()))),
            }
            checked += 1;
        }
    }
    Ok(Ok(checked))
}

pub fn audit_verify(ctx: &Context) -> Result<ExitCode, KioskError> {
    let mut local = local(ctx)?;
    let key = match local.identity().map_err(|e| failed(ctx, &e))? {
        Some(identity) => {
            let creds = Credentials::read(&identity.credentials).map_err(|e| {
                KioskError::Failed(ctx.t_with(
                    "sync-join-credentials",
                    &[
                        ("path", identity.credentials.display().to_string().into()),
                        ("detail", e.to_string().into()),
                    ],
                ))
            })?;
            Some(creds.device_key().public_key().to_vec())
        }
        None => None,
    };
    match verify_chains(&mut local, key.as_deref()).map_err(|e| failed(ctx, &e))? {
        Ok(count) => {
            outln!("{}", ctx.t_with("audit-chains-good", &[("count", FluentValue::from(count))]))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            outln!(
                "{}",
                ctx.t_with(
                    "audit-chain-broken",
                    &[
                        ("kiosk", broken.kiosk.into()),
                        ("seq", FluentValue::from(broken.seq)),
                        ("event", broken.event_id.into()),
                        ("why", broken.why.into())
                    ]
                )
            )?;
            Ok(ExitCode::from(3))
        }
    }
}
