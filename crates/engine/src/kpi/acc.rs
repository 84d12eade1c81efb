//! The KPI accumulator of contact rows: every contact and case KPI for one group of rows,
//! mergeable. `add` rows, `merge` groups, read `values`.

use super::case_acc::CaseAcc;
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

    /// Contact and case KPI values by catalog id, in catalog order; `None` is "no data".
    pub fn values(&self) -> Vec<(&'static str, Option<f64>)> {
        let mut m = Vec::with_capacity(40);
        let n = self.contacts;
        m.push(("contacts", Some(n as f64)));
        m.push(("csat", self.csat.mean()));
        m.push(("csat_satisfied", ratio(self.csat_satisfied, self.csat.n)));
        m.push(("nps", self.nps.score()));
        m.push(("ces", self.ces.mean()));
        m.push(("survey_response_rate", self.survey.value()));
        m.push(("resolution_rate", self.resolution.value()));
        m.push(("aht_s", self.handle.mean.mean()));
        m.push(("first_response_mean_s", self.first_response.mean.mean()));
        let [p50, p90] = self.first_response.quantiles([0.5, 0.9]);
        m.push(("first_response_p50_s", p50));
        m.push(("first_response_p90_s", p90));
        m.push(("sla", self.sla.value()));
        m.push(("abandonment_rate", ratio(self.abandoned, n)));
        m.push(("queue_length", self.queue.map(|q| q as f64)));
        m.push(("transfer_rate", self.transfer.value()));
        m.push(("qa_score", self.qa.mean()));
        m.push(("bot_containment", ratio(self.bot_contained, self.bot)));
        m.push(("handoff_rate", ratio(self.handed_off, self.bot)));
        m.push(("handoff_mean_s", self.handoff.mean.mean()));
        m.push(("handoff_p90_s", self.handoff.quantile(0.9)));
        m.push(("cost_per_contact", (n > 0).then(|| self.cost / n as f64)));
        m.push((
            "revenue_per_contact",
            (n > 0 && self.revenue.n > 0).then(|| self.revenue.sum / n as f64),
        ));
        m.push(("sentiment", self.sentiment.mean()));
        m.push((
            "sentiment_negative_share",
            ratio(self.sentiment_negative, self.sentiment.n),
        ));
        self.cases.values(&mut m);
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

impl Merge for KpiAcc {
    fn merge(&mut self, o: &Self) {
        self.contacts += o.contacts;
        self.csat.merge(&o.csat);
        self.csat_satisfied += o.csat_satisfied;
        self.nps.merge(&o.nps);
        self.ces.merge(&o.ces);
        self.survey.merge(&o.survey);
        self.resolution.merge(&o.resolution);
        self.handle.merge(&o.handle);
        self.first_response.merge(&o.first_response);
        self.sla.merge(&o.sla);
        self.abandoned += o.abandoned;
        self.queue = match (self.queue, o.queue) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.transfer.merge(&o.transfer);
        self.qa.merge(&o.qa);
        self.bot += o.bot;
        self.bot_contained += o.bot_contained;
        self.handed_off += o.handed_off;
        self.handoff.merge(&o.handoff);
        self.cost += o.cost;
        self.revenue.merge(&o.revenue);
        self.sentiment.merge(&o.sentiment);
        self.sentiment_negative += o.sentiment_negative;
        self.cases.merge(&o.cases);
    }
}
