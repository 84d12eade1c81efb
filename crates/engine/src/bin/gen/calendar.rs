//! The calendar of the simulated year: weekly and annual patterns, a slow trend, and the two
//! incidents (a billing-error volume spike and a platform outage).

use omnikpi_engine::Channel;

/// The simulated period and its incidents, in days since the Unix epoch (local calendar days).
pub struct Calendar {
    /// First day.
    pub start: i32,
    /// Number of days.
    pub days: i32,
    /// The day of the volume spike (a billing error: many billing contacts).
    pub spike_day: i32,
    /// The day of the outage (telephony and chat platform down 09:00–14:00).
    pub outage_day: i32,
}

/// Monday = 0.
pub fn weekday(day: i32) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// Day of the year, 0-based (approximate: 365-day years are enough for seasonality).
fn day_of_year(day: i32) -> f64 {
    let d = chrono::DateTime::from_timestamp(day as i64 * 86_400, 0).map(|t| {
        use chrono::Datelike;
        t.ordinal0()
    });
    d.unwrap_or(0) as f64
}

/// Outage hours (local).
pub const OUTAGE_HOURS: std::ops::Range<u32> = 9..14;

impl Calendar {
    /// A year (`days` long) ending on `end` (inclusive). Incidents fall on a Tuesday about
    /// 10 weeks (spike) and 21 weeks (outage) before the end.
    pub fn new(end: i32, days: i32) -> Calendar {
        let start = end - days + 1;
        let tuesday_before = |d: i32| d - ((weekday(d) as i32 - 1).rem_euclid(7));
        Calendar {
            start,
            days,
            spike_day: tuesday_before(end - 70).max(start),
            outage_day: tuesday_before(end - 150).max(start),
        }
    }

    /// Relative volume of `day` (mean about 1 over the year).
    pub fn volume(&self, day: i32) -> f64 {
        const WEEK: [f64; 7] = [1.28, 1.15, 1.08, 1.04, 0.98, 0.55, 0.40];
        let doy = day_of_year(day);
        let season = 1.0 + 0.10 * (2.0 * std::f64::consts::PI * (doy - 10.0) / 365.0).cos()
            + if doy >= 325.0 { 0.18 } else { 0.0 } // Black Friday to Christmas
            - if (190.0..235.0).contains(&doy) { 0.12 } else { 0.0 }; // summer holidays
        let trend = 0.92 + 0.16 * (day - self.start) as f64 / self.days.max(1) as f64;
        let incident = if day == self.spike_day {
            2.6
        } else if day == self.spike_day + 1 {
            1.5
        } else {
            1.0
        };
        WEEK[weekday(day)] * season * trend * incident / 0.93
    }

    /// Weights of the 24 local hours for a channel. Voice and chat follow the opening hours
    /// (with an evening tail); asynchronous channels arrive around the clock.
    pub fn hours(&self, ch: Channel, weekday: usize) -> [f64; 24] {
        let mut w = [0.0; 24];
        for (h, x) in w.iter_mut().enumerate() {
            let h = h as f64 + 0.5;
            let day_curve =
                (-(h - 11.0).powi(2) / 6.0).exp() + 0.8 * (-(h - 15.0).powi(2) / 5.0).exp();
            let synchronous = matches!(ch, Channel::Voice | Channel::Chat | Channel::Other);
            *x = if synchronous {
                if (7.5..20.5).contains(&h) {
                    day_curve + 0.08
                } else {
                    0.004
                }
            } else {
                day_curve + 0.25 * (-(h - 20.5).powi(2) / 4.0).exp() + 0.04
            };
            if weekday >= 5 {
                *x *= if (9.0..18.0).contains(&h) { 1.0 } else { 0.5 };
            }
        }
        w
    }

    /// True when `day`/`hour` is inside the outage, where voice and chat cannot be answered.
    pub fn in_outage(&self, day: i32, hour: u32) -> bool {
        day == self.outage_day && OUTAGE_HOURS.contains(&hour)
    }
}
