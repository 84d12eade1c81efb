//! The light KPIs and their compact accumulator: the contact KPIs that are a count, or a ratio
//! of counts and sums over rows ([`LIGHT_KPIS`]), and [`LightAcc`], the few dozen counters and
//! sums they need. The engine keeps one `LightAcc` per day cell and local hour (see
//! [`crate::cells::HourCells`]), so that a heatmap of a light KPI merges small fixed-size
//! structs instead of scanning rows.
//!
//! This module also owns what one contact row contributes to those counters
//! ([`visit_row`]): [`KpiAcc::add`] and [`LightAcc::add`] both go through it, so the two cannot
//! disagree about which rows count. Values are never computed here: a `LightAcc` is merged into
//! a [`KpiAcc`] ([`LightAcc::merge_into`]) and read with the same code as every other
//! accumulator, restricted to the light ids.

use super::acc::{KpiAcc, Rows, QA_WEIGHTS};
use crate::measure::{Mean, Merge, Nps};
use crate::model::flag;
use crate::prepared::row_bit;

/// Contact KPIs computable from [`LightAcc`]: counts, and ratios of counts and sums. Not light:
/// percentiles (need histogram buckets), case KPIs (need case outcomes and customer sets) and
/// the live queue length (depends on "now").
pub const LIGHT_KPIS: [&str; 20] = [
    "contacts",
    "csat",
    "csat_satisfied",
    "nps",
    "ces",
    "survey_response_rate",
    "resolution_rate",
    "aht_s",
    "first_response_mean_s",
    "sla",
    "abandonment_rate",
    "transfer_rate",
    "qa_score",
    "bot_containment",
    "handoff_rate",
    "handoff_mean_s",
    "cost_per_contact",
    "revenue_per_contact",
    "sentiment",
    "sentiment_negative_share",
];

/// True when KPI `id` is one of [`LIGHT_KPIS`].
pub fn is_light(id: &str) -> bool {
    LIGHT_KPIS.contains(&id)
}

/// Receives what one contact row contributes to the light KPIs (see [`visit_row`]).
pub(crate) trait LightSink {
    /// One contact offered.
    fn contact(&mut self);
    /// A CSAT answer and whether it counts as satisfied.
    fn csat(&mut self, score: f64, satisfied: bool);
    /// An NPS answer 0..=10.
    fn nps(&mut self, score: u8);
    /// A CES answer.
    fn ces(&mut self, score: f64);
    /// A closed contact, with or without a survey answer.
    fn survey(&mut self, answered: bool);
    /// An answered contact, resolved or not.
    fn resolution(&mut self, resolved: bool);
    /// First response wait of an answered contact.
    fn first_response(&mut self, seconds: f64);
    /// Handling time.
    fn handle(&mut self, seconds: f64);
    /// An answered or abandoned contact, answered within the SLA threshold or not.
    fn sla(&mut self, met: bool);
    /// An abandoned contact.
    fn abandoned(&mut self);
    /// A handled contact, transferred or not.
    fn transfer(&mut self, transferred: bool);
    /// The weighted QA score of an evaluated contact.
    fn qa(&mut self, score: f64);
    /// A bot contact: handed off, or contained (resolved and not handed off).
    fn bot(&mut self, handed_off: bool, contained: bool);
    /// Bot handoff time.
    fn handoff(&mut self, seconds: f64);
    /// The contact's cost (data's, else the channel's rate).
    fn cost(&mut self, cost: f64);
    /// Revenue of a contact that has one.
    fn revenue(&mut self, revenue: f64);
    /// Sentiment, and whether it is negative.
    fn sentiment(&mut self, sentiment: f64, negative: bool);
}

/// Feeds `s` what contact row `i` contributes to the light KPIs: the single definition of which
/// rows count for which of them, shared by [`KpiAcc::add`] and [`LightAcc::add`].
#[inline(always)]
pub(crate) fn visit_row<S: LightSink>(r: &Rows<'_>, i: usize, s: &mut S) {
    let c = r.contacts;
    let f = c.flags[i];
    let has = |b: u8| f & b != 0;
    s.contact();
    let csat = c.csat.get(i);
    if let Some(x) = csat {
        s.csat(x as f64, x >= 4);
    }
    let nps = c.nps.get(i);
    if let Some(x) = nps {
        s.nps(x);
    }
    let ces = c.ces.get(i);
    if let Some(x) = ces {
        s.ces(x as f64);
    }
    if c.close_after.get(i).is_some() {
        s.survey(csat.is_some() || nps.is_some() || ces.is_some());
    }
    let answered = has(flag::ANSWERED);
    if answered {
        s.resolution(has(flag::RESOLVED));
        if let Some(w) = c.first_response.get(i) {
            s.first_response(w as f64);
        }
    }
    let handle = c.handle.get(i);
    if let Some(h) = handle {
        s.handle(h as f64);
    }
    let abandoned = has(flag::ABANDONED);
    if answered || abandoned {
        // A row flagged both answered and abandoned counts as answered.
        s.sla(
            answered
                && r.prep
                    .bits
                    .get(i)
                    .is_some_and(|b| b & row_bit::SLA_MET != 0),
        );
    }
    if abandoned {
        s.abandoned();
    }
    if answered || handle.is_some() {
        s.transfer(c.transfers[i] > 0);
    }
    let (mut qa, mut w) = (0.0, 0.0);
    for (col, wt) in c.qa.iter().zip(QA_WEIGHTS) {
        if let Some(x) = col.get(i) {
            qa += wt * x as f64;
            w += wt;
        }
    }
    if w > 0.0 {
        s.qa(qa / w);
    }
    if has(flag::BOT) {
        let handed = has(flag::HANDED_OFF);
        s.bot(handed, has(flag::RESOLVED) && !handed);
    }
    if let Some(h) = c.handoff.get(i) {
        s.handoff(h as f64);
    }
    s.cost(match c.cost.get(i) {
        Some(x) => x as f64,
        None => r.prep.cost_rates[c.channel[i] as usize],
    });
    if let Some(x) = c.revenue.get(i) {
        s.revenue(x as f64);
    }
    if let Some(x) = c.sentiment.get(i) {
        s.sentiment(x as f64, x < 0.0);
    }
}

/// Counts and sums of the [`LIGHT_KPIS`] of one group of contacts: 32-bit counts (one day
/// cell's hour), 64-bit float sums, no histograms, no sums of squares, nothing per case, so it is
/// `Copy` and under 200 bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LightAcc {
    /// Contacts offered.
    pub contacts: u32,
    /// CSAT answers.
    pub csat_n: u32,
    /// Σ CSAT.
    pub csat_sum: f64,
    /// CSAT answers ≥ 4.
    pub csat_satisfied: u32,
    /// NPS answers by class.
    pub nps: Nps,
    /// CES answers.
    pub ces_n: u32,
    /// Σ CES.
    pub ces_sum: f64,
    /// Closed contacts with a survey answer.
    pub surveyed: u32,
    /// Closed contacts.
    pub closed: u32,
    /// Answered contacts resolved.
    pub resolved: u32,
    /// Answered contacts.
    pub answered: u32,
    /// Contacts with a handling time.
    pub handle_n: u32,
    /// Σ handling time.
    pub handle_sum: f64,
    /// Answered contacts with a first response wait.
    pub first_response_n: u32,
    /// Σ first response wait.
    pub first_response_sum: f64,
    /// Answered within the SLA threshold.
    pub sla_met: u32,
    /// Answered or abandoned.
    pub sla_n: u32,
    /// Abandoned contacts.
    pub abandoned: u32,
    /// Handled contacts with a transfer.
    pub transferred: u32,
    /// Handled contacts.
    pub handled: u32,
    /// Evaluated contacts.
    pub qa_n: u32,
    /// Σ weighted QA score.
    pub qa_sum: f64,
    /// Bot contacts.
    pub bot: u32,
    /// Bot contacts resolved and not handed off.
    pub bot_contained: u32,
    /// Bot contacts handed off.
    pub handed_off: u32,
    /// Contacts with a bot handoff time.
    pub handoff_n: u32,
    /// Σ bot handoff time.
    pub handoff_sum: f64,
    /// Σ cost.
    pub cost: f64,
    /// Contacts with revenue.
    pub revenue_n: u32,
    /// Σ revenue.
    pub revenue_sum: f64,
    /// Contacts with a sentiment.
    pub sentiment_n: u32,
    /// Σ sentiment.
    pub sentiment_sum: f64,
    /// Contacts with sentiment < 0.
    pub sentiment_negative: u32,
}

impl LightAcc {
    /// Adds contact row `i`.
    #[inline]
    pub fn add(&mut self, r: &Rows<'_>, i: usize) {
        visit_row(r, i, self);
    }

    /// Adds these counts and sums to the matching parts of `a`. Only the [`LIGHT_KPIS`] of `a`
    /// are then right: its histogram buckets, sums of squares, cases and queue get nothing from
    /// here (percentiles, variances and case KPIs need the rows).
    pub fn merge_into(&self, a: &mut KpiAcc) {
        let mean = |n: u32, sum: f64| Mean {
            n: n as u64,
            sum,
            sum_sq: 0.0,
        };
        a.contacts += self.contacts as u64;
        a.csat.merge(&mean(self.csat_n, self.csat_sum));
        a.csat_satisfied += self.csat_satisfied as u64;
        a.nps.merge(&self.nps);
        a.ces.merge(&mean(self.ces_n, self.ces_sum));
        a.survey.add_parts(self.surveyed as f64, self.closed as f64);
        a.resolution
            .add_parts(self.resolved as f64, self.answered as f64);
        a.handle.mean.merge(&mean(self.handle_n, self.handle_sum));
        a.first_response
            .mean
            .merge(&mean(self.first_response_n, self.first_response_sum));
        a.sla.add_parts(self.sla_met as f64, self.sla_n as f64);
        a.abandoned += self.abandoned as u64;
        a.transfer
            .add_parts(self.transferred as f64, self.handled as f64);
        a.qa.merge(&mean(self.qa_n, self.qa_sum));
        a.bot += self.bot as u64;
        a.bot_contained += self.bot_contained as u64;
        a.handed_off += self.handed_off as u64;
        a.handoff
            .mean
            .merge(&mean(self.handoff_n, self.handoff_sum));
        a.cost += self.cost;
        a.revenue.merge(&mean(self.revenue_n, self.revenue_sum));
        a.sentiment
            .merge(&mean(self.sentiment_n, self.sentiment_sum));
        a.sentiment_negative += self.sentiment_negative as u64;
    }
}

impl Merge for LightAcc {
    fn merge(&mut self, o: &Self) {
        self.contacts += o.contacts;
        self.csat_n += o.csat_n;
        self.csat_sum += o.csat_sum;
        self.csat_satisfied += o.csat_satisfied;
        self.nps.merge(&o.nps);
        self.ces_n += o.ces_n;
        self.ces_sum += o.ces_sum;
        self.surveyed += o.surveyed;
        self.closed += o.closed;
        self.resolved += o.resolved;
        self.answered += o.answered;
        self.handle_n += o.handle_n;
        self.handle_sum += o.handle_sum;
        self.first_response_n += o.first_response_n;
        self.first_response_sum += o.first_response_sum;
        self.sla_met += o.sla_met;
        self.sla_n += o.sla_n;
        self.abandoned += o.abandoned;
        self.transferred += o.transferred;
        self.handled += o.handled;
        self.qa_n += o.qa_n;
        self.qa_sum += o.qa_sum;
        self.bot += o.bot;
        self.bot_contained += o.bot_contained;
        self.handed_off += o.handed_off;
        self.handoff_n += o.handoff_n;
        self.handoff_sum += o.handoff_sum;
        self.cost += o.cost;
        self.revenue_n += o.revenue_n;
        self.revenue_sum += o.revenue_sum;
        self.sentiment_n += o.sentiment_n;
        self.sentiment_sum += o.sentiment_sum;
        self.sentiment_negative += o.sentiment_negative;
    }
}

impl LightSink for LightAcc {
    #[inline(always)]
    fn contact(&mut self) {
        self.contacts += 1;
    }
    #[inline(always)]
    fn csat(&mut self, score: f64, satisfied: bool) {
        self.csat_n += 1;
        self.csat_sum += score;
        self.csat_satisfied += satisfied as u32;
    }
    #[inline(always)]
    fn nps(&mut self, score: u8) {
        self.nps.add(score);
    }
    #[inline(always)]
    fn ces(&mut self, score: f64) {
        self.ces_n += 1;
        self.ces_sum += score;
    }
    #[inline(always)]
    fn survey(&mut self, answered: bool) {
        self.closed += 1;
        self.surveyed += answered as u32;
    }
    #[inline(always)]
    fn resolution(&mut self, resolved: bool) {
        self.answered += 1;
        self.resolved += resolved as u32;
    }
    #[inline(always)]
    fn first_response(&mut self, seconds: f64) {
        self.first_response_n += 1;
        self.first_response_sum += seconds;
    }
    #[inline(always)]
    fn handle(&mut self, seconds: f64) {
        self.handle_n += 1;
        self.handle_sum += seconds;
    }
    #[inline(always)]
    fn sla(&mut self, met: bool) {
        self.sla_n += 1;
        self.sla_met += met as u32;
    }
    #[inline(always)]
    fn abandoned(&mut self) {
        self.abandoned += 1;
    }
    #[inline(always)]
    fn transfer(&mut self, transferred: bool) {
        self.handled += 1;
        self.transferred += transferred as u32;
    }
    #[inline(always)]
    fn qa(&mut self, score: f64) {
        self.qa_n += 1;
        self.qa_sum += score;
    }
    #[inline(always)]
    fn bot(&mut self, handed_off: bool, contained: bool) {
        self.bot += 1;
        self.handed_off += handed_off as u32;
        self.bot_contained += contained as u32;
    }
    #[inline(always)]
    fn handoff(&mut self, seconds: f64) {
        self.handoff_n += 1;
        self.handoff_sum += seconds;
    }
    #[inline(always)]
    fn cost(&mut self, cost: f64) {
        self.cost += cost;
    }
    #[inline(always)]
    fn revenue(&mut self, revenue: f64) {
        self.revenue_n += 1;
        self.revenue_sum += revenue;
    }
    #[inline(always)]
    fn sentiment(&mut self, sentiment: f64, negative: bool) {
        self.sentiment_n += 1;
        self.sentiment_sum += sentiment;
        self.sentiment_negative += negative as u32;
    }
}

impl LightSink for KpiAcc {
    #[inline(always)]
    fn contact(&mut self) {
        self.contacts += 1;
    }
    #[inline(always)]
    fn csat(&mut self, score: f64, satisfied: bool) {
        self.csat.add(score);
        self.csat_satisfied += satisfied as u64;
    }
    #[inline(always)]
    fn nps(&mut self, score: u8) {
        self.nps.add(score);
    }
    #[inline(always)]
    fn ces(&mut self, score: f64) {
        self.ces.add(score);
    }
    #[inline(always)]
    fn survey(&mut self, answered: bool) {
        self.survey.add(answered);
    }
    #[inline(always)]
    fn resolution(&mut self, resolved: bool) {
        self.resolution.add(resolved);
    }
    #[inline(always)]
    fn first_response(&mut self, seconds: f64) {
        self.first_response.add(seconds);
    }
    #[inline(always)]
    fn handle(&mut self, seconds: f64) {
        self.handle.add(seconds);
    }
    #[inline(always)]
    fn sla(&mut self, met: bool) {
        self.sla.add(met);
    }
    #[inline(always)]
    fn abandoned(&mut self) {
        self.abandoned += 1;
    }
    #[inline(always)]
    fn transfer(&mut self, transferred: bool) {
        self.transfer.add(transferred);
    }
    #[inline(always)]
    fn qa(&mut self, score: f64) {
        self.qa.add(score);
    }
    #[inline(always)]
    fn bot(&mut self, handed_off: bool, contained: bool) {
        self.bot += 1;
        self.handed_off += handed_off as u64;
        self.bot_contained += contained as u64;
    }
    #[inline(always)]
    fn handoff(&mut self, seconds: f64) {
        self.handoff.add(seconds);
    }
    #[inline(always)]
    fn cost(&mut self, cost: f64) {
        self.cost += cost;
    }
    #[inline(always)]
    fn revenue(&mut self, revenue: f64) {
        self.revenue.add(revenue);
    }
    #[inline(always)]
    fn sentiment(&mut self, sentiment: f64, negative: bool) {
        self.sentiment.add(sentiment);
        self.sentiment_negative += negative as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::kpi_value;

    #[test]
    fn light_ids_are_contact_kpis_of_the_catalog() {
        let ids: Vec<&str> = KpiAcc::default().values().iter().map(|(k, _)| *k).collect();
        for id in LIGHT_KPIS {
            assert!(ids.contains(&id), "{id}");
            assert!(crate::kpi::kpi(id).is_some(), "{id}");
        }
        assert!(!is_light("first_response_p90_s"));
        assert!(!is_light("fcr"));
        assert!(!is_light("queue_length"));
    }

    #[test]
    fn empty_light_acc_gives_the_empty_accumulators_values() {
        let mut a = KpiAcc::default();
        LightAcc::default().merge_into(&mut a);
        for id in LIGHT_KPIS {
            assert_eq!(kpi_value(&a, id), kpi_value(&KpiAcc::default(), id), "{id}");
        }
    }
}
