//! The `daily` table: customers (retention, churn, acquisition), web traffic per source,
//! checkouts, systems' uptime, integrations and data sync, headcount and leavers.

use crate::calendar::Calendar;
use crate::rng::Rng;
use crate::staff::Staff;
use omnikpi_engine::model::DailyRecord;

const SOURCES: [(&str, f64, f64); 4] = [
    ("organic", 0.45, 0.022),
    ("paid", 0.25, 0.030),
    ("email", 0.12, 0.041),
    ("direct", 0.18, 0.027),
];
const SYSTEMS: [&str; 3] = ["telephony", "chat platform", "crm"];

/// One business row, one row per traffic source and one per system, for every day.
pub fn table(cal: &Calendar, staff: &Staff, customers: usize, rng: &mut Rng) -> Vec<DailyRecord> {
    let mut rows = Vec::new();
    let mut base = customers as f64 * 4.0;
    for day in cal.start..cal.start + cal.days {
        let vol = cal.volume(day);
        let outage = day == cal.outage_day;
        let mut biz = DailyRecord {
            date: day,
            ..Default::default()
        };
        let new = rng.poisson(base * 0.0011 * vol);
        let churned = rng.poisson(base * 0.0009 * if day == cal.spike_day + 7 { 3.0 } else { 1.0 });
        biz.set("customers_start", Some(base.round()));
        biz.set("customers_new", Some(new as f64));
        base = (base + new as f64 - churned as f64).max(0.0);
        biz.set("customers_end", Some(base.round()));
        let visits_total = 6000.0 * vol * (1.0 + 0.1 * rng.normal()).max(0.5);
        let started = (visits_total * 0.04).round();
        let abandon =
            (0.66 + 0.04 * rng.normal() + if outage { 0.1 } else { 0.0 }).clamp(0.3, 0.95);
        biz.set("checkouts_started", Some(started));
        biz.set("checkouts_abandoned", Some((started * abandon).round()));
        let (heads, leavers) = staff.headcount(day);
        biz.set("headcount", Some(heads as f64));
        biz.set("leavers", Some(leavers as f64));
        rows.push(biz);
        for (src, share, conv) in SOURCES {
            let visits = (visits_total * share).round();
            let mut r = DailyRecord {
                date: day,
                traffic_source: Some(src.into()),
                ..Default::default()
            };
            r.set("web_visits", Some(visits));
            r.set("web_unique_visitors", Some((visits * 0.72).round()));
            r.set(
                "web_page_views",
                Some((visits * (3.1 + 0.3 * rng.normal()).max(1.0)).round()),
            );
            r.set(
                "web_time_on_site_s",
                Some((visits * rng.lognormal(150.0, 0.1)).round()),
            );
            let c = conv * if outage { 0.6 } else { 1.0 };
            r.set("web_conversions", Some(rng.poisson(visits * c) as f64));
            rows.push(r);
        }
        for (k, sys) in SYSTEMS.iter().enumerate() {
            let mut down = if rng.chance(0.03) {
                rng.exp(1200.0).round()
            } else {
                0.0
            };
            if outage && k < 2 {
                down += 5.0 * 3600.0;
            }
            let down = down.min(86_400.0);
            let mut r = DailyRecord {
                date: day,
                system: Some((*sys).into()),
                ..Default::default()
            };
            r.set("uptime_s", Some(86_400.0 - down));
            r.set("downtime_s", Some(down));
            let calls = (2000.0 * vol).round();
            let fail_rate = if outage { 0.08 } else { 0.004 };
            let failed = rng.poisson(calls * fail_rate) as f64;
            r.set("integrations_ok", Some((calls - failed).max(0.0)));
            r.set("integrations_failed", Some(failed));
            let checked = 5000.0;
            r.set("sync_checked", Some(checked));
            r.set(
                "sync_mismatched",
                Some(rng.poisson(checked * if outage { 0.02 } else { 0.002 }) as f64),
            );
            rows.push(r);
        }
    }
    rows
}
