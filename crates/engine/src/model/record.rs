//! Reading one contact back out of the columns, as a [`ContactRecord`] (for exports, the
//! rejected-rows view, round-trip tests).

use super::contacts::{flag, ContactRecord, Contacts, STANDARD_DIMS};

impl Contacts {
    /// Row `i` as a record (`None` when out of range). Durations and money come back as stored
    /// (`f32` precision); `case_id` is `None` for contacts that were their own case.
    pub fn record(&self, i: usize) -> Option<ContactRecord> {
        if i >= self.len() {
            return None;
        }
        let f64_of = |c: &super::OptF32| c.get(i).map(f64::from);
        let qa = |k: usize| self.qa[k].get(i).map(f64::from);
        let dim = |k: usize| {
            self.dims
                .get(k)
                .map(|d| d.value(i))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let arrived_at = self.arrived[i];
        let case_name = self.case_name(self.case[i] as usize);
        Some(ContactRecord {
            id: self.ids.get(i),
            case_id: (!case_name.is_empty()).then_some(case_name),
            customer_id: dim(super::CUSTOMER_DIM),
            channel: Some(self.channel[i]),
            arrived_at,
            first_response_s: f64_of(&self.first_response),
            abandoned: self.has(i, flag::ABANDONED),
            abandoned_unknown: self.has(i, flag::ABANDON_UNKNOWN),
            handle_s: f64_of(&self.handle),
            closed_at: self.close_after.get(i).map(|d| arrived_at + d as i64),
            resolved: self.has(i, flag::RESOLVED),
            agent_id: dim(0),
            team: dim(1),
            topic: dim(2),
            segment: dim(3),
            region: dim(4),
            priority: dim(5),
            bot: self.has(i, flag::BOT),
            handed_off: self.has(i, flag::HANDED_OFF),
            handoff_s: f64_of(&self.handoff),
            transfers: self.transfers[i] as u32,
            cost: f64_of(&self.cost),
            revenue: f64_of(&self.revenue),
            csat: self.csat.get(i),
            nps: self.nps.get(i),
            ces: self.ces.get(i),
            sentiment: f64_of(&self.sentiment),
            qa_accuracy: qa(0),
            qa_professionalism: qa(1),
            qa_problem_solving: qa(2),
            qa_compliance: qa(3),
            extra: self
                .dims
                .iter()
                .skip(STANDARD_DIMS.len())
                .filter(|d| !d.value(i).is_empty())
                .map(|d| (d.name.clone(), d.value(i).to_string()))
                .collect(),
        })
    }
}
