//! Hybrid logical clocks: the timestamps that order every change across kiosks that write offline.
//!
//! A timestamp is (wall milliseconds, counter, node). It never goes backwards on one node, it moves
//! past every timestamp the node has seen from others, and the node id breaks ties, so every pair
//! of events from anywhere has one agreed order. That order is what makes per-field merges
//! deterministic whichever way replication delivers them.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A hybrid logical clock timestamp. Ordered by wall time, then counter, then node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    /// The writing kiosk's id; only letters, digits and `_` so the text form stays parseable.
    pub node: String,
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, &self.node).cmp(&(other.wall_ms, other.counter, &other.node))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The fixed-width text form sorts the same way as the timestamps, so SQLite can order by it.
impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}-{:010}-{}", self.wall_ms, self.counter, self.node)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a hybrid logical clock timestamp: {0:?}")]
pub struct HlcParseError(pub String);

impl FromStr for Hlc {
    type Err = HlcParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || HlcParseError(s.chars().take(64).collect());
        let mut parts = s.splitn(3, '-');
        let wall = parts.next().ok_or_else(err)?;
        let counter = parts.next().ok_or_else(err)?;
        let node = parts.next().ok_or_else(err)?;
        if wall.len() != 15 || counter.len() != 10 || !valid_node(node) {
            return Err(err());
        }
        Ok(Hlc {
            wall_ms: wall.parse().map_err(|_| err())?,
            counter: counter.parse().map_err(|_| err())?,
            node: node.to_owned(),
        })
    }
}

impl Serialize for Hlc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A node id is what ties are broken on; keep it to characters the text form cannot confuse.
pub fn valid_node(node: &str) -> bool {
    !node.is_empty()
        && node.len() <= 64
        && node.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One node's clock. The wall time is passed in, so tests decide what time it is.
#[derive(Debug, Clone)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    /// Starts a clock for `node`, never issuing anything at or before `last_seen`.
    pub fn new(node: &str, last_seen: Option<Hlc>) -> Self {
        let last = match last_seen {
            Some(h) => Hlc { node: node.to_owned(), ..h },
            None => Hlc { wall_ms: 0, counter: 0, node: node.to_owned() },
        };
        Self { last }
    }

    pub fn node(&self) -> &str {
        &self.last.node
    }

    /// A timestamp for a local event at wall time `now_ms`: after everything issued or observed.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        if now_ms > self.last.wall_ms {
            self.last.wall_ms = now_ms;
            self.last.counter = 0;
        } else {
            self.bump_counter();
        }
        self.last.clone()
    }

    /// Takes in a timestamp received from another node, so later local events sort after it.
    pub fn observe(&mut self, remote: &Hlc, now_ms: u64) {
        let wall = now_ms.max(self.last.wall_ms).max(remote.wall_ms);
        if wall == self.last.wall_ms && wall == remote.wall_ms {
            self.last.counter = self.last.counter.max(remote.counter);
            self.bump_counter();
        } else if wall == self.last.wall_ms {
            self.bump_counter();
        } else if wall == remote.wall_ms {
            self.last.wall_ms = wall;
            self.last.counter = remote.counter;
            self.bump_counter();
        } else {
            self.last.wall_ms = wall;
            self.last.counter = 0;
        }
    }

    fn bump_counter(&mut self) {
        // A counter overflow would need 4 billion events in one millisecond; step the wall instead
        // of wrapping, which would break monotonicity.
        match self.last.counter.checked_add(1) {
            Some(c) => self.last.counter = c,
            None => {
                self.last.wall_ms += 1;
                self.last.counter = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_when_the_wall_clock_goes_back() {
        let mut clock = HlcClock::new("k1", None);
        let a = clock.tick(1_000);
        let b = clock.tick(900);
        let c = clock.tick(1_000);
        assert!(a < b && b < c, "{a} {b} {c}");
    }

    #[test]
    fn observe_moves_past_a_remote_timestamp_from_the_future() {
        let mut clock = HlcClock::new("k1", None);
        clock.tick(1_000);
        let remote = Hlc { wall_ms: 5_000, counter: 7, node: "k2".into() };
        clock.observe(&remote, 1_001);
        let next = clock.tick(1_002);
        assert!(next > remote, "{next} should be after {remote}");
    }

    #[test]
    fn text_form_round_trips_and_sorts_like_the_value() {
        let a = Hlc { wall_ms: 99, counter: 10, node: "a".into() };
        let b = Hlc { wall_ms: 100, counter: 2, node: "a".into() };
        assert_eq!(a.to_string().parse::<Hlc>(), Ok(a.clone()));
        assert!(a.to_string() < b.to_string());
        assert!(a < b);
    }

    #[test]
    fn malformed_text_is_refused() {
        for bad in ["", "1-2-3", "000000000000099-0000000010-", "x00000000000099-0000000010-a"] {
            assert!(bad.parse::<Hlc>().is_err(), "{bad}");
        }
    }

    #[test]
    fn restart_never_reissues_a_seen_timestamp() {
        let seen = Hlc { wall_ms: 2_000, counter: 3, node: "k1".into() };
        let mut clock = HlcClock::new("k1", Some(seen.clone()));
        assert!(clock.tick(1_500) > seen);
    }
}
