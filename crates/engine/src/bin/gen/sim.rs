//! The simulation of cases: a first contact on some channel, bot or IVR first where the
//! channel has one, a wait that grows with load, abandonment, handling, resolution, surveys
//! that follow wait and resolution, and follow-up contacts (often on another channel) for
//! what was not resolved.

use crate::calendar::Calendar;
use crate::profile::{weights, Profile, PRIORITIES, PROFILES, REGIONS, SEGMENTS, TOPICS};
use crate::rng::Rng;
use crate::staff::{team_of, Staff};
use omnikpi_engine::io::values::local_to_utc;
use omnikpi_engine::{Channel, ContactRecord};

/// Simulation state shared by all cases.
pub struct Sim<'a> {
    /// The calendar.
    pub cal: &'a Calendar,
    /// Time zone of the contact center.
    pub tz: omnikpi_engine::zone::Zone,
    /// Agents.
    pub staff: Staff,
    /// Number of customers.
    pub customers: usize,
    /// Contacts emitted.
    pub contacts: u64,
    /// Cases started.
    pub cases: u64,
    /// Cases that used more than one channel.
    pub multi_channel: u64,
    /// Hour weights per channel, weekday (0) and weekend (1).
    hours: Vec<[[f64; 24]; 2]>,
}

/// Local calendar day (days since the epoch), hour and weekday (Monday 0) of a Unix time.
fn local(t: i64, tz: &omnikpi_engine::zone::Zone) -> (i32, u32, usize) {
    use chrono::{Datelike, TimeZone, Timelike};
    match tz.timestamp_opt(t, 0).single() {
        Some(d) => {
            let day = d.naive_local().and_utc().timestamp().div_euclid(86_400) as i32;
            (day, d.hour(), d.weekday().num_days_from_monday() as usize)
        }
        None => (t.div_euclid(86_400) as i32, 0, 0),
    }
}

/// Seconds from local time `t` until the contact center next opens (0 when open: weekdays
/// 08:00–18:00).
fn until_open(t: i64, tz: &omnikpi_engine::zone::Zone) -> f64 {
    let mut s = 0i64;
    loop {
        let (_, h, wd) = local(t + s, tz);
        if wd < 5 && (8..18).contains(&h) {
            return s as f64;
        }
        s += 3600;
        if s > 4 * 86_400 {
            return s as f64;
        }
    }
}

impl<'a> Sim<'a> {
    /// A simulation over `cal`.
    pub fn new(
        cal: &'a Calendar,
        tz: omnikpi_engine::zone::Zone,
        staff: Staff,
        customers: usize,
    ) -> Sim<'a> {
        let hours = PROFILES
            .iter()
            .map(|p| [cal.hours(p.channel, 0), cal.hours(p.channel, 6)])
            .collect();
        Sim {
            cal,
            tz,
            staff,
            customers,
            contacts: 0,
            cases: 0,
            multi_channel: 0,
            hours,
        }
    }

    /// Simulates the cases starting on `day` (about `n` of them), emitting every contact.
    pub fn day(&mut self, day: i32, n: u64, rng: &mut Rng, emit: &mut dyn FnMut(&ContactRecord)) {
        let share: Vec<f64> = PROFILES.iter().map(|p| p.share).collect();
        let weekend = usize::from(crate::calendar::weekday(day) >= 5);
        for _ in 0..n {
            let mut ch = rng.weighted(&share);
            let hour = rng.weighted(&self.hours[ch][weekend]) as u32;
            // During the outage voice and chat are down: many customers write instead.
            if self.cal.in_outage(day, hour)
                && matches!(PROFILES[ch].channel, Channel::Voice | Channel::Chat)
                && rng.chance(0.5)
            {
                ch = if rng.chance(0.6) { 2 } else { 3 };
            }
            let secs = hour as i64 * 3600 + rng.below(3600) as i64;
            let naive = chrono::DateTime::from_timestamp(day as i64 * 86_400 + secs, 0)
                .map(|d| d.naive_utc())
                .unwrap_or_default();
            let t = local_to_utc(naive, &self.tz).unwrap_or(day as i64 * 86_400 + secs);
            self.case(t, ch, rng, emit);
        }
    }

    fn case(
        &mut self,
        start: i64,
        first: usize,
        rng: &mut Rng,
        emit: &mut dyn FnMut(&ContactRecord),
    ) {
        self.cases += 1;
        let case_id = format!("K{:08}", self.cases);
        let u = rng.f();
        let customer = format!("U{:06}", ((u * u) * self.customers as f64) as usize + 1);
        let (day, _, _) = local(start, &self.tz);
        let mut tw = weights(&TOPICS.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>());
        if day == self.cal.spike_day || day == self.cal.spike_day + 1 {
            tw[0] *= 8.0;
        }
        let topic = rng.weighted(&tw);
        let segment = SEGMENTS[rng.weighted(&weights(&SEGMENTS))].0;
        let region = REGIONS[rng.weighted(&weights(&REGIONS))].0;
        let priority = PRIORITIES[rng.weighted(&weights(&PRIORITIES))].0;
        let (mut t, mut ch) = (start, first);
        let mut channels = vec![ch];
        for step in 0..4 {
            let mut r = self.contact(t, &PROFILES[ch], topic, rng);
            r.case_id = Some(case_id.clone());
            r.customer_id = Some(customer.clone());
            r.topic = Some(TOPICS[topic].0.into());
            r.segment = Some(segment.into());
            r.region = Some(region.into());
            r.priority = Some(priority.into());
            let end = r.closed_at.unwrap_or(t);
            let resolved = r.resolved;
            self.contacts += 1;
            r.id = format!("C{:08}", self.contacts);
            emit(&r);
            if resolved || step == 3 || !rng.chance(0.85) {
                break;
            }
            // Follow up: later the same day, or within a few days, often on another channel.
            t = end
                + if rng.chance(0.5) {
                    1800 + rng.below(5 * 3600) as i64
                } else {
                    86_400 + rng.below(3 * 86_400) as i64
                };
            if local(t, &self.tz).0 >= self.cal.start + self.cal.days {
                break;
            }
            if rng.chance(0.8) {
                let share: Vec<f64> = PROFILES
                    .iter()
                    .enumerate()
                    .map(|(k, p)| if k == ch { 0.0 } else { p.share })
                    .collect();
                ch = rng.weighted(&share);
            }
            if !channels.contains(&ch) {
                channels.push(ch);
            }
        }
        if channels.len() > 1 {
            self.multi_channel += 1;
        }
    }

    fn contact(&mut self, t: i64, p: &Profile, topic: usize, rng: &mut Rng) -> ContactRecord {
        let (day, hour, _) = local(t, &self.tz);
        let mut r = ContactRecord {
            channel: Some(p.channel),
            arrived_at: t,
            ..Default::default()
        };
        let load = self.cal.volume(day).max(0.3);
        // Bot or IVR first.
        let mut delay = 0.0;
        if rng.chance(p.bot) {
            r.bot = true;
            let bot_time = rng.lognormal(90.0, 0.5).round();
            if rng.chance(0.70) {
                r.resolved = rng.chance(0.9);
                r.closed_at = Some(t + bot_time as i64);
                self.survey(&mut r, p, 0.0, rng);
                return r;
            }
            r.handed_off = true;
            r.handoff_s = Some(rng.lognormal(22.0, 0.6).round().clamp(2.0, 600.0));
            delay = bot_time;
        }
        let mut wait = rng.lognormal(p.wait, 0.8) * load.powf(1.6);
        if p.queues_overnight {
            wait += until_open(t + wait as i64, &self.tz);
        }
        let outage = self.cal.in_outage(day, hour) && p.patience.is_some();
        if outage {
            wait += rng.lognormal(900.0, 0.5);
        }
        let wait = (wait + r.handoff_s.unwrap_or(0.0))
            .round()
            .min(20.0 * 86_400.0);
        // Queued for the channel's team: an abandoned contact belongs to the team it waited
        // for (a team's abandonment rate needs them), and an agent who takes it sets their own.
        r.team = Some(crate::staff::TEAMS[team_of(p.channel)].into());
        if let Some(patience) = p.patience {
            let patience = rng.exp(patience);
            if patience < wait {
                r.abandoned = true;
                r.closed_at = Some(t + (delay + patience).round() as i64);
                return r;
            }
        }
        r.first_response_s = Some(wait);
        let transfers = rng.weighted(&[88.0, 10.0, 2.0]) as u32;
        r.transfers = transfers;
        let handle = (rng.lognormal(p.handle, 0.5) * (1.0 + 0.35 * transfers as f64))
            .round()
            .clamp(20.0, 4.0 * 3600.0);
        r.handle_s = Some(handle);
        r.closed_at = Some(t + (delay + wait + handle).round() as i64);
        if let Some(a) = self.staff.assign(team_of(p.channel), day, handle, rng) {
            r.agent_id = Some(self.staff.agents[a].id.clone());
            r.team = Some(crate::staff::TEAMS[self.staff.agents[a].team].into());
        }
        let slow = (wait / (p.wait * 2.0) - 1.0).clamp(0.0, 2.0);
        let p_resolve = 0.78 - TOPICS[topic].2 - 0.12 * transfers as f64 - 0.05 * slow;
        r.resolved = rng.chance(p_resolve);
        if matches!(TOPICS[topic].0, "product info" | "contract") && rng.chance(0.15) {
            r.revenue = Some((rng.lognormal(80.0, 0.8) * 100.0).round() / 100.0);
        }
        if rng.chance(0.025) {
            let q =
                |rng: &mut Rng, m: f64, s: f64| (m + s * rng.normal()).round().clamp(0.0, 100.0);
            r.qa_accuracy = Some(q(rng, 85.0, 8.0));
            r.qa_professionalism = Some(q(rng, 88.0, 6.0));
            r.qa_problem_solving = Some(q(rng, 80.0, 10.0));
            r.qa_compliance = Some(q(rng, 92.0, 6.0));
        }
        self.survey(&mut r, p, slow, rng);
        r
    }

    /// Survey answers (a minority) that follow resolution and wait; sentiment on social.
    fn survey(&self, r: &mut ContactRecord, p: &Profile, slow: f64, rng: &mut Rng) {
        let mood = if r.resolved { 4.4 } else { 2.5 } - 0.6 * slow - 0.2 * r.transfers as f64;
        if rng.chance(p.sentiment) {
            let s = (0.1 + 0.15 * (mood - 3.0) + 0.3 * rng.normal()).clamp(-1.0, 1.0);
            r.sentiment = Some((s * 100.0).round() / 100.0);
        }
        if !rng.chance(p.survey) {
            return;
        }
        let csat = (mood + 0.7 * rng.normal()).round().clamp(1.0, 5.0);
        r.csat = Some(csat as u8);
        if rng.chance(0.6) {
            r.nps = Some(
                (2.3 * csat - 0.4 + 1.2 * rng.normal())
                    .round()
                    .clamp(0.0, 10.0) as u8,
            );
        }
        if rng.chance(0.5) {
            r.ces = Some(
                (7.6 - 1.3 * csat + 0.8 * rng.normal())
                    .round()
                    .clamp(1.0, 7.0) as u8,
            );
        }
    }
}
