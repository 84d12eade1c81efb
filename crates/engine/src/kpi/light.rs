//! The light KPIs and their compact accumulator: the contact KPIs that are a count, or a ratio
//! of counts and sums over rows ([`LIGHT_KPIS`]), and [`LightAcc`], the few dozen counters and
//! sums they need. The engine keeps one `LightAcc` per day cell and local hour (see
//! [`crate::cells::HourCells`]), so that a heatmap of a light KPI merges small fixed-size
//! structs instead of scanning rows.
//!
//! This module also owns what one contact row contributes to those counters
//! (`visit_row`): [`KpiAcc::add`] and [`LightAcc::add`] both go through it, so the two cannot
//! disagree about which rows count. Values are never computed here: a `LightAcc` is merged into
//! a [`KpiAcc`] ([`LightAcc::merge_into`]) and read with the same code as every other
//! accumulator, restricted to the light ids.

use super::acc::{KpiAcc, Rows, QA_WEIGHTS};
use crate::measure::{Mean, Merge, Nps, NpsClass};
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
    /// A contact whose source does not say whether it was abandoned: outside the abandonment
    /// rate's denominator.
    fn abandonment_unknown(&mut self);
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
    if has(flag::ABANDON_UNKNOWN) {
        s.abandonment_unknown();
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

/// The integer type of a [`LightAcc`]'s counts: `u32`, or `u16` for groups known to hold
/// fewer than 65 536 contacts (every count is at most the number of contacts), which makes the
/// accumulator a third smaller. Sealed: only these two.
pub trait Count: sealed::Sealed + Copy + Default + PartialEq + std::fmt::Debug + Into<u64> {
    /// The largest count.
    const MAX: u64;
    /// `self + 1` when `hit`, saturating at [`Count::MAX`] (never reached where the engine
    /// uses it: see [`Count`]).
    fn plus(self, hit: bool) -> Self;
}

mod sealed {
    /// Restricts [`super::Count`] to `u16`, `u32` and `u64`.
    pub trait Sealed {}
    impl Sealed for u16 {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
}

impl Count for u16 {
    const MAX: u64 = u16::MAX as u64;
    #[inline(always)]
    fn plus(self, hit: bool) -> Self {
        self.saturating_add(hit as u16)
    }
}

impl Count for u32 {
    const MAX: u64 = u32::MAX as u64;
    #[inline(always)]
    fn plus(self, hit: bool) -> Self {
        self.saturating_add(hit as u32)
    }
}

/// Sums of many cell hours' counts ([`LightAcc::add_to`]): never saturates.
impl Count for u64 {
    const MAX: u64 = u64::MAX;
    #[inline(always)]
    fn plus(self, hit: bool) -> Self {
        self.saturating_add(hit as u64)
    }
}

/// Counts and sums of the [`LIGHT_KPIS`] of one group of contacts: `N` counts (one day cell's
/// hour: `u16` when it has fewer than 65 536 contacts), 64-bit float sums, no histograms, no
/// sums of squares, nothing per case, so it is `Copy` and 128 (`u16`) or 184 (`u32`) bytes.
/// Merge groups with [`LightAcc::merge_into`] a [`KpiAcc`], whose counts are 64-bit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LightAcc<N: Count = u32> {
    /// Contacts offered.
    pub contacts: N,
    /// CSAT answers.
    pub csat_n: N,
    /// Σ CSAT.
    pub csat_sum: f64,
    /// CSAT answers ≥ 4.
    pub csat_satisfied: N,
    /// NPS answers 9–10.
    pub nps_promoters: N,
    /// NPS answers 7–8.
    pub nps_passives: N,
    /// NPS answers 0–6.
    pub nps_detractors: N,
    /// CES answers.
    pub ces_n: N,
    /// Σ CES.
    pub ces_sum: f64,
    /// Closed contacts with a survey answer.
    pub surveyed: N,
    /// Closed contacts.
    pub closed: N,
    /// Answered contacts resolved.
    pub resolved: N,
    /// Answered contacts.
    pub answered: N,
    /// Contacts with a handling time.
    pub handle_n: N,
    /// Σ handling time.
    pub handle_sum: f64,
    /// Answered contacts with a first response wait.
    pub first_response_n: N,
    /// Σ first response wait.
    pub first_response_sum: f64,
    /// Answered within the SLA threshold.
    pub sla_met: N,
    /// Answered or abandoned.
    pub sla_n: N,
    /// Abandoned contacts.
    pub abandoned: N,
    /// Contacts whose source does not say whether they were abandoned.
    pub abandon_unknown: N,
    /// Handled contacts with a transfer.
    pub transferred: N,
    /// Handled contacts.
    pub handled: N,
    /// Evaluated contacts.
    pub qa_n: N,
    /// Σ weighted QA score.
    pub qa_sum: f64,
    /// Bot contacts.
    pub bot: N,
    /// Bot contacts resolved and not handed off.
    pub bot_contained: N,
    /// Bot contacts handed off.
    pub handed_off: N,
    /// Contacts with a bot handoff time.
    pub handoff_n: N,
    /// Σ bot handoff time.
    pub handoff_sum: f64,
    /// Σ cost.
    pub cost: f64,
    /// Contacts with revenue.
    pub revenue_n: N,
    /// Σ revenue.
    pub revenue_sum: f64,
    /// Contacts with a sentiment.
    pub sentiment_n: N,
    /// Σ sentiment.
    pub sentiment_sum: f64,
    /// Contacts with sentiment < 0.
    pub sentiment_negative: N,
}

impl<N: Count> LightAcc<N> {
    /// Adds contact row `i` (counts saturate at [`Count::MAX`]: see [`Count`]).
    #[inline]
    pub fn add(&mut self, r: &Rows<'_>, i: usize) {
        visit_row(r, i, self);
    }

    /// Adds these counts and sums to `o`'s, field by field: merging many cell hours into a
    /// 64-bit `LightAcc` first, then that into a [`KpiAcc`] once ([`LightAcc::merge_into`]),
    /// gives the same accumulator as merging each into the `KpiAcc` (the float sums add up in
    /// the same order, the counts are exact), at a fraction of the work.
    #[inline]
    pub fn add_to(&self, o: &mut LightAcc<u64>) {
        let n = |x: N| -> u64 { x.into() };
        o.contacts += n(self.contacts);
        o.csat_n += n(self.csat_n);
        o.csat_sum += self.csat_sum;
        o.csat_satisfied += n(self.csat_satisfied);
        o.nps_promoters += n(self.nps_promoters);
        o.nps_passives += n(self.nps_passives);
        o.nps_detractors += n(self.nps_detractors);
        o.ces_n += n(self.ces_n);
        o.ces_sum += self.ces_sum;
        o.surveyed += n(self.surveyed);
        o.closed += n(self.closed);
        o.resolved += n(self.resolved);
        o.answered += n(self.answered);
        o.handle_n += n(self.handle_n);
        o.handle_sum += self.handle_sum;
        o.first_response_n += n(self.first_response_n);
        o.first_response_sum += self.first_response_sum;
        o.sla_met += n(self.sla_met);
        o.sla_n += n(self.sla_n);
        o.abandoned += n(self.abandoned);
        o.abandon_unknown += n(self.abandon_unknown);
        o.transferred += n(self.transferred);
        o.handled += n(self.handled);
        o.qa_n += n(self.qa_n);
        o.qa_sum += self.qa_sum;
        o.bot += n(self.bot);
        o.bot_contained += n(self.bot_contained);
        o.handed_off += n(self.handed_off);
        o.handoff_n += n(self.handoff_n);
        o.handoff_sum += self.handoff_sum;
        o.cost += self.cost;
        o.revenue_n += n(self.revenue_n);
        o.revenue_sum += self.revenue_sum;
        o.sentiment_n += n(self.sentiment_n);
        o.sentiment_sum += self.sentiment_sum;
        o.sentiment_negative += n(self.sentiment_negative);
    }

    /// Adds these counts and sums to the matching parts of `a`. Only the [`LIGHT_KPIS`] of `a`
    /// are then right: its histogram buckets, sums of squares, cases and queue get nothing from
    /// here (percentiles, variances and case KPIs need the rows).
    pub fn merge_into(&self, a: &mut KpiAcc) {
        let n = |x: N| -> u64 { x.into() };
        let f = |x: N| -> f64 { n(x) as f64 };
        let mean = |x: N, sum: f64| Mean {
            n: n(x),
            sum,
            sum_sq: 0.0,
        };
        a.contacts += n(self.contacts);
        a.csat.merge(&mean(self.csat_n, self.csat_sum));
        a.csat_satisfied += n(self.csat_satisfied);
        a.nps.merge(&Nps {
            promoters: n(self.nps_promoters),
            passives: n(self.nps_passives),
            detractors: n(self.nps_detractors),
        });
        a.ces.merge(&mean(self.ces_n, self.ces_sum));
        a.survey.add_parts(f(self.surveyed), f(self.closed));
        a.resolution.add_parts(f(self.resolved), f(self.answered));
        a.handle.mean.merge(&mean(self.handle_n, self.handle_sum));
        a.first_response
            .mean
            .merge(&mean(self.first_response_n, self.first_response_sum));
        a.sla.add_parts(f(self.sla_met), f(self.sla_n));
        a.abandoned += n(self.abandoned);
        a.abandon_unknown += n(self.abandon_unknown);
        a.transfer.add_parts(f(self.transferred), f(self.handled));
        a.qa.merge(&mean(self.qa_n, self.qa_sum));
        a.bot += n(self.bot);
        a.bot_contained += n(self.bot_contained);
        a.handed_off += n(self.handed_off);
        a.handoff
            .mean
            .merge(&mean(self.handoff_n, self.handoff_sum));
        a.cost += self.cost;
        a.revenue.merge(&mean(self.revenue_n, self.revenue_sum));
        a.sentiment
            .merge(&mean(self.sentiment_n, self.sentiment_sum));
        a.sentiment_negative += n(self.sentiment_negative);
    }
}

impl<N: Count> LightSink for LightAcc<N> {
    #[inline(always)]
    fn contact(&mut self) {
        self.contacts = self.contacts.plus(true);
    }
    #[inline(always)]
    fn csat(&mut self, score: f64, satisfied: bool) {
        self.csat_n = self.csat_n.plus(true);
        self.csat_sum += score;
        self.csat_satisfied = self.csat_satisfied.plus(satisfied);
    }
    #[inline(always)]
    fn nps(&mut self, score: u8) {
        match NpsClass::of(score) {
            Some(NpsClass::Promoter) => self.nps_promoters = self.nps_promoters.plus(true),
            Some(NpsClass::Passive) => self.nps_passives = self.nps_passives.plus(true),
            Some(NpsClass::Detractor) => self.nps_detractors = self.nps_detractors.plus(true),
            None => {}
        }
    }
    #[inline(always)]
    fn ces(&mut self, score: f64) {
        self.ces_n = self.ces_n.plus(true);
        self.ces_sum += score;
    }
    #[inline(always)]
    fn survey(&mut self, answered: bool) {
        self.closed = self.closed.plus(true);
        self.surveyed = self.surveyed.plus(answered);
    }
    #[inline(always)]
    fn resolution(&mut self, resolved: bool) {
        self.answered = self.answered.plus(true);
        self.resolved = self.resolved.plus(resolved);
    }
    #[inline(always)]
    fn first_response(&mut self, seconds: f64) {
        self.first_response_n = self.first_response_n.plus(true);
        self.first_response_sum += seconds;
    }
    #[inline(always)]
    fn handle(&mut self, seconds: f64) {
        self.handle_n = self.handle_n.plus(true);
        self.handle_sum += seconds;
    }
    #[inline(always)]
    fn sla(&mut self, met: bool) {
        self.sla_n = self.sla_n.plus(true);
        self.sla_met = self.sla_met.plus(met);
    }
    #[inline(always)]
    fn abandoned(&mut self) {
        self.abandoned = self.abandoned.plus(true);
    }
    #[inline(always)]
    fn abandonment_unknown(&mut self) {
        self.abandon_unknown = self.abandon_unknown.plus(true);
    }
    #[inline(always)]
    fn transfer(&mut self, transferred: bool) {
        self.handled = self.handled.plus(true);
        self.transferred = self.transferred.plus(transferred);
    }
    #[inline(always)]
    fn qa(&mut self, score: f64) {
        self.qa_n = self.qa_n.plus(true);
        self.qa_sum += score;
    }
    #[inline(always)]
    fn bot(&mut self, handed_off: bool, contained: bool) {
        self.bot = self.bot.plus(true);
        self.handed_off = self.handed_off.plus(handed_off);
        self.bot_contained = self.bot_contained.plus(contained);
    }
    #[inline(always)]
    fn handoff(&mut self, seconds: f64) {
        self.handoff_n = self.handoff_n.plus(true);
        self.handoff_sum += seconds;
    }
    #[inline(always)]
    fn cost(&mut self, cost: f64) {
        self.cost += cost;
    }
    #[inline(always)]
    fn revenue(&mut self, revenue: f64) {
        self.revenue_n = self.revenue_n.plus(true);
        self.revenue_sum += revenue;
    }
    #[inline(always)]
    fn sentiment(&mut self, sentiment: f64, negative: bool) {
        self.sentiment_n = self.sentiment_n.plus(true);
        self.sentiment_sum += sentiment;
        self.sentiment_negative = self.sentiment_negative.plus(negative);
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
    fn abandonment_unknown(&mut self) {
        self.abandon_unknown += 1;
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
        let (mut a, mut b) = (KpiAcc::default(), KpiAcc::default());
        LightAcc::<u32>::default().merge_into(&mut a);
        LightAcc::<u16>::default().merge_into(&mut b);
        for id in LIGHT_KPIS {
            assert_eq!(kpi_value(&a, id), kpi_value(&KpiAcc::default(), id), "{id}");
            assert_eq!(kpi_value(&b, id), kpi_value(&KpiAcc::default(), id), "{id}");
        }
    }

    /// Merging cell hours into a 64-bit `LightAcc` first, then that into a `KpiAcc`, gives
    /// exactly (float sums bit for bit) the `KpiAcc` of merging each cell hour into it.
    #[test]
    fn adding_up_first_equals_merging_each() {
        let mut next = crate::test_rng::xorshift(3u64);
        for round in 0..50 {
            let mut direct = KpiAcc::default();
            let mut wide = LightAcc::<u64>::default();
            for _ in 0..next() % 40 {
                let mut c = |m: u64| (next() % m) as u16;
                let mut l = LightAcc::<u16> {
                    contacts: c(60_000),
                    csat_n: c(500),
                    csat_satisfied: c(300),
                    nps_promoters: c(90),
                    nps_passives: c(80),
                    nps_detractors: c(70),
                    ces_n: c(60),
                    surveyed: c(900),
                    closed: c(1000),
                    resolved: c(800),
                    answered: c(1200),
                    handle_n: c(1100),
                    first_response_n: c(1000),
                    sla_met: c(700),
                    sla_n: c(1300),
                    abandoned: c(100),
                    abandon_unknown: c(900),
                    transferred: c(50),
                    handled: c(1000),
                    qa_n: c(40),
                    bot: c(300),
                    bot_contained: c(200),
                    handed_off: c(90),
                    handoff_n: c(90),
                    revenue_n: c(30),
                    sentiment_n: c(400),
                    sentiment_negative: c(100),
                    ..Default::default()
                };
                let mut f = || (next() % 1_000_000) as f64 / 7.0;
                l.csat_sum = f();
                l.ces_sum = f();
                l.handle_sum = f();
                l.first_response_sum = f();
                l.qa_sum = f();
                l.handoff_sum = f();
                l.cost = f();
                l.revenue_sum = f();
                l.sentiment_sum = f() - 70_000.0;
                l.merge_into(&mut direct);
                l.add_to(&mut wide);
                // The 32-bit kind too.
                let w = LightAcc::<u32> {
                    contacts: 70_000 + l.contacts as u32,
                    cost: l.cost / 3.0,
                    ..Default::default()
                };
                w.merge_into(&mut direct);
                w.add_to(&mut wide);
            }
            let mut summed = KpiAcc::default();
            wide.merge_into(&mut summed);
            assert_eq!(summed, direct, "round {round}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(std::mem::size_of::<LightAcc<u16>>(), 128);
        assert_eq!(std::mem::size_of::<LightAcc<u32>>(), 184);
    }

    #[test]
    fn narrow_counts_saturate_instead_of_wrapping() {
        assert_eq!(u16::MAX.plus(true), u16::MAX);
        assert_eq!(7u16.plus(false), 7);
        assert_eq!(7u32.plus(true), 8);
    }
}
