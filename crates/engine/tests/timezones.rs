//! Time buckets and date ranges in the configured zone, across both DST changes of 2026 in
//! Europe/Berlin.

mod fixture;
use fixture::*;
use omnikpi_engine::time::{days_from_civil, DAY};
use omnikpi_engine::{Channel, Config, Dim, Engine, Query};

fn at(utc: i64, id: &'static str) -> omnikpi_engine::ContactRecord {
    rec(C {
        id,
        case: None,
        customer: None,
        channel: Channel::Voice,
        at: utc,
    })
}

fn berlin(records: Vec<omnikpi_engine::ContactRecord>) -> Engine {
    let cfg = Config {
        timezone: "Europe/Berlin".into(),
        ..Default::default()
    };
    Engine::new(dataset(&records), cfg).unwrap()
}

fn keys(e: &Engine, q: &Query) -> Vec<(String, f64)> {
    e.report(q)
        .unwrap()
        .into_iter()
        .map(|g| {
            let k = g.key.first().map(|k| k.1.clone()).unwrap_or_default();
            (k, g.get("contacts").unwrap())
        })
        .collect()
}

#[test]
fn spring_forward_and_fall_back_hours_and_days() {
    let spring = days_from_civil(2026, 3, 29) * DAY;
    let autumn = days_from_civil(2026, 10, 25) * DAY;
    let e = berlin(vec![
        // 2026-03-28 22:30 UTC = 23:30 CET on the 28th; 23:30 UTC = 00:30 CET on the 29th.
        at(spring - 5400, "a"),
        at(spring - 1800, "b"),
        // 00:30 UTC = 01:30 CET; 01:30 UTC = 03:30 CEST (02:00–03:00 does not exist).
        at(spring + 1800, "c"),
        at(spring + 5400, "d"),
        // 2026-10-25 00:30 UTC = 02:30 CEST; 01:30 UTC = 02:30 CET: one local hour, twice.
        at(autumn + 1800, "e"),
        at(autumn + 5400, "f"),
    ]);
    let by_hour = keys(&e, &Query::default().group_by(Dim::parse("hour")));
    assert_eq!(
        by_hour,
        vec![
            ("2026-03-28T23:00".to_string(), 1.0),
            ("2026-03-29T00:00".to_string(), 1.0),
            ("2026-03-29T01:00".to_string(), 1.0),
            ("2026-03-29T03:00".to_string(), 1.0),
            ("2026-10-25T02:00".to_string(), 2.0),
        ]
    );
    let by_day = keys(&e, &Query::default().group_by(Dim::parse("day")));
    assert_eq!(
        by_day,
        vec![
            ("2026-03-28".to_string(), 1.0),
            ("2026-03-29".to_string(), 3.0),
            ("2026-10-25".to_string(), 2.0),
        ]
    );
    // A local date range: 2026-03-29 in Berlin starts at 2026-03-28 23:00 UTC.
    let q = Query::default()
        .with_dates(Some("2026-03-29"), Some("2026-03-29"))
        .unwrap();
    assert_eq!(keys(&e, &q), vec![(String::new(), 3.0)]);
    // The same rows in UTC fall on other days.
    let utc = e.with_config(Config::default()).unwrap();
    let by_day = keys(&utc, &Query::default().group_by(Dim::parse("day")));
    assert_eq!(by_day[0], ("2026-03-28".to_string(), 2.0));
    // Row scan and day cells agree on all of it.
    let mut scan = e.with_config(e.config().clone()).unwrap();
    scan.set_use_cube(false);
    for by in ["day", "week", "month", "quarter"] {
        let q = Query::default().group_by(Dim::parse(by));
        assert_eq!(keys(&e, &q), keys(&scan, &q), "{by}");
    }
    let _ = T0;
}
