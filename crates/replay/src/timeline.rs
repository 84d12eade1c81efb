//! The replay timeline: every contact of a dataset becomes up to three changes — it arrives (in
//! progress: not answered, not closed), it is answered, and it ends (closed or abandoned) — in
//! time order. The changes are numbered 1, 2, 3… (the stream's event ids and the poll cursor);
//! with looping, lap `k` repeats the dataset shifted by `k` whole spans, ids suffixed `~k`.

use omnikpi_engine::io::write::contact_json;
use omnikpi_engine::model::ContactRecord;
use omnikpi_engine::Dataset;
use serde_json::Value;

/// Seconds after arrival an abandoned contact without a close time is taken to have given up.
pub const ABANDON_AFTER_S: i64 = 60;

/// One change of one contact.
#[derive(Debug, Clone)]
pub struct Change {
    /// When it happens (data time, Unix seconds).
    pub at: i64,
    /// The contact as it is from then on.
    pub rec: ContactRecord,
}

/// All changes of a dataset in time order.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    changes: Vec<Change>,
    /// Lap length in seconds (whole days, so weekdays and hours keep their pattern).
    shift: i64,
    looping: bool,
}

/// The contact as it is right when it arrives.
fn arrived(r: &ContactRecord) -> ContactRecord {
    ContactRecord {
        id: r.id.clone(),
        case_id: r.case_id.clone(),
        customer_id: r.customer_id.clone(),
        channel: r.channel,
        arrived_at: r.arrived_at,
        agent_id: r.agent_id.clone(),
        team: r.team.clone(),
        topic: r.topic.clone(),
        segment: r.segment.clone(),
        region: r.region.clone(),
        priority: r.priority.clone(),
        bot: r.bot,
        extra: r.extra.clone(),
        ..Default::default()
    }
}

impl Timeline {
    /// The changes of every contact of `ds`; `looping` repeats them without end.
    pub fn new(ds: &Dataset, looping: bool) -> Timeline {
        let c = &ds.contacts;
        let mut changes = Vec::with_capacity(c.len() * 3);
        for i in 0..c.len() {
            let Some(r) = c.record(i) else { continue };
            let t = r.arrived_at;
            changes.push(Change {
                at: t,
                rec: arrived(&r),
            });
            let end = r.closed_at.or_else(|| {
                if let Some(w) = r.first_response_s {
                    Some(t + (w + r.handle_s.unwrap_or(0.0)).round() as i64)
                } else if r.abandoned {
                    Some(t + ABANDON_AFTER_S)
                } else {
                    None
                }
            });
            if let Some(w) = r.first_response_s {
                let answered_at = t + w.round() as i64;
                if end.is_some_and(|e| answered_at < e) {
                    let mut a = arrived(&r);
                    a.first_response_s = Some(w);
                    changes.push(Change {
                        at: answered_at,
                        rec: a,
                    });
                }
            }
            if let Some(e) = end {
                changes.push(Change {
                    at: e.max(t),
                    rec: r,
                });
            }
        }
        changes.sort_by_key(|c| c.at);
        let (first, last) = (
            changes.first().map_or(0, |c| c.at),
            changes.last().map_or(0, |c| c.at),
        );
        let days = (last - first) / 86_400 + 1;
        Timeline {
            changes,
            shift: days * 86_400,
            looping,
        }
    }

    /// Changes per lap.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// True when there is nothing to replay.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The first change's time.
    pub fn start(&self) -> i64 {
        self.changes.first().map_or(0, |c| c.at)
    }

    /// How many changes happened at or before `t`: the cursor at data time `t`.
    pub fn cursor_at(&self, t: i64) -> u64 {
        let n = self.changes.len() as i64;
        if n == 0 || t < self.start() {
            return 0;
        }
        let (lap, within) = if self.looping {
            let lap = (t - self.start()).div_euclid(self.shift);
            (lap, t - lap * self.shift)
        } else {
            (0, t)
        };
        let idx = self.changes.partition_point(|c| c.at <= within) as i64;
        (lap * n + idx) as u64
    }

    /// The total number of changes (`None`: endless).
    pub fn total(&self) -> Option<u64> {
        (!self.looping).then_some(self.changes.len() as u64)
    }

    /// Change number `seq` (1-based), with its lap applied.
    pub fn get(&self, seq: u64) -> Option<Change> {
        if seq == 0 || self.changes.is_empty() {
            return None;
        }
        let n = self.changes.len() as u64;
        let (lap, idx) = ((seq - 1) / n, ((seq - 1) % n) as usize);
        if lap > 0 && !self.looping {
            return None;
        }
        let mut ch = self.changes[idx].clone();
        if lap > 0 {
            let d = lap as i64 * self.shift;
            let r = &mut ch.rec;
            ch.at += d;
            r.arrived_at += d;
            r.closed_at = r.closed_at.map(|c| c + d);
            r.id = format!("{}~{lap}", r.id);
            r.case_id = r.case_id.take().map(|c| format!("{c}~{lap}"));
        }
        Some(ch)
    }

    /// Change `seq` as canonical JSON.
    pub fn json(&self, seq: u64) -> Option<Value> {
        self.get(seq)
            .map(|c| contact_json(&c.rec, &omnikpi_engine::config::Zone::UTC))
    }
}
