//! Shared by the cube tests: the queries both sides answer and the comparison of reports.
#![allow(dead_code)]

use omnikpi_engine::{Dim, Group, Query};

pub fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

pub fn same_reports(what: &str, raw: &[Group], cube: &[Group]) {
    assert_eq!(raw.len(), cube.len(), "{what}: number of groups");
    for (r, c) in raw.iter().zip(cube) {
        assert_eq!(r.key, c.key, "{what}: group keys");
        for ((k, a), (k2, b)) in r.kpis.iter().zip(&c.kpis) {
            assert_eq!(k, k2);
            if *k == "queue_length" {
                continue; // live: never from a cube
            }
            let ok = match (a, b) {
                (None, None) => true,
                (Some(a), Some(b)) => close(*a, *b),
                _ => false,
            };
            assert!(ok, "{what} {:?} {k}: raw {a:?} cube {b:?}", r.key);
        }
    }
}

pub fn queries(team: Option<String>, day: Option<i64>) -> Vec<(&'static str, Query)> {
    let mut v = vec![
        ("total", Query::default()),
        (
            "channel x day",
            Query::default()
                .group_by(Dim::Channel)
                .group_by(Dim::parse("day")),
        ),
        (
            "weekday x hour",
            Query::default()
                .group_by(Dim::Weekday)
                .group_by(Dim::HourOfDay),
        ),
        ("week", Query::default().group_by(Dim::parse("week"))),
        (
            "month x topic",
            Query::default()
                .group_by(Dim::parse("month"))
                .group_by(Dim::parse("topic")),
        ),
        ("quarter", Query::default().group_by(Dim::parse("quarter"))),
        ("local hour", Query::default().group_by(Dim::parse("hour"))),
        (
            "business hours by peak",
            Query {
                business_hours: Some(true),
                ..Default::default()
            }
            .group_by(Dim::Peak),
        ),
        (
            "off hours by business",
            Query {
                business_hours: Some(false),
                ..Default::default()
            }
            .group_by(Dim::BusinessHours)
            .group_by(Dim::Channel),
        ),
        (
            "voice and chat by segment",
            Query::default()
                .filter("channel", &["voice", "chat"])
                .group_by(Dim::parse("segment")),
        ),
    ];
    if let Some(t) = team {
        v.push((
            "one team, channel x day",
            Query::default()
                .filter("team", &[t.as_str()])
                .group_by(Dim::Channel)
                .group_by(Dim::parse("day")),
        ));
    }
    if let Some(d) = day {
        v.push((
            "two weeks by region",
            Query {
                from: Some(d),
                to: Some(d + 13),
                ..Default::default()
            }
            .group_by(Dim::parse("region")),
        ));
    }
    v
}
