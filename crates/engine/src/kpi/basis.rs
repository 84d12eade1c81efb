//! Which contacts a contact KPI is taken over: its denominator, or the contacts its mean or
//! percentile is of (CSAT's answered surveys, AHT's handled contacts). A drill-down that lists
//! "the contacts behind a number" lists these. The conditions are not restated here: a row is
//! run through [`visit_row`], the one definition the accumulators use, and the events it raises
//! say which KPIs it counts toward.

use super::acc::{in_queue, Rows};
use super::light::{visit_row, LightSink};

/// The contacts a KPI is taken over. Each variant is one event of [`visit_row`], except
/// [`Basis::Queue`] (the live queue depends on "now", not on the row alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Every contact: volume, cost and revenue per contact, and the case KPIs (whose cases are
    /// made of all the contacts).
    All,
    /// Contacts whose source says whether they were abandoned: the abandonment rate's
    /// denominator.
    AbandonKnown,
    /// Contacts with a CSAT answer.
    Csat,
    /// Contacts with an NPS answer.
    Nps,
    /// Contacts with a CES answer.
    Ces,
    /// Closed contacts (surveyed or not): the survey response rate's denominator.
    Closed,
    /// Answered contacts: the resolution rate's denominator.
    Answered,
    /// Answered contacts with a first response wait.
    FirstResponse,
    /// Contacts with a handling time.
    Handled,
    /// Answered or abandoned contacts: the SLA's denominator.
    AnsweredOrAbandoned,
    /// Answered or handled contacts: the transfer rate's denominator.
    Transferable,
    /// Contacts with a QA evaluation.
    Evaluated,
    /// Bot contacts.
    Bot,
    /// Contacts with a bot handoff time.
    Handoff,
    /// Contacts with a sentiment score.
    Sentiment,
    /// Contacts in the live queue at "now".
    Queue,
}

impl Basis {
    /// The basis of KPI `id`; [`Basis::All`] for the KPIs over every contact and for ids that
    /// are not contact KPIs.
    pub fn of(id: &str) -> Basis {
        match id {
            "csat" | "csat_satisfied" => Basis::Csat,
            "nps" => Basis::Nps,
            "ces" => Basis::Ces,
            "survey_response_rate" => Basis::Closed,
            "resolution_rate" => Basis::Answered,
            "first_response_mean_s" | "first_response_p50_s" | "first_response_p90_s" => {
                Basis::FirstResponse
            }
            "aht_s" => Basis::Handled,
            "sla" => Basis::AnsweredOrAbandoned,
            "transfer_rate" => Basis::Transferable,
            "qa_score" => Basis::Evaluated,
            "bot_containment" | "handoff_rate" => Basis::Bot,
            "handoff_mean_s" | "handoff_p90_s" => Basis::Handoff,
            "sentiment" | "sentiment_negative_share" => Basis::Sentiment,
            "queue_length" => Basis::Queue,
            "abandonment_rate" => Basis::AbandonKnown,
            _ => Basis::All,
        }
    }

    const fn bit(self) -> u32 {
        1 << self as u32
    }
}

impl Rows<'_> {
    /// Whether contact row `i` is one the KPIs of `basis` are taken over (the live queue at
    /// `now`; no "now": nobody is queued).
    pub fn takes_over(&self, basis: Basis, i: usize) -> bool {
        if basis == Basis::Queue {
            return self.now.is_some_and(|now| in_queue(self.contacts, i, now));
        }
        let mut t = Touched(0);
        visit_row(self, i, &mut t);
        t.0 & basis.bit() != 0
    }
}

/// The bases a row raised an event for, one bit per [`Basis`].
struct Touched(u32);

impl Touched {
    fn on(&mut self, b: Basis) {
        self.0 |= b.bit();
    }
}

impl LightSink for Touched {
    fn contact(&mut self) {
        self.on(Basis::All);
        self.on(Basis::AbandonKnown);
    }
    fn csat(&mut self, _: f64, _: bool) {
        self.on(Basis::Csat);
    }
    fn nps(&mut self, _: u8) {
        self.on(Basis::Nps);
    }
    fn ces(&mut self, _: f64) {
        self.on(Basis::Ces);
    }
    fn survey(&mut self, _: bool) {
        self.on(Basis::Closed);
    }
    fn resolution(&mut self, _: bool) {
        self.on(Basis::Answered);
    }
    fn first_response(&mut self, _: f64) {
        self.on(Basis::FirstResponse);
    }
    fn handle(&mut self, _: f64) {
        self.on(Basis::Handled);
    }
    fn sla(&mut self, _: bool) {
        self.on(Basis::AnsweredOrAbandoned);
    }
    // Cost and revenue per contact divide by every contact; abandonment by every contact whose
    // source says.
    fn abandoned(&mut self) {}
    fn abandonment_unknown(&mut self) {
        self.0 &= !Basis::AbandonKnown.bit();
    }
    fn transfer(&mut self, _: bool) {
        self.on(Basis::Transferable);
    }
    fn qa(&mut self, _: f64) {
        self.on(Basis::Evaluated);
    }
    fn bot(&mut self, _: bool, _: bool) {
        self.on(Basis::Bot);
    }
    fn handoff(&mut self, _: f64) {
        self.on(Basis::Handoff);
    }
    fn cost(&mut self, _: f64) {}
    fn revenue(&mut self, _: f64) {}
    fn sentiment(&mut self, _: f64, _: bool) {
        self.on(Basis::Sentiment);
    }
}

#[cfg(test)]
mod tests {
    use super::Basis;
    use crate::io::{load_bytes, LoadOptions};
    use crate::kpi::CATALOG;
    use crate::{Config, Engine, Query};

    /// Each KPI is taken over as many contacts as its accumulator's denominator (or the count
    /// its mean divides by), on the bundled demo data; and the live queue at a chosen "now"
    /// lists as many as the queue length says.
    #[test]
    fn a_basis_counts_what_its_accumulator_divides_by() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/data/demo.csv");
        let ds = load_bytes(
            "demo.csv",
            &std::fs::read(path).unwrap(),
            &LoadOptions::default(),
        )
        .unwrap();
        let e = Engine::new(ds, Config::default()).unwrap();
        let a = e.total_for(&Query::default(), &["contacts"]).unwrap();
        let n = e.dataset().contacts.len();
        let count = |kpi: &str, now: Option<i64>| {
            let r = e.rows(now);
            (0..n).filter(|&i| r.takes_over(Basis::of(kpi), i)).count() as f64
        };
        let cases = [
            ("contacts", a.contacts as f64),
            ("abandonment_rate", (a.contacts - a.abandon_unknown) as f64),
            ("csat", a.csat.n as f64),
            ("csat_satisfied", a.csat.n as f64),
            ("nps", a.nps.n() as f64),
            ("ces", a.ces.n as f64),
            ("survey_response_rate", a.survey.den),
            ("resolution_rate", a.resolution.den),
            ("first_response_mean_s", a.first_response.mean.n as f64),
            ("first_response_p90_s", a.first_response.mean.n as f64),
            ("aht_s", a.handle.mean.n as f64),
            ("sla", a.sla.den),
            ("transfer_rate", a.transfer.den),
            ("qa_score", a.qa.n as f64),
            ("bot_containment", a.bot as f64),
            ("handoff_rate", a.bot as f64),
            ("handoff_mean_s", a.handoff.mean.n as f64),
            ("sentiment", a.sentiment.n as f64),
            ("sentiment_negative_share", a.sentiment.n as f64),
        ];
        for (kpi, want) in cases {
            assert!(want > 0.0, "{kpi}: the demo data has some");
            assert_eq!(count(kpi, None), want, "{kpi}");
        }
        // The queue: one second after a contact that waited arrived, when it (at least) is
        // still waiting; without a "now", nobody.
        let c = &e.dataset().contacts;
        let now = (0..n)
            .find(|&i| {
                !c.has(i, crate::model::flag::ABANDONED)
                    && c.first_response.get(i).is_some_and(|w| w >= 2.0)
            })
            .map(|i| c.arrived[i] + 1)
            .expect("a contact that waited");
        let q = Query {
            now: Some(now),
            ..Query::default()
        };
        let queued = e.total_for(&q, &["queue_length"]).unwrap().queue.unwrap();
        assert!(queued > 0);
        assert_eq!(count("queue_length", Some(now)), queued as f64);
        assert_eq!(count("queue_length", None), 0.0);
        // Every catalog id has a basis; the case KPIs list every contact.
        for k in CATALOG {
            let _ = Basis::of(k.id);
        }
        assert_eq!(Basis::of("fcr"), Basis::All);
    }
}
