//! The KPI accumulator of contact rows: every contact and case KPI for one group of rows,
//! mergeable. `add` rows, `merge` groups, read `values`.

use super::case_acc::CaseAcc;
use super::catalog::{index_of, KpiArray, KPI_COUNT};
use crate::config::Config;
use crate::measure::{Histogram, Mean, Merge, Nps, Ratio};
use crate::model::{flag, Contacts, CUSTOMER_DIM};
use crate::prepared::Prepared;

/// Everything [`KpiAcc::add`] reads besides the row index: the table, its derived columns, the
/// configuration and the instant the live queue is measured at.
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    /// Contacts.
    pub contacts: &'a Contacts,
    /// Derived columns and case outcomes.
    pub prep: &'a Prepared,
    /// Configuration (cost rates).
    pub cfg: &'a Config,
    /// "Now" for the live queue (Unix seconds); `None`: queue length is no data.
    pub now: Option<i64>,
}

/// QA weights: accuracy, professionalism, problem solving, compliance.
pub const QA_WEIGHTS: [f64; 4] = [0.30, 0.25, 0.25, 0.20];

/// True when contact row `i` is in the live queue at `now`: arrived, not abandoned, not yet
/// answered and not yet closed.
#[inline]
pub fn in_queue(c: &Contacts, i: usize, now: i64) -> bool {
    let t = c.arrived[i];
    if t > now || c.has(i, flag::ABANDONED) {
        return false;
    }
    let unanswered = c
        .first_response
        .get(i)
        .is_none_or(|w| t as f64 + w as f64 > now as f64);
    let open = c
        .close_after
        .get(i)
        .is_none_or(|a| t as f64 + a as f64 > now as f64);
    unanswered && open
}

/// Partial aggregates of one group of contacts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KpiAcc {
    /// Contacts offered.
    pub contacts: u64,
    /// CSAT answers.
    pub csat: Mean,
    /// CSAT answers ≥ 4.
    pub csat_satisfied: u64,
    /// NPS answers by class.
    pub nps: Nps,
    /// CES answers.
    pub ces: Mean,
    /// Closed contacts with a survey answer / closed contacts.
    pub survey: Ratio,
    /// Answered contacts resolved / answered contacts.
    pub resolution: Ratio,
    /// Handling time.
    pub handle: Histogram,
    /// First response wait of answered contacts.
    pub first_response: Histogram,
    /// Answered within threshold / answered + abandoned.
    pub sla: Ratio,
    /// Abandoned contacts.
    pub abandoned: u64,
    /// Contacts whose source does not say whether they were abandoned (no `abandoned` field):
    /// outside the abandonment rate's denominator.
    pub abandon_unknown: u64,
    /// Contacts in the live queue at `now`; `None` when no "now" was given.
    pub queue: Option<u64>,
    /// Handled contacts with a transfer / handled contacts.
    pub transfer: Ratio,
    /// Weighted QA score per evaluated contact.
    pub qa: Mean,
    /// Bot contacts.
    pub bot: u64,
    /// Bot contacts resolved and not handed off.
    pub bot_contained: u64,
    /// Bot contacts handed off.
    pub handed_off: u64,
    /// Bot handoff time.
    pub handoff: Histogram,
    /// Σ cost (data's cost, else the channel's rate).
    pub cost: f64,
    /// Revenue of contacts that have one.
    pub revenue: Mean,
    /// Sentiment.
    pub sentiment: Mean,
    /// Contacts with sentiment < 0.
    pub sentiment_negative: u64,
    /// Case KPIs of the cases whose first contact is in the group.
    pub cases: CaseAcc,
}

/// First response p50 and p90, handoff p90 of one accumulator ([`KpiAcc::percentiles`]).
pub type Percentiles = [Option<f64>; 3];

/// The KPIs of [`KpiAcc::values`] (contact KPIs, then case KPIs), in its order.
pub const CONTACT_KPIS: [&str; 33] = [
    "contacts",
    "csat",
    "csat_satisfied",
    "nps",
    "ces",
    "survey_response_rate",
    "resolution_rate",
    "aht_s",
    "first_response_mean_s",
    "first_response_p50_s",
    "first_response_p90_s",
    "sla",
    "abandonment_rate",
    "queue_length",
    "transfer_rate",
    "qa_score",
    "bot_containment",
    "handoff_rate",
    "handoff_mean_s",
    "handoff_p90_s",
    "cost_per_contact",
    "revenue_per_contact",
    "sentiment",
    "sentiment_negative_share",
    "fcr",
    "aht_case_s",
    "art_s",
    "migration_rate",
    "switches_per_case",
    "journey_completion",
    "cross_channel_resolution",
    "recurring_customer_rate",
    "cost_per_resolution",
];

/// The catalog position of each of [`CONTACT_KPIS`].
const CONTACT_AT: [usize; CONTACT_KPIS.len()] = {
    let mut at = [0; CONTACT_KPIS.len()];
    let mut i = 0;
    while i < at.len() {
        at[i] = index_of(CONTACT_KPIS[i]);
        i += 1;
    }
    at
};

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl KpiAcc {
    /// Adds contact row `i`.
    #[inline]
    pub fn add(&mut self, r: &Rows<'_>, i: usize) {
        // The light parts (counts and sums) are read by the code `LightAcc` shares.
        super::light::visit_row(r, i, self);
        let c = r.contacts;
        if let Some(now) = r.now {
            *self.queue.get_or_insert(0) += in_queue(c, i, now) as u64;
        }
        if c.has(i, flag::CASE_FIRST) {
            let (customer, universe) = c
                .dims
                .get(CUSTOMER_DIM)
                .map_or((0, 0), |d| (d.codes.get(i), d.dict.len()));
            self.cases
                .add(&r.prep.cases.get(c.case[i]), customer, universe);
        }
    }

    /// Makes the accumulator's arrays read-only and shared by clones (histogram counts,
    /// customer set), for stored partials that are cloned and merged often (the engine's
    /// cells). It stays a normal accumulator: the next `add` or `merge` into it copies them.
    pub fn share(&mut self) {
        self.handle.share();
        self.first_response.share();
        self.handoff.share();
        self.cases.handle.share();
        self.cases.resolution.share();
        self.cases.customers.freeze();
    }

    /// Heap bytes of the accumulator's arrays (histogram counts, customer set).
    pub fn heap_bytes(&self) -> usize {
        [
            &self.handle,
            &self.first_response,
            &self.handoff,
            &self.cases.handle,
            &self.cases.resolution,
        ]
        .iter()
        .map(|h| h.counts.heap_bytes())
        .sum::<usize>()
            + self.cases.customers.heap_bytes()
    }

    /// Writes every contact and case KPI into `out` at its catalog position; the other
    /// positions are left alone. Each value is computed once, and a report reads a group's
    /// KPIs without looking their ids up.
    pub fn fill(&self, out: &mut KpiArray) {
        self.fill_with(out, &self.percentiles());
    }

    /// The abandonment rate's denominator: the contacts whose source says whether they were
    /// abandoned. [`KpiAcc::fill`] and the statistics ([`crate::analysis::stat`]) both divide
    /// by it.
    pub fn abandon_known(&self) -> u64 {
        self.contacts.saturating_sub(self.abandon_unknown)
    }

    /// The percentiles a report reads (first response p50 and p90, handoff p90): the only
    /// KPIs that walk histogram buckets. Stored accumulators (the engine's cells) keep theirs.
    pub fn percentiles(&self) -> Percentiles {
        let [p50, p90] = self.first_response.quantiles([0.5, 0.9]);
        [p50, p90, self.handoff.quantile(0.9)]
    }

    /// [`KpiAcc::fill`] with the accumulator's [`KpiAcc::percentiles`] computed before.
    pub fn fill_with(&self, out: &mut KpiArray, pct: &Percentiles) {
        // The position is a constant: an id missing from the catalog does not compile.
        macro_rules! set {
            ($id:literal, $v:expr) => {
                out[const { index_of($id) }] = $v
            };
        }
        let n = self.contacts;
        set!("contacts", Some(n as f64));
        set!("csat", self.csat.mean());
        set!("csat_satisfied", ratio(self.csat_satisfied, self.csat.n));
        set!("nps", self.nps.score());
        set!("ces", self.ces.mean());
        set!("survey_response_rate", self.survey.value());
        set!("resolution_rate", self.resolution.value());
        set!("aht_s", self.handle.mean.mean());
        set!("first_response_mean_s", self.first_response.mean.mean());
        let [p50, p90, handoff_p90] = *pct;
        set!("first_response_p50_s", p50);
        set!("first_response_p90_s", p90);
        set!("sla", self.sla.value());
        set!(
            "abandonment_rate",
            ratio(self.abandoned, self.abandon_known())
        );
        set!("queue_length", self.queue.map(|q| q as f64));
        set!("transfer_rate", self.transfer.value());
        set!("qa_score", self.qa.mean());
        set!("bot_containment", ratio(self.bot_contained, self.bot));
        set!("handoff_rate", ratio(self.handed_off, self.bot));
        set!("handoff_mean_s", self.handoff.mean.mean());
        set!("handoff_p90_s", handoff_p90);
        set!("cost_per_contact", (n > 0).then(|| self.cost / n as f64));
        set!(
            "revenue_per_contact",
            (n > 0 && self.revenue.n > 0).then(|| self.revenue.sum / n as f64)
        );
        set!("sentiment", self.sentiment.mean());
        set!(
            "sentiment_negative_share",
            ratio(self.sentiment_negative, self.sentiment.n)
        );
        self.cases.fill(out);
    }

    /// Contact and case KPI values by catalog id ([`CONTACT_KPIS`] order); `None` is "no data".
    pub fn values(&self) -> Vec<(&'static str, Option<f64>)> {
        let mut a: KpiArray = [None; KPI_COUNT];
        self.fill(&mut a);
        let mut m = Vec::with_capacity(CONTACT_KPIS.len());
        for (id, &at) in CONTACT_KPIS.iter().zip(CONTACT_AT.iter()) {
            m.push((*id, a[at]));
        }
        m
    }

    /// The value of one KPI id (contact and case KPIs only).
    pub fn value(&self, id: &str) -> Option<f64> {
        self.values()
            .into_iter()
            .find(|(k, _)| *k == id)
            .and_then(|(_, v)| v)
    }
}

impl KpiAcc {
    /// Merges only what the light KPIs ([`crate::kpi::LIGHT_KPIS`]) read: counts, sums and the
    /// means of the histograms, without their buckets, the case outcomes or the live queue.
    /// [`Merge::merge`] is this plus the rest, so starting from the default and merging the
    /// same accumulators in the same order gives the same light values, bit for bit.
    pub(crate) fn merge_light(&mut self, o: &Self) {
        self.contacts += o.contacts;
        self.csat.merge(&o.csat);
        self.csat_satisfied += o.csat_satisfied;
        self.nps.merge(&o.nps);
        self.ces.merge(&o.ces);
        self.survey.merge(&o.survey);
        self.resolution.merge(&o.resolution);
        self.handle.mean.merge(&o.handle.mean);
        self.first_response.mean.merge(&o.first_response.mean);
        self.sla.merge(&o.sla);
        self.abandoned += o.abandoned;
        self.abandon_unknown += o.abandon_unknown;
        self.transfer.merge(&o.transfer);
        self.qa.merge(&o.qa);
        self.bot += o.bot;
        self.bot_contained += o.bot_contained;
        self.handed_off += o.handed_off;
        self.handoff.mean.merge(&o.handoff.mean);
        self.cost += o.cost;
        self.revenue.merge(&o.revenue);
        self.sentiment.merge(&o.sentiment);
        self.sentiment_negative += o.sentiment_negative;
    }
}

impl Merge for KpiAcc {
    /// The light merge and what only the other KPIs read: histogram buckets (percentiles),
    /// the live queue and the case outcomes.
    fn merge(&mut self, o: &Self) {
        self.merge_light(o);
        self.handle.merge_buckets(&o.handle);
        self.first_response.merge_buckets(&o.first_response);
        self.handoff.merge_buckets(&o.handoff);
        self.queue = match (self.queue, o.queue) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.cases.merge(&o.cases);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::CATALOG;

    /// `values` as it was before [`KpiAcc::fill`]: each KPI pushed with its id.
    fn values_by_id(a: &KpiAcc) -> Vec<(&'static str, Option<f64>)> {
        let mut m = Vec::new();
        let n = a.contacts;
        m.push(("contacts", Some(n as f64)));
        m.push(("csat", a.csat.mean()));
        m.push(("csat_satisfied", ratio(a.csat_satisfied, a.csat.n)));
        m.push(("nps", a.nps.score()));
        m.push(("ces", a.ces.mean()));
        m.push(("survey_response_rate", a.survey.value()));
        m.push(("resolution_rate", a.resolution.value()));
        m.push(("aht_s", a.handle.mean.mean()));
        m.push(("first_response_mean_s", a.first_response.mean.mean()));
        m.push(("first_response_p50_s", a.first_response.quantile(0.5)));
        m.push(("first_response_p90_s", a.first_response.quantile(0.9)));
        m.push(("sla", a.sla.value()));
        m.push((
            "abandonment_rate",
            ratio(a.abandoned, n.saturating_sub(a.abandon_unknown)),
        ));
        m.push(("queue_length", a.queue.map(|q| q as f64)));
        m.push(("transfer_rate", a.transfer.value()));
        m.push(("qa_score", a.qa.mean()));
        m.push(("bot_containment", ratio(a.bot_contained, a.bot)));
        m.push(("handoff_rate", ratio(a.handed_off, a.bot)));
        m.push(("handoff_mean_s", a.handoff.mean.mean()));
        m.push(("handoff_p90_s", a.handoff.quantile(0.9)));
        m.push(("cost_per_contact", (n > 0).then(|| a.cost / n as f64)));
        m.push((
            "revenue_per_contact",
            (n > 0 && a.revenue.n > 0).then(|| a.revenue.sum / n as f64),
        ));
        m.push(("sentiment", a.sentiment.mean()));
        m.push((
            "sentiment_negative_share",
            ratio(a.sentiment_negative, a.sentiment.n),
        ));
        let c = &a.cases;
        m.push(("fcr", ratio(c.fcr, c.resolved)));
        m.push(("aht_case_s", c.handle.mean.mean()));
        m.push(("art_s", c.resolution.mean.mean()));
        m.push(("migration_rate", ratio(c.migrated, c.cases)));
        m.push((
            "switches_per_case",
            (c.cases > 0).then(|| c.switches as f64 / c.cases as f64),
        ));
        m.push(("journey_completion", ratio(c.resolved, c.cases)));
        m.push((
            "cross_channel_resolution",
            ratio(c.cross_resolved, c.switched),
        ));
        m.push((
            "recurring_customer_rate",
            ratio(c.customers.repeated(), c.customers.distinct()),
        ));
        m.push((
            "cost_per_resolution",
            (c.resolved > 0).then(|| c.cost / c.resolved as f64),
        ));
        m
    }

    /// An accumulator whose every count, sum and histogram differs from the others', so that a
    /// KPI written at another KPI's position shows.
    fn distinct_acc(seed: u64) -> KpiAcc {
        let mut rng = crate::test_rng::xorshift(seed);
        let mut next = move || rng() % 1000;
        let mut a = KpiAcc {
            contacts: 1000 + next(),
            csat_satisfied: next(),
            abandoned: next(),
            abandon_unknown: next(),
            queue: Some(next()),
            bot: 2000 + next(),
            bot_contained: next(),
            handed_off: next(),
            cost: next() as f64 * 1.5,
            sentiment_negative: next(),
            ..Default::default()
        };
        for _ in 0..50 {
            a.csat.add((1 + next() % 5) as f64);
            a.nps.add((next() % 11) as u8);
            a.ces.add((1 + next() % 7) as f64);
            a.survey.add(next() % 3 == 0);
            a.resolution.add(next() % 4 != 0);
            a.handle.add(next() as f64 * 3.0);
            a.first_response.add(next() as f64 * 7.0);
            a.sla.add(next() % 5 != 0);
            a.transfer.add(next() % 6 == 0);
            a.qa.add(next() as f64 / 10.0);
            a.handoff.add(next() as f64 / 3.0);
            a.revenue.add(next() as f64);
            a.sentiment.add(next() as f64 / 1000.0 - 0.4);
            a.cases.handle.add(next() as f64 * 11.0);
            a.cases.resolution.add(next() as f64 * 13.0);
            a.cases.customers.add(1 + (next() % 40) as u32, 1000);
        }
        let c = &mut a.cases;
        c.cases = 500 + next();
        c.resolved = 100 + next();
        c.fcr = next() / 2;
        c.migrated = next();
        c.switches = next();
        c.switched = 10 + next();
        c.cross_resolved = next() / 3;
        c.cost = next() as f64 * 2.5;
        a
    }

    /// The values written at fixed catalog positions are those of the plain computation, under
    /// the same ids, in the same order; and every contact or case KPI of the catalog is one.
    #[test]
    fn fill_writes_every_kpi_at_its_ids_position() {
        let mut differ = [[false; CONTACT_KPIS.len()]; CONTACT_KPIS.len()];
        for seed in [1, 7, 42, 1234] {
            let a = distinct_acc(seed);
            let want = values_by_id(&a);
            assert_eq!(a.values(), want);
            let mut arr: KpiArray = [None; KPI_COUNT];
            a.fill(&mut arr);
            for (id, v) in &want {
                assert!(
                    v.is_some(),
                    "{id}: the test accumulator should give a value"
                );
                assert_eq!(arr[index_of(id)], *v, "{id}");
            }
            // Pairs of KPIs whose values differ for some seed: a KPI written at another's
            // position would show above.
            for (i, (_, u)) in want.iter().enumerate() {
                for (j, (_, v)) in want.iter().enumerate().skip(i + 1) {
                    if u != v {
                        differ[i][j] = true;
                    }
                }
            }
        }
        for i in 0..CONTACT_KPIS.len() {
            for j in i + 1..CONTACT_KPIS.len() {
                assert!(differ[i][j], "{} and {}", CONTACT_KPIS[i], CONTACT_KPIS[j]);
            }
        }
        assert_eq!(KpiAcc::default().values(), values_by_id(&KpiAcc::default()));
        {}
        let ids: Vec<&str> = CATALOG
            .iter()
            .filter(|k| {
                matches!(
                    k.source,
                    crate::kpi::Source::Contacts | crate::kpi::Source::Cases
                )
            })
            .map(|k| k.id)
            .collect();
        let mut have = CONTACT_KPIS.to_vec();
        have.sort_unstable();
        let mut want = ids;
        want.sort_unstable();
        assert_eq!(have, want);
    }
}
