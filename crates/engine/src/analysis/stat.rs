//! The sufficient statistics of one KPI inside an accumulator: a proportion (hits of trials),
//! a mean (count, sum, sum of squares) or a plain ratio of sums. Tests and driver analysis work
//! from these, so they apply to every contact and case KPI without special cases.

use crate::kpi::KpiAcc;
use crate::measure::Mean;

/// Sufficient statistics of a KPI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stat {
    /// `hits / trials`, each trial a yes/no.
    Proportion {
        /// Hits.
        hits: f64,
        /// Trials.
        trials: f64,
    },
    /// A mean of observations.
    Mean(Mean),
    /// A ratio of two sums (cost per contact, switches per case): no per-trial variance.
    Ratio {
        /// Numerator.
        num: f64,
        /// Denominator.
        den: f64,
    },
}

impl Stat {
    /// Numerator and denominator: the KPI is `num / den` (means: Σx / n).
    pub fn parts(&self) -> (f64, f64) {
        match *self {
            Stat::Proportion { hits, trials } => (hits, trials),
            Stat::Mean(m) => (m.sum, m.n as f64),
            Stat::Ratio { num, den } => (num, den),
        }
    }

    /// The KPI value, `None` for an empty denominator.
    pub fn value(&self) -> Option<f64> {
        let (n, d) = self.parts();
        (d != 0.0).then(|| n / d)
    }
}

fn p(hits: u64, trials: u64) -> Stat {
    Stat::Proportion {
        hits: hits as f64,
        trials: trials as f64,
    }
}

fn r(x: crate::measure::Ratio) -> Stat {
    Stat::Proportion {
        hits: x.num,
        trials: x.den,
    }
}

/// The statistics of contact or case KPI `id` in `a`; `None` for KPIs that are not a ratio of
/// sums over rows (percentiles, the live queue, agent and daily KPIs).
pub fn stat(a: &KpiAcc, id: &str) -> Option<Stat> {
    let c = &a.cases;
    Some(match id {
        "csat" => Stat::Mean(a.csat),
        "csat_satisfied" => p(a.csat_satisfied, a.csat.n),
        "nps" => {
            // Each answer scores +100 (promoter), 0 or −100 (detractor); NPS is their mean.
            let (pr, de) = (a.nps.promoters as f64, a.nps.detractors as f64);
            Stat::Mean(Mean {
                n: a.nps.n(),
                sum: 100.0 * (pr - de),
                sum_sq: 10_000.0 * (pr + de),
            })
        }
        "ces" => Stat::Mean(a.ces),
        "survey_response_rate" => r(a.survey),
        "resolution_rate" => r(a.resolution),
        "aht_s" => Stat::Mean(a.handle.mean),
        "first_response_mean_s" => Stat::Mean(a.first_response.mean),
        "sla" => r(a.sla),
        // Over the contacts whose source says whether they were abandoned, as the KPI is.
        "abandonment_rate" => p(a.abandoned, a.abandon_known()),
        "transfer_rate" => r(a.transfer),
        "qa_score" => Stat::Mean(a.qa),
        "bot_containment" => p(a.bot_contained, a.bot),
        "handoff_rate" => p(a.handed_off, a.bot),
        "handoff_mean_s" => Stat::Mean(a.handoff.mean),
        "cost_per_contact" => Stat::Ratio {
            num: a.cost,
            den: a.contacts as f64,
        },
        "revenue_per_contact" if a.revenue.n > 0 => Stat::Ratio {
            num: a.revenue.sum,
            den: a.contacts as f64,
        },
        "sentiment" => Stat::Mean(a.sentiment),
        "sentiment_negative_share" => p(a.sentiment_negative, a.sentiment.n),
        "fcr" => p(c.fcr, c.resolved),
        "aht_case_s" => Stat::Mean(c.handle.mean),
        "art_s" => Stat::Mean(c.resolution.mean),
        "migration_rate" => p(c.migrated, c.cases),
        "switches_per_case" => Stat::Ratio {
            num: c.switches as f64,
            den: c.cases as f64,
        },
        "journey_completion" => p(c.resolved, c.cases),
        "cross_channel_resolution" => p(c.cross_resolved, c.switched),
        "recurring_customer_rate" => p(c.customers.repeated(), c.customers.distinct()),
        "cost_per_resolution" => Stat::Ratio {
            num: c.cost,
            den: c.resolved as f64,
        },
        "contacts" => Stat::Ratio {
            num: a.contacts as f64,
            den: 1.0,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::stat;
    use crate::analysis::kpi_value;
    use crate::kpi::KpiAcc;

    /// Every KPI with statistics has the value the accumulator reports, so the tests and the
    /// driver analysis ("what moved") are of the number the tile shows; here with contacts whose
    /// abandonment is unknown, which the abandonment rate leaves out.
    #[test]
    fn a_stat_is_of_the_kpis_own_value() {
        let mut a = KpiAcc {
            contacts: 40,
            abandoned: 3,
            abandon_unknown: 10,
            csat_satisfied: 4,
            bot: 6,
            bot_contained: 2,
            handed_off: 3,
            cost: 123.5,
            sentiment_negative: 1,
            ..Default::default()
        };
        for k in 0..7u32 {
            a.csat.add((1 + k % 5) as f64);
            a.nps.add((k * 2 % 11) as u8);
            a.ces.add((1 + k % 7) as f64);
            a.survey.add(k % 2 == 0);
            a.resolution.add(k % 3 != 0);
            a.handle.add(100.0 + k as f64 * 7.0);
            a.first_response.add(10.0 + k as f64);
            a.sla.add(k % 4 != 0);
            a.transfer.add(k % 5 == 0);
            a.qa.add(70.0 + k as f64);
            a.handoff.add(20.0 + k as f64);
            a.revenue.add(50.0 + k as f64);
            a.sentiment.add(k as f64 / 10.0 - 0.3);
        }
        let mut checked = 0;
        for (id, want) in a.values() {
            let Some(s) = stat(&a, id) else { continue };
            let got = s.value();
            let same = match (got, want) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * y.abs().max(1.0),
                (x, y) => x == y,
            };
            assert!(same, "{id}: stat {got:?}, KPI {want:?}");
            checked += 1;
        }
        assert!(checked >= 20, "{checked}");
        assert_eq!(
            stat(&a, "abandonment_rate").and_then(|s| s.value()),
            Some(3.0 / 30.0)
        );
        // None known: no data from either.
        a.abandon_unknown = 40;
        assert_eq!(stat(&a, "abandonment_rate").and_then(|s| s.value()), None);
        assert_eq!(kpi_value(&a, "abandonment_rate"), None);
    }
}
