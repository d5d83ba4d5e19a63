//! The counter app's background replication: when a sync is due (`Schedule`, kept in the app's
//! state and moved on by ticks and answers, so `update` decides it without reading a clock),
//! `Effect::Sync` runs [`run`] as a job: `kiosk::sync::net::sync_once` with its own `Store` and
//! `LocalReplica`, on a blocking thread with a runtime of its own, never on the loop. One at a
//! time; every 10 seconds after a good sync, at once after a write of this counter, and after a
//! failure 5 seconds doubling to 5 minutes.

use std::time::Duration as StdDuration;

use time::{Duration, OffsetDateTime};

use super::jobs::JobContext;

/// Between two good syncs.
pub const INTERVAL: Duration = Duration::seconds(10);
/// After the first failure in a row; each further one doubles it, up to [`MAX_RETRY`].
pub const FIRST_RETRY: Duration = Duration::seconds(5);
pub const MAX_RETRY: Duration = Duration::minutes(5);
/// How often a kiosk that has not joined a hub looks again (`kiosk join` may run meanwhile).
pub const JOIN_CHECK: Duration = Duration::minutes(1);
/// How long each step of a session may take before the hub counts as unreachable.
const TIMEOUT: StdDuration = StdDuration::from_secs(30);

/// When the next sync starts after one that ended with `failures` failures in a row (0: it
/// went through): [`INTERVAL`], or 5 s, 10 s, 20 s … up to [`MAX_RETRY`].
pub fn next_delay(failures: u32) -> Duration {
    if failures == 0 {
        return INTERVAL;
    }
    let doublings = (failures - 1).min(16);
    (FIRST_RETRY * (1i32 << doublings)).min(MAX_RETRY)
}

/// When the background sync runs next. Off (`enabled: false`) for the photos screen on its
/// own and in tests that do not ask for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    pub enabled: bool,
    /// A sync job is running: no second one starts.
    pub running: bool,
    /// When the next one starts (the first tick at or after it); `None` while one runs.
    pub due: Option<OffsetDateTime>,
    /// Failures in a row since the last good sync.
    pub failures: u32,
    /// This counter wrote while a sync ran: the next one starts as soon as it ends.
    pub again: bool,
}

impl Schedule {
    /// On from the start: the first tick syncs.
    pub fn starting(now: OffsetDateTime) -> Schedule {
        Schedule { enabled: true, due: Some(now), ..Schedule::default() }
    }

    /// Whether a sync starts at `now`; if so, it is marked running.
    pub fn start(&mut self, now: OffsetDateTime) -> bool {
        let due = self.due.is_some_and(|due| now >= due);
        if !self.enabled || self.running || !due {
            return false;
        }
        self.running = true;
        self.due = None;
        true
    }

    /// This counter wrote: sync soon, unless the hub is failing (then the backoff stands).
    pub fn wrote(&mut self, now: OffsetDateTime) {
        if !self.enabled || self.failures > 0 {
            return;
        }
        if self.running {
            self.again = true;
        } else {
            self.due = Some(self.due.map_or(now, |due| due.min(now)));
        }
    }

    /// A sync ended at `now`: the next one is scheduled.
    pub fn ended(&mut self, now: OffsetDateTime, outcome: &SyncOutcome) {
        self.running = false;
        let delay = match outcome {
            SyncOutcome::NotJoined => {
                self.failures = 0;
                JOIN_CHECK
            }
            SyncOutcome::Synced { .. } => {
                self.failures = 0;
                if std::mem::take(&mut self.again) { Duration::ZERO } else { INTERVAL }
            }
            SyncOutcome::Failed { .. } => {
                self.failures = self.failures.saturating_add(1);
                self.again = false;
                next_delay(self.failures)
            }
        };
        self.due = Some(now + delay);
    }
}

/// How a background sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The data directory has not joined a hub.
    NotJoined,
    /// It went through: `brought` records from other counters were applied, making
    /// `conflicts` new conflicts for a supervisor.
    Synced { brought: usize, conflicts: usize },
    /// It did not: the stable code (`SyncFailure::code`), for the log.
    Failed { code: String },
}

/// What a background sync answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub outcome: SyncOutcome,
    /// This kiosk's events the hub does not hold yet, after it.
    pub waiting: u64,
    /// The last sync that went through, in the office's zone.
    pub last_ok_at: Option<OffsetDateTime>,
    /// How far this kiosk's clock is from the hub's, as the last sync that reached it measured.
    pub clock_skew: Option<Duration>,
}

impl SyncReport {
    fn failed(code: &str) -> SyncReport {
        SyncReport {
            outcome: SyncOutcome::Failed { code: code.to_owned() },
            waiting: 0,
            last_ok_at: None,
            clock_skew: None,
        }
    }
}

/// One background sync, blocking: the job's own store, `sync.sqlite` and runtime. A data
/// directory without `sync.sqlite` has not joined, and the file is not made here.
pub fn run(ctx: &JobContext) -> SyncReport {
    // A panic in the sync (a library's) is this job's failure, answered as one, so the
    // schedule goes on.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sync(ctx)))
        .unwrap_or_else(|_| SyncReport::failed("panic"))
}

fn sync(ctx: &JobContext) -> SyncReport {
    use crate::sync::LocalReplica;
    use crate::sync::net::{self, SyncFailure};
    if !ctx.data_dir.join(crate::sync::FILE_NAME).exists() {
        return SyncReport {
            outcome: SyncOutcome::NotJoined,
            waiting: 0,
            last_ok_at: None,
            clock_skew: None,
        };
    }
    let opened = ctx.open_store().map_err(|e| e.category()).and_then(|store| {
        LocalReplica::open_in(&ctx.data_dir, ctx.offset())
            .map(|local| (store, local))
            .map_err(|e| e.category())
    });
    let (mut store, mut local) = match opened {
        Ok(opened) => opened,
        Err(category) => {
            tracing::warn!(category, "background sync: the store or sync.sqlite did not open");
            return SyncReport::failed("local");
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::warn!(error = %e, "background sync: no runtime");
            return SyncReport::failed("local");
        }
    };
    let outcome = match runtime.block_on(net::sync_once(&mut local, &mut store, TIMEOUT)) {
        Ok(outcome) => {
            tracing::info!(
                pumped = outcome.pumped,
                applied = outcome.applied.applied,
                conflicts = outcome.applied.conflicts,
                "background sync went through"
            );
            SyncOutcome::Synced {
                brought: outcome.applied.applied,
                conflicts: outcome.applied.conflicts,
            }
        }
        Err(SyncFailure::NotJoined) => SyncOutcome::NotJoined,
        Err(failure) => {
            // The code and the failure's own text name no personal data (record ids at most).
            tracing::warn!(code = %failure.code(), "background sync failed: {failure}");
            SyncOutcome::Failed { code: failure.code() }
        }
    };
    let status = match crate::sync_cmd::read_status(&local, &store) {
        Ok(status) => status,
        Err(e) => {
            tracing::warn!(category = e.category(), "background sync: the status did not read");
            return SyncReport { outcome, ..SyncReport::failed("local") };
        }
    };
    let hub = local.hub_status().ok();
    SyncReport {
        outcome,
        waiting: status.waiting,
        last_ok_at: status.last_ok_at.map(|t| t.to_offset(ctx.offset())),
        clock_skew: hub.and_then(|h| h.clock_skew()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job_context(dir: &std::path::Path) -> JobContext {
        JobContext { data_dir: dir.to_path_buf(), config: crate::config::Config::default() }
    }

    #[test]
    fn a_data_directory_that_never_joined_is_not_configured_and_gets_no_sync_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let report = run(&job_context(dir.path()));
        assert_eq!(report.outcome, SyncOutcome::NotJoined);
        assert!(!dir.path().join(crate::sync::FILE_NAME).exists(), "nothing made by looking");
    }

    #[test]
    fn a_sync_that_fails_says_why_and_counts_the_events_waiting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let ctx = job_context(dir.path());
        let mut store = ctx.open_store().expect("store");
        let mut organisation = crate::test_fixtures::trading_company();
        organisation.name_latin = Some("WAITING TRADING".into());
        store.put(None, &organisation).expect("a record to send");
        let mut local =
            crate::sync::LocalReplica::open_in(dir.path(), ctx.offset()).expect("sync.sqlite");
        local
            .set_identity(&crate::sync::Identity {
                office: "MO01".into(),
                kiosk: store.kiosk_id().into(),
                hub_url: "wss://127.0.0.1:9".into(),
                credentials: dir.path().join("no-such-credentials.pem"),
            })
            .expect("joined");
        drop((store, local));
        let report = run(&ctx);
        assert_eq!(report.outcome, SyncOutcome::Failed { code: "credentials".into() });
        assert_eq!(report.waiting, 1, "the record written waits to go up");
        assert_eq!(report.last_ok_at, None);
        assert_eq!(report.clock_skew, None);
    }

    #[test]
    fn the_backoff_doubles_from_five_seconds_to_five_minutes_and_a_good_sync_resets_it() {
        let delays: Vec<i64> = (0..=9).map(|n| next_delay(n).whole_seconds()).collect();
        assert_eq!(delays, [10, 5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(next_delay(u32::MAX), MAX_RETRY, "no overflow however long it fails");
    }
}
