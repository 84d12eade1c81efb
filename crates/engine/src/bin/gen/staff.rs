//! Agents and teams with schedules: who is on duty on which day, who handles a contact, and
//! the resulting `agents` table (scheduled, staffed, handling and adherent seconds): one row per
//! agent-day, and for the last [`INTERVAL_DAYS`] of the period one row per agent per hour worked.

use crate::calendar::{weekday, Calendar};
use crate::rng::Rng;
use omnikpi_engine::model::AgentRecord;
use omnikpi_engine::zone::Zone;
use omnikpi_engine::Channel;

/// The last 8 weeks of the period are written as hourly interval rows (for the staffing view's
/// staffed count), earlier days as daily rows (keeps the file small).
pub const INTERVAL_DAYS: i32 = 56;

/// Team names; a channel is served by one team.
pub const TEAMS: [&str; 3] = ["Voice", "Chat & Social", "Email & Web"];

/// The team serving a channel.
pub fn team_of(ch: Channel) -> usize {
    match ch {
        Channel::Voice | Channel::Other => 0,
        Channel::Chat | Channel::Messaging | Channel::Sms | Channel::Social => 1,
        Channel::Email | Channel::Web => 2,
    }
}

/// One agent.
pub struct Agent {
    /// `A001`, ...
    pub id: String,
    /// Index into [`TEAMS`].
    pub team: usize,
    /// Scheduled seconds on a working day (whole hours).
    pub shift_s: f64,
    /// Local hour the shift starts.
    pub start_h: u32,
    /// Works Saturday and Sunday instead of Monday and Tuesday.
    pub weekend_rota: bool,
    /// First day.
    pub hired_on: i32,
    /// Last day + 1, if the agent left.
    pub left_on: Option<i32>,
}

/// The staff of the contact center and the handling time they accumulate.
pub struct Staff {
    /// All agents, ever.
    pub agents: Vec<Agent>,
    start: i32,
    days: usize,
    handling: Vec<f64>,
    duty: Vec<Option<Vec<usize>>>,
}

impl Staff {
    /// Staff sized for `hours_per_day[team]` of handling per day (whole agents, at least one per
    /// team, so a small center runs below the 70–85 % occupancy band and a large one inside it).
    pub fn new(cal: &Calendar, hours_per_day: [f64; 3], rng: &mut Rng) -> Staff {
        let mut agents = Vec::new();
        for (team, hours) in hours_per_day.iter().enumerate() {
            // Whole full-time agents, plus a part-timer for a remainder, at least one agent.
            let fte = (hours * 7.0 / 5.0) / (0.80 * 7.5);
            let full = fte.floor() as usize;
            let full = full.max(1);
            let part = fte - full as f64 > 0.25;
            for k in 0..full + usize::from(part) {
                let mut a = Agent {
                    id: String::new(),
                    team,
                    shift_s: if k >= full {
                        4.0 * 3600.0
                    } else {
                        8.0 * 3600.0
                    },
                    // Staggered over the opening hours; part-timers cover the late-morning peak.
                    start_h: if k >= full { 10 } else { [8, 10, 12, 9][k % 4] },
                    weekend_rota: k % 4 == 1,
                    hired_on: cal.start - 200 - rng.below(1500) as i32,
                    left_on: None,
                };
                // About one leaver in eight (and at least one) over the year, each replaced by a
                // new hire a week later.
                if rng.chance(0.12) || (team == 1 && k == 0) {
                    let leave = cal.start + 30 + rng.below((cal.days - 60).max(1) as usize) as i32;
                    a.left_on = Some(leave);
                    let hire = Agent {
                        id: String::new(),
                        team,
                        shift_s: a.shift_s,
                        start_h: a.start_h,
                        weekend_rota: a.weekend_rota,
                        hired_on: leave + 7,
                        left_on: None,
                    };
                    agents.push(a);
                    agents.push(hire);
                } else {
                    agents.push(a);
                }
            }
        }
        for (i, a) in agents.iter_mut().enumerate() {
            a.id = format!("A{:03}", i + 1);
        }
        let days = cal.days as usize;
        Staff {
            handling: vec![0.0; agents.len() * days],
            agents,
            start: cal.start,
            days,
            duty: vec![None; TEAMS.len() * days],
        }
    }

    /// True when agent `i` works on `day`.
    pub fn on_duty(&self, i: usize, day: i32) -> bool {
        let a = &self.agents[i];
        if day < a.hired_on || a.left_on.is_some_and(|l| day >= l) {
            return false;
        }
        let wd = weekday(day);
        if a.weekend_rota {
            !(wd == 0 || wd == 1)
        } else {
            wd < 5
        }
    }

    /// Picks an agent of `team` on duty on `day` with room left, and books `handle_s` on them.
    pub fn assign(&mut self, team: usize, day: i32, handle_s: f64, rng: &mut Rng) -> Option<usize> {
        let d = usize::try_from(day - self.start)
            .ok()
            .filter(|&d| d < self.days)?;
        let slot = team * self.days + d;
        if self.duty[slot].is_none() {
            let list = (0..self.agents.len())
                .filter(|&i| self.agents[i].team == team && self.on_duty(i, day))
                .collect();
            self.duty[slot] = Some(list);
        }
        let mut duty = self.duty[slot].as_deref().unwrap_or(&[]);
        if duty.is_empty() {
            // Nobody of the team works today: another team's agent takes the contact.
            for other in 0..TEAMS.len() {
                if let Some(Some(v)) = self.duty.get(other * self.days + d) {
                    if !v.is_empty() {
                        duty = v;
                        break;
                    }
                }
            }
        }
        if duty.is_empty() {
            return None;
        }
        let mut pick = duty[rng.below(duty.len())];
        for _ in 0..3 {
            if self.handling[pick * self.days + d] < 0.9 * self.agents[pick].shift_s {
                break;
            }
            pick = duty[rng.below(duty.len())];
        }
        self.handling[pick * self.days + d] += handle_s;
        Some(pick)
    }

    /// The `agents` table: one row per agent per working day, except in the last
    /// [`INTERVAL_DAYS`] days, where each agent-day is split into one row per local hour of its
    /// shift (`interval_start` the hour's start, `date` the local day), plus overtime hours when
    /// staffed time exceeds the shift. The hours add up to the agent-day's row exactly, and the
    /// split draws nothing from `rng`, so the random stream is the same as with daily rows only.
    pub fn table(&self, tz: &Zone, rng: &mut Rng) -> Vec<AgentRecord> {
        let first_interval_day = self.start + self.days as i32 - INTERVAL_DAYS;
        let mut rows = Vec::new();
        for d in 0..self.days {
            let day = self.start + d as i32;
            for (i, a) in self.agents.iter().enumerate() {
                if !self.on_duty(i, day) {
                    continue;
                }
                let absent = rng.chance(0.04);
                let handling = self.handling[i * self.days + d];
                let staffed = if absent {
                    0.0
                } else {
                    a.shift_s * (0.93 + 0.07 * rng.f())
                };
                let staffed = staffed.max(handling);
                let adherent = (staffed * (0.86 + 0.12 * rng.f())).min(a.shift_s);
                let row = AgentRecord {
                    agent_id: a.id.clone(),
                    team: Some(TEAMS[a.team].into()),
                    date: day,
                    interval_start: None,
                    scheduled_s: a.shift_s,
                    staffed_s: staffed.round(),
                    handling_s: handling.round(),
                    adherent_s: adherent.round(),
                    hired_on: Some(a.hired_on),
                    left_on: a.left_on,
                };
                if day >= first_interval_day {
                    rows.extend(hourly(&row, a.start_h, tz));
                } else {
                    rows.push(row);
                }
            }
        }
        rows
    }

    /// Agents employed on `day`, and how many left on it.
    pub fn headcount(&self, day: i32) -> (usize, usize) {
        let active = self
            .agents
            .iter()
            .filter(|a| a.hired_on <= day && a.left_on.is_none_or(|l| day < l))
            .count();
        let left = self
            .agents
            .iter()
            .filter(|a| a.left_on == Some(day))
            .count();
        (active, left)
    }
}

/// Splits `total` into integers proportional to `weights` (cumulative floor: the parts add up to
/// `total` exactly, and a part never exceeds its weight when `total` ≤ Σ weights). Equal weights
/// when they are all zero.
pub fn split(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    let (weights, sum) = if sum > 0 {
        (weights.to_vec(), sum)
    } else {
        (vec![1; weights.len()], weights.len() as i64)
    };
    let mut out = Vec::with_capacity(weights.len());
    let (mut cum, mut prev) = (0i128, 0i128);
    for w in weights {
        cum += w as i128;
        let cur = total as i128 * cum / sum as i128;
        out.push((cur - prev) as i64);
        prev = cur;
    }
    out
}

/// The hourly rows of a daily agent row whose shift starts at local hour `start_h`: scheduled
/// seconds over the shift's hours, staffed seconds evenly over the hours worked (the shift, plus
/// overtime after it, or before it near midnight, while staffed exceeds the shift), handling in
/// proportion to staffed, adherent in proportion to scheduled. Every hour stays within the
/// local day.
pub fn hourly(day: &AgentRecord, start_h: u32, tz: &Zone) -> Vec<AgentRecord> {
    let total = |x: f64| x.round() as i64;
    let (scheduled, staffed) = (total(day.scheduled_s), total(day.staffed_s));
    let shift_h = ((scheduled + 3599) / 3600).clamp(1, 24);
    let worked_h = ((staffed + 3599) / 3600).clamp(shift_h, 24);
    let start_h = (start_h as i64).min(24 - shift_h);
    let end = (start_h + worked_h).min(24);
    let first = end - worked_h;
    let sched_w: Vec<i64> = (first..end)
        .map(|h| i64::from((start_h..start_h + shift_h).contains(&h)))
        .collect();
    let sched = split(scheduled, &sched_w);
    let staff = split(staffed, &vec![1; worked_h as usize]);
    let handling = split(total(day.handling_s), &staff);
    let adherent = split(total(day.adherent_s), &sched);
    (first..end)
        .enumerate()
        .map(|(k, h)| {
            let local = day.date as i64 * 86_400 + h * 3600;
            let t = match tz.from_local_seconds(local) {
                chrono::offset::LocalResult::Single(t) => t,
                chrono::offset::LocalResult::Ambiguous(t, _) => t,
                // In a DST gap (the hour does not exist): the instant the gap ends.
                chrono::offset::LocalResult::None => local - tz.offset_at(local - 86_400) as i64,
            };
            AgentRecord {
                interval_start: Some(t),
                scheduled_s: sched[k] as f64,
                staffed_s: staff[k] as f64,
                handling_s: handling[k] as f64,
                adherent_s: adherent[k] as f64,
                ..day.clone()
            }
        })
        .collect()
}
