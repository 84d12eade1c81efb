//! Live data: new and corrected contacts merged by id into a rolling window, and the
//! [`Dataset`] / [`Engine`] rebuilt from it without re-reading any source.
//!
//! A live feed (polling or server-sent events) delivers each contact when it arrives (still in
//! progress: not answered, not closed) and again when it is answered, abandoned or closed. Every
//! delivery goes through [`LiveSet::upsert`]: a new id is inserted, a known id is replaced, so a
//! contact delivered twice (after a reconnect, or in overlapping polls) is still counted once.
//! The [`Window`] drops contacts older than `max_age_s` (relative to the feed's clock) and the
//! oldest ones beyond `max_rows`, so memory stays bounded in long sessions.
//!
//! The wire format is shared by the replay server and the dashboard: each contact is a canonical
//! JSON object (as [`crate::io::write::contact_json`] writes it), validated by the same
//! [`crate::io::contact_from_fields`] as every file load; a poll answers a [`Batch`].

use crate::config::{Config, ConfigError};
use crate::engine::Engine;
use crate::io::{contact_from_fields, RowError, CONTACT_FIELDS};
use crate::model::{ContactRecord, Contacts, Dataset};
use crate::report::Reason;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Contacts whose arrival is more than this many seconds after the feed's "now" are refused as
/// rows from the future (clock skew smaller than this is tolerated).
pub const FUTURE_TOLERANCE_S: i64 = 300;

/// Bounds of the rolling window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Contacts that arrived more than this many seconds before "now" are dropped.
    pub max_age_s: Option<i64>,
    /// At most this many contacts are kept (the oldest arrivals go first).
    pub max_rows: Option<usize>,
}

impl Default for Window {
    /// Seven days, at most 200 000 contacts.
    fn default() -> Self {
        Window {
            max_age_s: Some(7 * 86_400),
            max_rows: Some(200_000),
        }
    }
}

/// What [`LiveSet::upsert`] did with one contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upsert {
    /// A new id: stored.
    Inserted,
    /// A known id with different content: replaced (a correction or a later state).
    Updated,
    /// A known id with the same content (a redelivery): nothing changed.
    Unchanged,
    /// Arrived after "now" plus [`FUTURE_TOLERANCE_S`]: refused.
    Future,
    /// Older than the window: refused.
    Expired,
}

/// Counters of a live session, for the status line and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LiveStats {
    /// New contacts stored.
    pub inserted: u64,
    /// Contacts replaced by a newer state.
    pub updated: u64,
    /// Redeliveries that changed nothing.
    pub unchanged: u64,
    /// Contacts refused because they arrive in the future.
    pub future: u64,
    /// Contacts refused because they are older than the window.
    pub expired: u64,
    /// Contacts dropped from the window as it rolled.
    pub evicted: u64,
    /// Messages that were not a valid contact.
    pub rejected: u64,
}

/// The live dataset: contacts by id in a rolling window, plus the agents and daily tables of the
/// snapshot it started from (kept as they were).
#[derive(Debug, Clone, Default)]
pub struct LiveSet {
    by_id: HashMap<String, ContactRecord>,
    order: BTreeSet<(i64, String)>,
    base: Dataset,
    window: Window,
    newest: Option<i64>,
    stats: LiveStats,
    version: u64,
}

impl LiveSet {
    /// An empty set with `window`.
    pub fn new(window: Window) -> Self {
        LiveSet {
            window,
            ..Default::default()
        }
    }

    /// A set holding every contact of `ds` (and its agents and daily tables), within `window`.
    pub fn from_dataset(ds: &Dataset, window: Window) -> Self {
        let mut s = LiveSet::new(window);
        s.base.agents = ds.agents.clone();
        s.base.daily = ds.daily.clone();
        for i in 0..ds.contacts.len() {
            if let Some(r) = ds.contacts.record(i) {
                s.upsert(r, None);
            }
        }
        s.stats = LiveStats::default();
        let now = s.newest;
        s.prune(now);
        s
    }

    /// The window.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Number of contacts held.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when no contact is held.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The counters so far.
    pub fn stats(&self) -> LiveStats {
        self.stats
    }

    /// Increases on every change of the contacts held: rebuild when it moved.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The latest arrival seen.
    pub fn newest(&self) -> Option<i64> {
        self.newest
    }

    /// The contact with `id`.
    pub fn get(&self, id: &str) -> Option<&ContactRecord> {
        self.by_id.get(id)
    }

    /// Counts a message that was not a valid contact.
    pub fn count_rejected(&mut self) {
        self.stats.rejected += 1;
    }

    /// Inserts `rec`, or replaces the contact with the same id. `now` is the feed's clock (Unix
    /// seconds), used to refuse rows from the future and rows older than the window; `None`
    /// checks neither. Call [`LiveSet::prune`] after a batch to roll the window.
    pub fn upsert(&mut self, rec: ContactRecord, now: Option<i64>) -> Upsert {
        if let Some(now) = now {
            if rec.arrived_at > now + FUTURE_TOLERANCE_S {
                self.stats.future += 1;
                return Upsert::Future;
            }
            if self
                .window
                .max_age_s
                .is_some_and(|a| rec.arrived_at < now - a)
            {
                self.stats.expired += 1;
                return Upsert::Expired;
            }
        }
        let outcome = match self.by_id.get_mut(&rec.id) {
            Some(old) if *old == rec => Upsert::Unchanged,
            Some(old) => {
                if old.arrived_at != rec.arrived_at {
                    self.order.remove(&(old.arrived_at, old.id.clone()));
                    self.order.insert((rec.arrived_at, rec.id.clone()));
                }
                *old = rec;
                Upsert::Updated
            }
            None => {
                self.order.insert((rec.arrived_at, rec.id.clone()));
                self.newest = Some(
                    self.newest
                        .map_or(rec.arrived_at, |n| n.max(rec.arrived_at)),
                );
                self.by_id.insert(rec.id.clone(), rec);
                Upsert::Inserted
            }
        };
        match outcome {
            Upsert::Inserted => self.stats.inserted += 1,
            Upsert::Updated => self.stats.updated += 1,
            _ => self.stats.unchanged += 1,
        }
        if outcome != Upsert::Unchanged {
            self.version += 1;
        }
        outcome
    }

    /// Rolls the window: drops contacts older than `now − max_age_s` (when `now` is given) and
    /// the oldest beyond `max_rows`. Returns how many were dropped.
    pub fn prune(&mut self, now: Option<i64>) -> usize {
        let mut dropped = 0;
        let cutoff = match (now, self.window.max_age_s) {
            (Some(n), Some(a)) => Some(n - a),
            _ => None,
        };
        let max_rows = self.window.max_rows.unwrap_or(usize::MAX);
        while let Some((t, _)) = self.order.first() {
            let too_old = cutoff.is_some_and(|c| *t < c);
            if !too_old && self.order.len() <= max_rows {
                break;
            }
            if let Some((_, id)) = self.order.pop_first() {
                self.by_id.remove(&id);
                dropped += 1;
            }
        }
        if dropped > 0 {
            self.stats.evicted += dropped as u64;
            self.version += 1;
        }
        dropped
    }

    /// The contacts in arrival order, as a finished [`Dataset`] with the snapshot's agents and
    /// daily tables. Its load report counts the contacts held.
    pub fn dataset(&self) -> Dataset {
        let mut contacts = Contacts::new();
        for (_, id) in &self.order {
            if let Some(r) = self.by_id.get(id) {
                contacts.push(r);
            }
        }
        let mut ds = Dataset {
            contacts,
            agents: self.base.agents.clone(),
            daily: self.base.daily.clone(),
            ..Default::default()
        };
        let n = (ds.contacts.len() + ds.agents.rows.len() + ds.daily.rows.len()) as u64;
        ds.report.rows_read = n;
        ds.report.rows_loaded = n;
        ds.finish();
        ds
    }

    /// An engine over [`LiveSet::dataset`] under `cfg`.
    pub fn engine(&self, cfg: Config) -> Result<Engine, ConfigError> {
        Engine::new(self.dataset(), cfg)
    }

    /// An estimate of the heap bytes held (capacity of the index and the strings), for tests
    /// that check memory stays flat once the window is full.
    pub fn heap_bytes(&self) -> usize {
        let rec = std::mem::size_of::<ContactRecord>() + std::mem::size_of::<String>() + 8;
        let strings: usize = self
            .by_id
            .values()
            .map(|r| {
                2 * r.id.capacity()
                    + [
                        &r.case_id,
                        &r.customer_id,
                        &r.agent_id,
                        &r.team,
                        &r.topic,
                        &r.segment,
                        &r.region,
                        &r.priority,
                    ]
                    .iter()
                    .map(|s| s.as_ref().map_or(0, String::capacity))
                    .sum::<usize>()
                    + r.extra
                        .iter()
                        .map(|(k, v)| k.capacity() + v.capacity())
                        .sum::<usize>()
            })
            .sum();
        self.by_id.capacity() * rec + self.order.len() * 48 + strings
    }
}

/// The text of a JSON value as a reader would see it in a file cell (`None` for null).
fn cell(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// Reads one canonical JSON contact (field names as in the catalog; other keys become
/// dimensions), validated exactly like a row of a file.
pub fn contact_from_json(v: &Value, tz: &crate::zone::Zone) -> Result<ContactRecord, RowError> {
    let Value::Object(m) = v else {
        return Err(RowError {
            field: String::new(),
            value: v.to_string().chars().take(200).collect(),
            reason: Reason::Malformed,
        });
    };
    let cells: HashMap<&str, String> = m
        .iter()
        .filter_map(|(k, v)| cell(v).map(|c| (k.as_str(), c)))
        .collect();
    let extras = cells
        .iter()
        .filter(|(k, _)| !CONTACT_FIELDS.contains(k))
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect::<Vec<_>>();
    let mut extras = extras;
    crate::sorting::sort(&mut extras);
    let says_abandoned = m.contains_key("abandoned");
    contact_from_fields(|f| cells.get(f).map(String::as_str), extras, tz).map(|(mut r, _)| {
        // A record without the key does not say, like one whose value is "unknown" (what
        // `contact_json` writes then): the contact is outside the abandonment rate.
        r.abandoned_unknown |= !says_abandoned;
        r
    })
}

/// One poll answer: the contacts that changed after the cursor the client sent, the new cursor
/// to send next time, and the feed's clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// Send this as `since` on the next poll.
    pub cursor: u64,
    /// The feed's "now", Unix seconds (the replay's simulated clock).
    pub now: i64,
    /// Canonical JSON contacts, oldest change first.
    pub contacts: Vec<Value>,
}

/// The clock message of a stream: the feed's "now" and the sequence number reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The feed's "now", Unix seconds.
    pub now: i64,
    /// Changes up to this number have happened by `now` (on a stream they follow this message).
    pub cursor: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::write::contact_json;
    use crate::model::Channel;
    use crate::query::{Dim, Query};

    const T0: i64 = 1_790_000_000;

    fn rec(id: usize, t: i64) -> ContactRecord {
        ContactRecord {
            id: format!("C{id}"),
            channel: Some([Channel::Voice, Channel::Chat, Channel::Email][id % 3]),
            arrived_at: t,
            team: Some(format!("T{}", id % 4)),
            ..Default::default()
        }
    }

    fn done(mut r: ContactRecord) -> ContactRecord {
        r.first_response_s = Some(20.0);
        r.handle_s = Some(100.0);
        r.closed_at = Some(r.arrived_at + 120);
        r.resolved = true;
        r.csat = Some(4);
        r
    }

    fn kpi(e: &Engine, id: &str, now: Option<i64>) -> Option<f64> {
        let q = Query {
            now,
            ..Default::default()
        };
        e.report(&q).unwrap()[0].get(id)
    }

    #[test]
    fn merge_by_id_counts_each_contact_once_and_queues_rise_and_fall() {
        let mut s = LiveSet::new(Window::default());
        for i in 0..10 {
            assert_eq!(
                s.upsert(rec(i, T0 + i as i64), Some(T0 + 10)),
                Upsert::Inserted
            );
        }
        let cfg = Config::default();
        let e = s.engine(cfg.clone()).unwrap();
        assert_eq!(kpi(&e, "contacts", None), Some(10.0));
        assert_eq!(kpi(&e, "queue_length", Some(T0 + 10)), Some(10.0));
        // Redelivery after a reconnect changes nothing.
        for i in 0..10 {
            assert_eq!(
                s.upsert(rec(i, T0 + i as i64), Some(T0 + 10)),
                Upsert::Unchanged
            );
        }
        // Answered and closed: the queue falls, the contact count does not grow.
        for i in 0..6 {
            assert_eq!(
                s.upsert(done(rec(i, T0 + i as i64)), Some(T0 + 200)),
                Upsert::Updated
            );
        }
        let e = s.engine(cfg).unwrap();
        assert_eq!(kpi(&e, "contacts", None), Some(10.0));
        assert_eq!(kpi(&e, "queue_length", Some(T0 + 200)), Some(4.0));
        assert_eq!(kpi(&e, "csat", None), Some(4.0));
        let st = s.stats();
        assert_eq!((st.inserted, st.updated, st.unchanged), (10, 6, 10));
    }

    #[test]
    fn future_and_expired_rows_are_refused_and_the_window_rolls() {
        let w = Window {
            max_age_s: Some(3600),
            max_rows: Some(5),
        };
        let mut s = LiveSet::new(w);
        assert_eq!(s.upsert(rec(1, T0 + 10_000), Some(T0)), Upsert::Future);
        assert_eq!(s.upsert(rec(2, T0 - 7200), Some(T0)), Upsert::Expired);
        assert_eq!(
            s.upsert(rec(3, T0 + 60), Some(T0)),
            Upsert::Inserted,
            "within tolerance"
        );
        for i in 10..20 {
            s.upsert(rec(i, T0 - 100 + i as i64), Some(T0));
        }
        s.prune(Some(T0));
        assert_eq!(s.len(), 5);
        assert!(s.get("C3").is_some(), "the newest stay");
        assert!(s.get("C10").is_none(), "the oldest go");
        // Time passes: everything is older than an hour.
        s.prune(Some(T0 + 10_000));
        assert!(s.is_empty());
        let st = s.stats();
        assert_eq!((st.future, st.expired, st.evicted), (1, 1, 11));
    }

    #[test]
    fn a_correction_that_moves_the_arrival_keeps_the_order_index_consistent() {
        let mut s = LiveSet::new(Window {
            max_age_s: None,
            max_rows: Some(2),
        });
        s.upsert(rec(1, T0), None);
        s.upsert(rec(2, T0 + 10), None);
        s.upsert(rec(1, T0 + 20), None);
        s.upsert(rec(3, T0 + 30), None);
        s.prune(None);
        assert!(s.get("C2").is_none() && s.get("C1").is_some() && s.get("C3").is_some());
        let ds = s.dataset();
        assert_eq!(ds.contacts.arrived, vec![T0 + 20, T0 + 30]);
    }

    #[test]
    fn canonical_json_round_trips_and_bad_messages_are_rejected() {
        let tz = crate::zone::Zone::UTC;
        let mut r = done(rec(7, T0));
        r.extra.push(("shop".into(), "north".into()));
        r.topic = Some("<img src=x onerror=alert(1)>".into());
        let v = contact_json(&r, &tz);
        let back = contact_from_json(&v, &tz).unwrap();
        assert_eq!(back, r);
        let e = contact_from_json(&serde_json::json!([1, 2]), &tz).unwrap_err();
        assert_eq!(e.reason, Reason::Malformed);
        let e = contact_from_json(&serde_json::json!({"id": "x", "channel": "voice"}), &tz)
            .unwrap_err();
        assert_eq!(e.field, "arrived_at");
        // Numbers and booleans as JSON types read like their text.
        let v = serde_json::json!({"id": "n", "channel": "chat", "arrived_at": "2026-09-01T10:00:00Z",
            "first_response_s": 12, "abandoned": false, "csat": 5});
        let r = contact_from_json(&v, &tz).unwrap();
        assert_eq!((r.first_response_s, r.csat), (Some(12.0), Some(5)));
        assert!(!r.abandoned_unknown);
        // A record without the key does not say whether it was abandoned; one that is unknown
        // is written "unknown" and reads back unknown.
        let v =
            serde_json::json!({"id": "u", "channel": "chat", "arrived_at": "2026-09-01T10:00:00Z"});
        assert!(contact_from_json(&v, &tz).unwrap().abandoned_unknown);
        let mut u = done(rec(8, T0));
        u.abandoned_unknown = true;
        let v = contact_json(&u, &tz);
        assert_eq!(v["abandoned"], "unknown");
        assert_eq!(contact_from_json(&v, &tz).unwrap(), u);
        // Any case, as the file readers take it; anything else that is not yes/no is refused.
        let mut v = v;
        v["abandoned"] = "Unknown".into();
        assert!(contact_from_json(&v, &tz).unwrap().abandoned_unknown);
        v["abandoned"] = "perhaps".into();
        assert_eq!(contact_from_json(&v, &tz).unwrap_err().field, "abandoned");
    }

    #[test]
    fn from_dataset_keeps_every_contact_and_rebuilds_the_same_kpis() {
        let mut s = LiveSet::new(Window {
            max_age_s: None,
            max_rows: None,
        });
        for i in 0..50 {
            let r = rec(i, T0 + 37 * i as i64);
            s.upsert(if i % 2 == 0 { done(r) } else { r }, None);
        }
        let ds = s.dataset();
        let again = LiveSet::from_dataset(&ds, s.window());
        assert_eq!(again.len(), 50);
        let (a, b) = (
            s.engine(Config::default()).unwrap(),
            again.engine(Config::default()).unwrap(),
        );
        let q = Query::default().group_by(Dim::parse("channel"));
        assert_eq!(a.report(&q).unwrap(), b.report(&q).unwrap());
    }

    /// Soak: a million contacts (each delivered on arrival and again when done, with every
    /// tenth delivered twice as after a reconnect) through a 10 000-row window. Once the window
    /// is full, the rows held and the heap estimate stay flat.
    #[test]
    fn soak_a_million_contacts_keep_memory_flat() {
        let started = std::time::Instant::now();
        let mut s = LiveSet::new(Window {
            max_age_s: Some(86_400),
            max_rows: Some(10_000),
        });
        let mut samples = Vec::new();
        let n = 1_000_000usize;
        for i in 0..n {
            let t = T0 + (i as i64) / 4;
            s.upsert(rec(i, t), Some(t));
            if i >= 20 {
                let j = i - 20;
                let d = done(rec(j, T0 + (j as i64) / 4));
                s.upsert(d.clone(), Some(t));
                if j % 10 == 0 {
                    assert_eq!(s.upsert(d, Some(t)), Upsert::Unchanged);
                }
            }
            if i % 1000 == 999 {
                s.prune(Some(t));
            }
            if i % 100_000 == 99_999 {
                samples.push((s.len(), s.heap_bytes()));
                let e = s.engine(Config::default()).unwrap();
                assert_eq!(kpi(&e, "contacts", None), Some(s.len() as f64));
            }
        }
        eprintln!(
            "soak: 1M contacts in {:?}; (rows, heap bytes) per 100k: {samples:?}",
            started.elapsed()
        );
        assert!(samples.iter().all(|&(n, _)| n <= 10_000), "{samples:?}");
        let (_, first) = samples[1];
        let max = samples.iter().skip(1).map(|&(_, b)| b).max().unwrap();
        assert!(
            max as f64 <= first as f64 * 1.10,
            "heap grew once the window was full: {samples:?}"
        );
        let st = s.stats();
        assert_eq!(st.inserted, n as u64);
        assert!(
            started.elapsed().as_secs() < 120,
            "soak took {:?}",
            started.elapsed()
        );
    }
}
