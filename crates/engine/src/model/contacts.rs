//! The `contacts` table: one row per interaction, stored column by column.

use super::{Channel, Codes, Dict, IdColumn, OptF32, OptU8};
use serde::{Deserialize, Serialize};

/// The standard dimension columns, in the order they occupy in [`Contacts::dims`].
pub const STANDARD_DIMS: [&str; 7] = [
    "agent_id",
    "team",
    "topic",
    "segment",
    "region",
    "priority",
    "customer_id",
];

/// Index of `customer_id` in [`Contacts::dims`].
pub const CUSTOMER_DIM: usize = 6;

/// One contact as a reader produces it, before it is stored column-wise.
/// Timestamps are Unix seconds (UTC); durations seconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// Unique id of the interaction.
    pub id: String,
    /// The case (journey) it belongs to; `None`: its own case.
    pub case_id: Option<String>,
    /// Who contacted.
    pub customer_id: Option<String>,
    /// Channel.
    pub channel: Option<Channel>,
    /// When the contact was offered.
    pub arrived_at: i64,
    /// Wait until a human first answered; `None`: never answered.
    pub first_response_s: Option<f64>,
    /// Customer gave up before a human answered.
    pub abandoned: bool,
    /// The source does not say whether the contact was abandoned (it has no `abandoned` field,
    /// or maps none): `abandoned` is then false for want of data, and the contact is outside
    /// the abandonment rate rather than counted as not abandoned.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub abandoned_unknown: bool,
    /// Agent handling time.
    pub handle_s: Option<f64>,
    /// When the contact was closed.
    pub closed_at: Option<i64>,
    /// The case was resolved at the end of this contact.
    pub resolved: bool,
    /// Agent id.
    pub agent_id: Option<String>,
    /// Team.
    pub team: Option<String>,
    /// Topic.
    pub topic: Option<String>,
    /// Customer segment.
    pub segment: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// A bot or IVR handled the contact first.
    pub bot: bool,
    /// The bot passed the contact to a human.
    pub handed_off: bool,
    /// Time to pass the bot conversation's context to the human.
    pub handoff_s: Option<f64>,
    /// Agent-to-agent transfers.
    pub transfers: u32,
    /// Cost of the contact; `None`: from the channel's cost rate.
    pub cost: Option<f64>,
    /// Revenue attributed to the contact.
    pub revenue: Option<f64>,
    /// CSAT answer 1..=5.
    pub csat: Option<u8>,
    /// NPS answer 0..=10.
    pub nps: Option<u8>,
    /// CES answer 1..=7.
    pub ces: Option<u8>,
    /// Sentiment −1..1.
    pub sentiment: Option<f64>,
    /// QA accuracy 0..100.
    pub qa_accuracy: Option<f64>,
    /// QA professionalism 0..100.
    pub qa_professionalism: Option<f64>,
    /// QA problem solving 0..100.
    pub qa_problem_solving: Option<f64>,
    /// QA compliance 0..100.
    pub qa_compliance: Option<f64>,
    /// Any further columns, as dimensions: (name, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra: Vec<(String, String)>,
}

/// Bit flags of a contact, one byte per row.
pub mod flag {
    /// `abandoned`.
    pub const ABANDONED: u8 = 1;
    /// `resolved`.
    pub const RESOLVED: u8 = 2;
    /// `bot`.
    pub const BOT: u8 = 4;
    /// `handed_off`.
    pub const HANDED_OFF: u8 = 8;
    /// `first_response_s` is present (answered by a human).
    pub const ANSWERED: u8 = 16;
    /// The contact is the first of its case (set by [`super::Contacts::finish`]).
    pub const CASE_FIRST: u8 = 32;
    /// The source does not say whether it was abandoned
    /// ([`super::ContactRecord::abandoned_unknown`]).
    pub const ABANDON_UNKNOWN: u8 = 64;
}

/// A string dimension column: a dictionary and one code per row.
#[derive(Debug, Clone, Default)]
pub struct DimColumn {
    /// Column name (`team`, or an extra column's header).
    pub name: String,
    /// Distinct values.
    pub dict: Dict,
    /// One code per row; 0 = absent.
    pub codes: Codes,
}

impl DimColumn {
    /// The value at row `i` (`""` when absent).
    pub fn value(&self, i: usize) -> &str {
        self.dict.get(self.codes.get(i)).unwrap_or("")
    }
}

/// The contacts table, columnar. After [`Contacts::finish`] rows are sorted by `arrived_at`.
#[derive(Debug, Clone, Default)]
pub struct Contacts {
    /// Contact ids.
    pub ids: IdColumn,
    /// Dense case index per row, `0..n_cases`.
    pub case: Vec<u32>,
    /// Case ids that came from the data (index = case index), stored compactly; cases made for
    /// contacts without a `case_id` have an empty name here. Read with [`Contacts::case_name`].
    pub case_names: IdColumn,
    /// Channel per row.
    pub channel: Vec<Channel>,
    /// Arrival, Unix seconds UTC.
    pub arrived: Vec<i64>,
    /// First response wait, seconds.
    pub first_response: OptF32,
    /// Handling time, seconds.
    pub handle: OptF32,
    /// `closed_at − arrived_at`, seconds.
    pub close_after: OptF32,
    /// [`flag`] bits.
    pub flags: Vec<u8>,
    /// Transfers (saturating at 255).
    pub transfers: Vec<u8>,
    /// Bot handoff time, seconds.
    pub handoff: OptF32,
    /// Cost given by the data.
    pub cost: OptF32,
    /// Revenue.
    pub revenue: OptF32,
    /// CSAT 1..=5.
    pub csat: OptU8,
    /// NPS 0..=10.
    pub nps: OptU8,
    /// CES 1..=7.
    pub ces: OptU8,
    /// Sentiment −1..1.
    pub sentiment: OptF32,
    /// QA accuracy, professionalism, problem solving, compliance (0..=100, rounded).
    pub qa: [OptU8; 4],
    /// Dimension columns: [`STANDARD_DIMS`] first, then extras in order of appearance.
    pub dims: Vec<DimColumn>,
    pub(super) case_index: super::IdIndex,
}

/// Row numbers in order of arrival, rows that arrived at the same second in row order: what a
/// stable sort by arrival gives. A least-significant-digit radix sort (stable) of the arrival
/// offsets when they span less than 2³² seconds (136 years), 11 bits a pass; else that sort.
fn arrival_order(arrived: &[i64]) -> Vec<u32> {
    let n = arrived.len();
    let lo = arrived.iter().copied().min().unwrap_or(0);
    let hi = arrived.iter().copied().max().unwrap_or(0);
    let span = hi as i128 - lo as i128;
    if n < 256 || span >= 1 << 32 || n > u32::MAX as usize {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| arrived[i as usize]);
        return order;
    }
    // Offset in the high half, row in the low half: the rows start in order.
    let mut a: Vec<u64> = arrived
        .iter()
        .enumerate()
        .map(|(i, &t)| ((t - lo) as u64) << 32 | i as u64)
        .collect();
    let mut b = vec![0u64; n];
    let bits = 64 - (span as u64).leading_zeros();
    let mut shift = 32;
    while shift < 32 + bits {
        let digit = |x: u64| ((x >> shift) & 0x7ff) as usize;
        let mut at = vec![0usize; 2048];
        for &x in &a {
            at[digit(x)] += 1;
        }
        let mut sum = 0;
        for c in at.iter_mut() {
            let k = *c;
            *c = sum;
            sum += k;
        }
        for &x in &a {
            let d = digit(x);
            b[at[d]] = x;
            at[d] += 1;
        }
        std::mem::swap(&mut a, &mut b);
        shift += 11;
    }
    a.into_iter().map(|x| x as u32).collect()
}

/// `v` reordered: element `k` of the result is `v[order[k]]`. (On a slice: indexing a `Vec`
/// goes through a trait call that a size-optimised build does not inline.)
pub(super) fn gather<T: Copy>(v: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&o| v[o as usize]).collect()
}

fn opt32(x: Option<f64>) -> Option<f32> {
    x.map(|v| v as f32)
}

fn qa_u8(x: Option<f64>) -> Option<u8> {
    x.filter(|v| (0.0..=100.0).contains(v))
        .map(|v| v.round() as u8)
}

impl Contacts {
    /// An empty table with the standard dimension columns.
    pub fn new() -> Self {
        let dims = STANDARD_DIMS
            .iter()
            .map(|n| DimColumn {
                name: n.to_string(),
                ..Default::default()
            })
            .collect();
        Contacts {
            dims,
            ..Default::default()
        }
    }

    /// Number of contacts.
    pub fn len(&self) -> usize {
        self.arrived.len()
    }

    /// True when there are no contacts.
    pub fn is_empty(&self) -> bool {
        self.arrived.is_empty()
    }

    /// Number of cases.
    pub fn n_cases(&self) -> usize {
        self.case_names.len()
    }

    /// The id of case `c` as the data gave it (`""` for a contact that is its own case).
    pub fn case_name(&self, c: usize) -> String {
        self.case_names.get(c)
    }

    /// Index of the dimension column called `name`.
    pub fn dim_index(&self, name: &str) -> Option<usize> {
        self.dims.iter().position(|d| d.name == name)
    }

    /// The dimension column called `name`.
    pub fn dim(&self, name: &str) -> Option<&DimColumn> {
        self.dims.iter().find(|d| d.name == name)
    }

    /// True when row `i` has flag `f`.
    #[inline]
    pub fn has(&self, i: usize, f: u8) -> bool {
        self.flags[i] & f != 0
    }

    /// The case index of a contact with case id `case_id` (trimmed; blank or `None`: a case of
    /// its own), adding the case when new. Call once per contact, as it is appended.
    pub fn case_for(&mut self, case_id: Option<&str>) -> u32 {
        match case_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => {
                let new = self.case_names.len() as u32;
                self.case_index
                    .get_or_push(&mut self.case_names, name)
                    .unwrap_or(new)
            }
            None => {
                self.case_index.before_unindexed(&self.case_names, "");
                self.case_names.push("");
                (self.case_names.len() - 1) as u32
            }
        }
    }

    /// Appends a validated record. Validation is the reader's job; this only stores.
    pub fn push(&mut self, r: &ContactRecord) {
        if self.dims.is_empty() {
            *self = Contacts::new();
        }
        let n = self.len();
        self.ids.push(&r.id);
        let case = self.case_for(r.case_id.as_deref());
        self.case.push(case);
        self.channel.push(r.channel.unwrap_or(Channel::Other));
        self.arrived.push(r.arrived_at);
        self.first_response.push(opt32(r.first_response_s));
        self.handle.push(opt32(r.handle_s));
        self.close_after
            .push(r.closed_at.map(|c| (c - r.arrived_at) as f32));
        let mut f = 0u8;
        if r.abandoned {
            f |= flag::ABANDONED;
        }
        if r.abandoned_unknown {
            f |= flag::ABANDON_UNKNOWN;
        }
        if r.resolved {
            f |= flag::RESOLVED;
        }
        if r.bot {
            f |= flag::BOT;
        }
        if r.handed_off {
            f |= flag::HANDED_OFF;
        }
        if r.first_response_s.is_some() {
            f |= flag::ANSWERED;
        }
        self.flags.push(f);
        self.transfers.push(r.transfers.min(255) as u8);
        self.handoff.push(opt32(r.handoff_s));
        self.cost.push(opt32(r.cost));
        self.revenue.push(opt32(r.revenue));
        self.csat.push(r.csat);
        self.nps.push(r.nps);
        self.ces.push(r.ces);
        self.sentiment.push(opt32(r.sentiment));
        self.qa[0].push(qa_u8(r.qa_accuracy));
        self.qa[1].push(qa_u8(r.qa_professionalism));
        self.qa[2].push(qa_u8(r.qa_problem_solving));
        self.qa[3].push(qa_u8(r.qa_compliance));
        let std_vals = [
            &r.agent_id,
            &r.team,
            &r.topic,
            &r.segment,
            &r.region,
            &r.priority,
            &r.customer_id,
        ];
        for (d, v) in self.dims.iter_mut().zip(std_vals) {
            let code = d.dict.intern(v.as_deref().unwrap_or(""));
            d.codes.push(code);
        }
        for d in self.dims.iter_mut().skip(STANDARD_DIMS.len()) {
            // Extras absent from this record get the empty code; present ones are set below.
            d.codes.push(0);
        }
        for (name, value) in &r.extra {
            let idx = match self.dims.iter().position(|d| &d.name == name) {
                Some(i) => i,
                None => {
                    let mut d = DimColumn {
                        name: name.clone(),
                        ..Default::default()
                    };
                    for _ in 0..n {
                        d.codes.push(0);
                    }
                    d.codes.push(0);
                    self.dims.push(d);
                    self.dims.len() - 1
                }
            };
            let d = &mut self.dims[idx];
            let code = d.dict.intern(value);
            d.codes.set(n, code);
        }
    }

    /// Sorts rows by arrival (stable, so ties keep file order) and marks the first contact of
    /// every case. Call once after the last [`Contacts::push`].
    pub fn finish(&mut self) {
        let n = self.len();
        if !self.arrived.windows(2).all(|w| w[0] <= w[1]) {
            let order = arrival_order(&self.arrived);
            let o = &order;
            // Where each row goes, shared by the optional columns (mostly empty ones move only
            // their values).
            let mut inverse = vec![0u32; n];
            for (i, &r) in order.iter().enumerate() {
                if let Some(x) = inverse.get_mut(r as usize) {
                    *x = i as u32;
                }
            }
            let inv = &inverse;
            self.ids.permute(o);
            self.case = gather(&self.case, o);
            self.channel = gather(&self.channel, o);
            self.arrived = gather(&self.arrived, o);
            self.flags = gather(&self.flags, o);
            self.transfers = gather(&self.transfers, o);
            for c in [
                &mut self.first_response,
                &mut self.handle,
                &mut self.close_after,
                &mut self.handoff,
                &mut self.cost,
                &mut self.revenue,
                &mut self.sentiment,
            ] {
                c.permute_inverse(o, inv);
            }
            for c in [&mut self.csat, &mut self.nps, &mut self.ces] {
                c.permute_inverse(o, inv);
            }
            for c in self.qa.iter_mut() {
                c.permute_inverse(o, inv);
            }
            for d in self.dims.iter_mut() {
                d.codes.permute(o);
            }
        }
        let mut seen = vec![false; self.case_names.len()];
        for i in 0..n {
            let c = self.case[i] as usize;
            if !seen[c] {
                seen[c] = true;
                self.flags[i] |= flag::CASE_FIRST;
            } else {
                self.flags[i] &= !flag::CASE_FIRST;
            }
        }
        self.case_index = super::IdIndex::forgotten();
        self.shrink();
    }

    /// Heap bytes held by the table (ids, columns, dictionaries).
    pub fn heap_bytes(&self) -> usize {
        let mut b = self.ids.heap_bytes()
            + self.case.capacity() * 4
            + self.case_names.heap_bytes()
            + self.channel.capacity()
            + self.arrived.capacity() * 8
            + self.flags.capacity()
            + self.transfers.capacity();
        for c in [
            &self.first_response,
            &self.handle,
            &self.close_after,
            &self.handoff,
            &self.cost,
            &self.revenue,
            &self.sentiment,
        ] {
            b += c.heap_bytes();
        }
        for c in [&self.csat, &self.nps, &self.ces] {
            b += c.heap_bytes();
        }
        b += self.qa.iter().map(OptU8::heap_bytes).sum::<usize>();
        b += self
            .dims
            .iter()
            .map(|d| d.codes.heap_bytes() + d.dict.heap_bytes())
            .sum::<usize>();
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, case: Option<&str>, t: i64) -> ContactRecord {
        ContactRecord {
            id: id.into(),
            case_id: case.map(Into::into),
            channel: Some(Channel::Chat),
            arrived_at: t,
            team: Some(format!("team-{id}")),
            ..Default::default()
        }
    }

    #[test]
    fn finish_sorts_by_arrival_and_marks_case_firsts() {
        let mut c = Contacts::new();
        let mut r = rec("b", Some("K1"), 200);
        r.extra.push(("shop".into(), "north".into()));
        c.push(&r);
        c.push(&rec("a", Some("K1"), 100));
        c.push(&rec("c", None, 50));
        c.finish();
        assert_eq!(c.arrived, vec![50, 100, 200]);
        assert_eq!(
            (c.ids.get(0), c.ids.get(1), c.ids.get(2)),
            ("c".into(), "a".into(), "b".into())
        );
        assert_eq!(c.n_cases(), 2);
        assert!(
            c.has(0, flag::CASE_FIRST) && c.has(1, flag::CASE_FIRST) && !c.has(2, flag::CASE_FIRST)
        );
        assert_eq!(c.dim("team").unwrap().value(2), "team-b");
        assert_eq!(c.dim("shop").unwrap().value(2), "north");
        assert_eq!(c.dim("shop").unwrap().value(0), "");
    }

    /// The radix sort gives the order a stable sort by arrival gives: ties in row order, any
    /// span of arrivals, negative times.
    #[test]
    fn arrival_order_is_a_stable_sort() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for (n, span) in [
            (10, 100),
            (5000, 7),
            (5000, 40_000_000),
            (3000, 1 << 31),
            (900, 1 << 40),
        ] {
            let t: Vec<i64> = (0..n)
                .map(|_| (next() % span) as i64 - (span as i64) / 3)
                .collect();
            let mut want: Vec<u32> = (0..n as u32).collect();
            want.sort_by_key(|&i| t[i as usize]);
            assert_eq!(arrival_order(&t), want, "{n} {span}");
        }
    }
}
