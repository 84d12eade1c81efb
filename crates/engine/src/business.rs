//! Business hours and peak hours of the configuration, on local time: is an instant inside
//! them, and how many business seconds lie between two instants (email's "4 business hours").

use crate::config::{Config, Hours};
use crate::time::{weekday, DAY};

/// The opening hours of a week as seconds-of-day intervals, Monday first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Week {
    open: [(i64, i64); 7],
    per_week: i64,
}

fn secs(h: &Hours) -> (i64, i64) {
    let o = (h.open.clamp(0.0, 24.0) * 3600.0).round() as i64;
    let c = (h.close.clamp(0.0, 24.0) * 3600.0).round() as i64;
    (o, c.max(o))
}

impl Week {
    /// The configured business hours.
    pub fn business(cfg: &Config) -> Week {
        let mut open = [(0, 0); 7];
        for (d, h) in cfg.business_hours.iter().enumerate() {
            if let Some(h) = h {
                open[d] = secs(h);
            }
        }
        let per_week = open.iter().map(|(o, c)| c - o).sum();
        Week { open, per_week }
    }

    /// The configured peak hours, every day of the week.
    pub fn peak(cfg: &Config) -> Week {
        let p = secs(&cfg.peak_hours);
        Week {
            open: [p; 7],
            per_week: 7 * (p.1 - p.0),
        }
    }

    /// True when local time `local` (local seconds since the epoch) is inside the hours.
    #[inline]
    pub fn contains(&self, local: i64) -> bool {
        let day = local.div_euclid(DAY);
        self.contains_on(weekday(day), local - day * DAY)
    }

    /// True when second `s` (0..86,400) of a day of weekday `wd` (Monday 0) is inside the
    /// hours: [`Week::contains`] for a caller that knows the day.
    #[inline]
    pub fn contains_on(&self, wd: u32, s: i64) -> bool {
        let (o, c) = self.open.get(wd as usize).copied().unwrap_or((0, 0));
        s >= o && s < c
    }

    /// Open seconds within the local interval `[a, b)`. Local clock time: on a DST change day
    /// the skipped or repeated hour counts as the clock shows it (business hours rarely include
    /// 2–3 a.m., where the change happens).
    pub fn open_seconds(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        let mut day = a.div_euclid(DAY);
        let last = (b - 1).div_euclid(DAY);
        // Whole weeks in the middle count in one step.
        let weeks = (last - day - 1).max(0) / 7;
        let mut d = day;
        while d <= last {
            if d == day + 1 && weeks > 0 {
                total += weeks * self.per_week;
                d += weeks * 7;
                day = i64::MIN; // only skip once
                if d > last {
                    break;
                }
            }
            let (o, c) = self.open[weekday(d) as usize];
            let lo = (d * DAY + o).max(a);
            let hi = (d * DAY + c).min(b);
            total += (hi - lo).max(0);
            d += 1;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::days_from_civil;

    #[test]
    fn business_seconds_by_hand() {
        let w = Week::business(&Config::default()); // Mon–Fri 8–18
                                                    // 2026-11-20 is a Friday.
        let fri = days_from_civil(2026, 11, 20);
        assert_eq!(crate::time::weekday(fri), 4);
        // Friday 17:00 to Monday 10:00: 1 h on Friday + 2 h on Monday = 3 h.
        let a = fri * DAY + 17 * 3600;
        let b = (fri + 3) * DAY + 10 * 3600;
        assert_eq!(w.open_seconds(a, b), 3 * 3600);
        assert!(w.contains(a) && !w.contains(a + 3600) && !w.contains((fri + 1) * DAY + 12 * 3600));
        // Friday 17:00 to the Monday 17 days later at 09:00: 1 h + 2 full weeks (100 h) + 1 h (Mon 8–9)
        // + the Monday of the second weekend gap... count: Fri 1 h; Mon 23 to Fri 27 = 50 h; Mon 30
        // to Fri Dec 4 = 50 h; Mon Dec 7 8–9 = 1 h → 102 h.
        let b = (fri + 17) * DAY + 9 * 3600;
        assert_eq!(w.open_seconds(a, b), 102 * 3600);
        let naive: i64 = (0..18)
            .map(|k| {
                let d = fri + k;
                let (o, c) = w.open[weekday(d) as usize];
                ((d * DAY + c).min(b) - (d * DAY + o).max(a)).max(0)
            })
            .sum();
        assert_eq!(naive, 102 * 3600);
    }
}
