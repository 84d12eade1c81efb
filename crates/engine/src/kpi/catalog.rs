//! The KPI catalog: every KPI's stable id, name, unit, better direction, default bands, tier,
//! source table and the one-line formula shown to users. Mirrors `shared/kpi-catalog.md`.

use super::bands::Bands;
use serde::{Deserialize, Serialize};

/// How a value is expressed in machine output (and formatted on screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A count.
    Count,
    /// A fraction 0..1 (shown as % with one decimal).
    Rate,
    /// Seconds (shown as m:ss or h:mm:ss).
    Seconds,
    /// Money in the configured currency.
    Money,
    /// CSAT score 1–5.
    Csat,
    /// NPS points −100..100.
    Nps,
    /// CES score 1–7.
    Ces,
    /// QA score 0–100.
    Qa,
    /// Sentiment −1..1.
    Sentiment,
    /// A plain ratio (per case, per visit).
    Ratio,
}

/// Which direction is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
    /// A target range is best (occupancy).
    Range,
    /// Neither: read in context.
    Context,
}

/// The tier a KPI is shown under by default (users can re-tier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// CSAT, NPS, CES.
    NorthStar,
    /// FCR, ART, churn/retention, cost per resolution.
    Strategic,
    /// Journey completion, recurring customers.
    Insightful,
    /// Sentiment.
    Social,
    /// Queue and service-level operations.
    Operational,
    /// Agent workforce.
    Agent,
    /// Cross-channel journeys.
    Omnichannel,
    /// Bots and IVR.
    Automation,
    /// Money.
    Financial,
    /// Systems.
    Technical,
    /// Website.
    Web,
}

/// Which table a KPI is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Contact rows.
    Contacts,
    /// Case outcomes, attributed to the case's first contact.
    Cases,
    /// The `agents` table.
    Agents,
    /// The `daily` table.
    Daily,
}

/// One catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KpiDef {
    /// Stable snake_case id.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Unit.
    pub unit: Unit,
    /// Better direction.
    pub better: Better,
    /// Default bands.
    pub bands: Bands,
    /// Default tier.
    pub tier: Tier,
    /// Source table.
    pub source: Source,
    /// The formula in one line, for users.
    pub formula: &'static str,
}

const NO: Bands = Bands::new(None, None);

// One catalog row per call: the arguments are the row's columns, in table order.
#[allow(clippy::too_many_arguments)]
const fn k(
    id: &'static str,
    name: &'static str,
    unit: Unit,
    better: Better,
    bands: Bands,
    tier: Tier,
    source: Source,
    formula: &'static str,
) -> KpiDef {
    KpiDef {
        id,
        name,
        unit,
        better,
        bands,
        tier,
        source,
        formula,
    }
}

use Better::*;
use Source::{Agents, Cases, Contacts, Daily};
use Tier::*;
use Unit::*;

/// Every KPI of the catalog, in catalog order.
pub const CATALOG: &[KpiDef] = &[
    k("contacts", "Contacts offered", Count, Context, NO, Operational, Contacts, "count of contacts"),
    k("csat", "CSAT", Csat, Higher, Bands::new(Some(4.2), Some(3.8)), NorthStar, Contacts, "mean of csat answers (1–5)"),
    k("csat_satisfied", "CSAT % satisfied", Rate, Higher, NO, NorthStar, Contacts, "answers ≥ 4 / answers"),
    k("nps", "NPS", Nps, Higher, Bands::new(Some(50.0), Some(0.0)), NorthStar, Contacts, "% promoters (9–10) − % detractors (0–6)"),
    k("ces", "CES", Ces, Lower, Bands::new(Some(2.0), None), NorthStar, Contacts, "mean of ces answers (1 = very easy)"),
    k("survey_response_rate", "Survey response rate", Rate, Higher, NO, Operational, Contacts, "closed contacts with any survey answer / closed contacts"),
    k("fcr", "First contact resolution", Rate, Higher, NO, Strategic, Cases, "resolved cases with exactly one contact / resolved cases"),
    k("resolution_rate", "Resolution rate", Rate, Higher, NO, Operational, Contacts, "answered contacts flagged resolved / answered contacts"),
    k("aht_s", "Average handle time", Seconds, Context, NO, Operational, Contacts, "Σ handle_s / contacts with handle_s"),
    k("aht_case_s", "Handle time per case", Seconds, Context, NO, Omnichannel, Cases, "Σ handle_s over each case / cases with handle_s"),
    k("first_response_mean_s", "First response time (mean)", Seconds, Lower, NO, Operational, Contacts, "mean of first_response_s over answered contacts"),
    k("first_response_p50_s", "First response time (median)", Seconds, Lower, NO, Operational, Contacts, "median of first_response_s"),
    k("first_response_p90_s", "First response time (p90)", Seconds, Lower, NO, Operational, Contacts, "90th percentile of first_response_s"),
    k("art_s", "Average resolution time", Seconds, Lower, NO, Strategic, Cases, "mean over resolved cases of resolving contact's close − case's first arrival"),
    k("sla", "SLA compliance", Rate, Higher, Bands::new(Some(0.80), Some(0.70)), Operational, Contacts, "answered within the channel's threshold / (answered + abandoned)"),
    k("abandonment_rate", "Abandonment rate", Rate, Lower, NO, Operational, Contacts, "abandoned / offered"),
    k("queue_length", "Queue length", Count, Lower, NO, Operational, Contacts, "contacts arrived, not answered, not abandoned, not closed at now"),
    k("transfer_rate", "Transfer rate", Rate, Lower, NO, Operational, Contacts, "handled contacts with transfers > 0 / handled contacts"),
    k("occupancy", "Occupancy", Rate, Range, Bands { good: None, bad: Some(0.65), low: Some(0.70), high: Some(0.85), bad_high: Some(0.90) }, Agent, Agents, "Σ handling_s / Σ staffed_s"),
    k("utilization", "Utilization", Rate, Higher, NO, Agent, Agents, "Σ staffed_s / Σ scheduled_s"),
    k("adherence", "Schedule adherence", Rate, Higher, Bands::new(Some(0.90), None), Agent, Agents, "Σ adherent_s / Σ scheduled_s"),
    k("qa_score", "QA score", Qa, Higher, NO, Agent, Contacts, "mean over evaluated contacts of 0.30·accuracy + 0.25·professionalism + 0.25·problem solving + 0.20·compliance"),
    k("turnover", "Employee turnover", Rate, Lower, NO, Agent, Daily, "Σ leavers / mean headcount (daily table; else agents' left_on)"),
    k("migration_rate", "Channel migration rate", Rate, Lower, Bands::new(Some(0.30), None), Omnichannel, Cases, "cases that used more than one channel / cases"),
    k("switches_per_case", "Channel switching frequency", Ratio, Lower, NO, Omnichannel, Cases, "channel changes between consecutive contacts / cases"),
    k("journey_completion", "Journey completion rate", Rate, Higher, NO, Insightful, Cases, "resolved cases / cases"),
    k("cross_channel_resolution", "Resolution across channels", Rate, Higher, NO, Omnichannel, Cases, "switched cases resolved at a contact right after a switch / switched cases"),
    k("recurring_customer_rate", "Recurring customer rate", Rate, Context, NO, Insightful, Cases, "customers with more than one case / customers with a case"),
    k("bot_containment", "Bot containment", Rate, Higher, Bands::new(Some(0.60), None), Automation, Contacts, "bot contacts resolved and not handed off / bot contacts"),
    k("handoff_rate", "Handoff rate", Rate, Context, NO, Automation, Contacts, "handed-off contacts / bot contacts"),
    k("handoff_mean_s", "Handoff time (mean)", Seconds, Lower, Bands::new(Some(30.0), None), Automation, Contacts, "mean of handoff_s"),
    k("handoff_p90_s", "Handoff time (p90)", Seconds, Lower, Bands::new(Some(30.0), None), Automation, Contacts, "90th percentile of handoff_s"),
    k("cost_per_contact", "Cost per contact", Money, Lower, NO, Financial, Contacts, "Σ cost (else the channel's rate) / contacts"),
    k("cost_per_resolution", "Cost per resolution", Money, Lower, NO, Strategic, Cases, "Σ cost of the cases' contacts / resolved cases"),
    k("revenue_per_contact", "Revenue per contact", Money, Higher, NO, Financial, Contacts, "Σ revenue / contacts"),
    k("retention", "Retention rate", Rate, Higher, NO, Strategic, Daily, "(customers_end of last day − Σ customers_new) / customers_start of first day"),
    k("churn", "Churn rate", Rate, Lower, NO, Strategic, Daily, "1 − retention"),
    k("acquisition", "Acquisition rate", Rate, Higher, NO, Strategic, Daily, "Σ customers_new / customers_start of first day"),
    k("checkout_abandonment", "Checkout abandonment", Rate, Lower, Bands::new(Some(0.60), Some(0.70)), Web, Daily, "Σ checkouts_abandoned / Σ checkouts_started"),
    k("web_conversion", "Web conversion", Rate, Higher, NO, Web, Daily, "Σ web_conversions / Σ web_visits"),
    k("pages_per_visit", "Pages per visit", Ratio, Higher, NO, Web, Daily, "Σ web_page_views / Σ web_visits"),
    k("time_on_site_s", "Time on site", Seconds, Higher, NO, Web, Daily, "Σ web_time_on_site_s / Σ web_visits"),
    k("uptime", "System uptime", Rate, Higher, NO, Technical, Daily, "Σ uptime_s / (Σ uptime_s + Σ downtime_s)"),
    k("integration_success", "Integration success", Rate, Higher, NO, Technical, Daily, "Σ integrations_ok / (Σ ok + Σ failed)"),
    k("sync_accuracy", "Data sync accuracy", Rate, Higher, NO, Technical, Daily, "1 − Σ sync_mismatched / Σ sync_checked"),
    k("sentiment", "Sentiment", Sentiment, Higher, NO, Social, Contacts, "mean of sentiment (−1..1)"),
    k("sentiment_negative_share", "Negative sentiment share", Rate, Lower, NO, Social, Contacts, "contacts with sentiment < 0 / contacts with sentiment"),
];

/// Number of catalog KPIs.
pub const KPI_COUNT: usize = CATALOG.len();

/// KPI values by catalog position ([`index_of`]); `None` is "no data". The accumulators write
/// their KPIs here at positions fixed at compile time, so a report reads every KPI of a group
/// without looking ids up.
pub type KpiArray = [Option<f64>; KPI_COUNT];

/// The catalog position of `id`. In a constant (`const { index_of("csat") }`) an unknown id is a
/// compile error; at run time it panics, so call it only in constants.
pub const fn index_of(id: &str) -> usize {
    let mut i = 0;
    while i < CATALOG.len() {
        let (a, b) = (CATALOG[i].id.as_bytes(), id.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("not a catalog KPI id")
}

/// The catalog entry of `id`.
pub fn kpi(id: &str) -> Option<&'static KpiDef> {
    CATALOG.iter().find(|k| k.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_has_every_id_of_the_spec_once() {
        let spec = "contacts csat csat_satisfied nps ces survey_response_rate fcr resolution_rate \
            aht_s aht_case_s first_response_mean_s first_response_p50_s first_response_p90_s art_s \
            sla abandonment_rate queue_length transfer_rate occupancy utilization adherence qa_score \
            turnover migration_rate switches_per_case journey_completion cross_channel_resolution \
            recurring_customer_rate bot_containment handoff_rate handoff_mean_s handoff_p90_s \
            cost_per_contact cost_per_resolution revenue_per_contact retention churn acquisition \
            checkout_abandonment web_conversion pages_per_visit time_on_site_s uptime \
            integration_success sync_accuracy sentiment sentiment_negative_share";
        let ids: Vec<&str> = spec.split_whitespace().collect();
        assert_eq!(ids.len(), CATALOG.len());
        for id in ids {
            assert!(kpi(id).is_some(), "{id} missing");
        }
        let mut all: Vec<&str> = CATALOG.iter().map(|k| k.id).collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), CATALOG.len());
    }

    #[test]
    fn index_of_is_the_catalog_position() {
        for (i, k) in CATALOG.iter().enumerate() {
            assert_eq!(index_of(k.id), i);
        }
        assert_eq!(const { index_of("contacts") }, 0);
        assert!(std::panic::catch_unwind(|| index_of("nope")).is_err());
    }
}
