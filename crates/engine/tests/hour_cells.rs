//! Heatmaps of the light KPIs from the day cells' hour accumulators equal the row scan's, cell
//! by cell, across DST changes in Europe/Berlin; non-light KPIs keep the row scan; and one
//! small case computed by hand.

mod fixture;
use fixture::dataset;
use omnikpi_engine::analysis::Heatmap;
use omnikpi_engine::kpi::LIGHT_KPIS;
use omnikpi_engine::time::days_from_civil;
use omnikpi_engine::{Channel, Config, ContactRecord, Engine, Query};

fn berlin() -> Config {
    Config::from_json(r#"{"timezone":"Europe/Berlin"}"#).unwrap()
}

/// Contacts every 23 minutes for nine days around each of the 2026 DST changes in Berlin
/// (March 29, October 25), on every channel and four teams, with every field a light KPI reads
/// (some rows without cost, so the channel's rate applies) and the ones the heavy KPIs read.
fn synthetic() -> Vec<ContactRecord> {
    let mut recs = Vec::new();
    let starts = [
        days_from_civil(2026, 3, 25) * 86_400,
        days_from_civil(2026, 10, 21) * 86_400,
    ];
    let mut k = 0u64;
    for s in starts {
        for j in 0..(9 * 24 * 60 / 23) as i64 {
            k += 1;
            let ch = Channel::ALL[(k % 8) as usize];
            let w = (k * 7919 % 5000) as f64 / 3.0;
            let at = s + j * 23 * 60;
            recs.push(ContactRecord {
                id: format!("c{k}"),
                case_id: (!k.is_multiple_of(4)).then(|| format!("K{}", k / 3)),
                customer_id: (!k.is_multiple_of(5)).then(|| format!("U{}", k % 37)),
                channel: Some(ch),
                arrived_at: at,
                first_response_s: (!k.is_multiple_of(6)).then_some(w),
                abandoned: k.is_multiple_of(6) && !k.is_multiple_of(12),
                handle_s: (!k.is_multiple_of(3)).then_some(w * 2.5 + 0.125),
                closed_at: (!k.is_multiple_of(3)).then(|| at + (w * 4.0) as i64 + 60),
                resolved: k % 4 == 1,
                team: (!k.is_multiple_of(9)).then(|| format!("T{}", k % 4)),
                bot: k % 5 == 1,
                handed_off: k % 10 == 1,
                handoff_s: (k % 10 == 1).then_some(w / 7.0),
                transfers: (k.is_multiple_of(7)) as u32,
                cost: (k.is_multiple_of(9)).then_some(3.27),
                revenue: (k.is_multiple_of(11)).then_some(12.5),
                csat: (k % 4 == 2).then_some((k % 5 + 1) as u8),
                nps: (k % 5 == 2).then_some((k % 11) as u8),
                ces: (k % 6 == 2).then_some((k % 7 + 1) as u8),
                sentiment: (k % 3 == 1).then_some((k % 21) as f64 / 10.0 - 1.0),
                qa_accuracy: (k % 8 == 3).then_some((k % 101) as f64),
                qa_compliance: (k % 16 == 3).then_some(88.0),
                ..Default::default()
            });
        }
    }
    recs
}

/// The cells engine and a row-scanning twin over the same rows.
fn engines(recs: &[ContactRecord]) -> (Engine, Engine) {
    let e = Engine::new(dataset(recs), berlin()).unwrap();
    let mut scan = Engine::new(dataset(recs), berlin()).unwrap();
    scan.set_use_cube(false);
    (e, scan)
}

/// Equal cell by cell: both no data, or within 1e-9 relative (of at least 1: sentiment means
/// near 0 sum floats in a different order).
fn same(a: &Heatmap, b: &Heatmap, what: &str) {
    assert_eq!(a.kpi, b.kpi, "{what}");
    assert_eq!(a.rows, b.rows, "{what} {}", a.kpi);
    assert_eq!(a.cols, b.cols, "{what} {}", a.kpi);
    for (r, (ra, rb)) in a.cells.iter().zip(&b.cells).enumerate() {
        assert_eq!(ra.len(), rb.len());
        for (h, (x, y)) in ra.iter().zip(rb).enumerate() {
            match (x, y) {
                (None, None) => {}
                (Some(x), Some(y)) => assert!(
                    (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                    "{what} {} {}/{h}: {x} vs {y}",
                    a.kpi,
                    a.rows[r]
                ),
                _ => panic!("{what} {} {}/{h}: {x:?} vs {y:?}", a.kpi, a.rows[r]),
            }
        }
    }
}

fn queries() -> Vec<(&'static str, Query)> {
    vec![
        ("whole period", Query::default()),
        (
            "spring change, dates",
            Query::default()
                .with_dates(Some("2026-03-28"), Some("2026-03-30"))
                .unwrap(),
        ),
        (
            "autumn change, dates",
            Query::default()
                .with_dates(Some("2026-10-24"), Some("2026-10-26"))
                .unwrap(),
        ),
        (
            "two channels",
            Query::default().filter("channel", &["voice", "chat", "social"]),
        ),
        ("one team", Query::default().filter("team", &["T1"])),
        (
            "one team, one channel, dates",
            Query::default()
                .filter("team", &["T2"])
                .filter("channel", &["chat"])
                .with_dates(Some("2026-10-20"), Some("2026-10-27"))
                .unwrap(),
        ),
    ]
}

#[test]
fn light_heatmaps_equal_row_scan_across_dst_changes() {
    let (e, scan) = engines(&synthetic());
    let before = e.cells_heap_bytes();
    for (what, q) in queries() {
        assert!(e.answers_from_cells(&q), "{what}");
        assert!(!scan.answers_from_cells(&q), "{what}");
        let a = e.heatmaps(&q, &LIGHT_KPIS).unwrap();
        let b = scan.heatmaps(&q, &LIGHT_KPIS).unwrap();
        assert_eq!(a.len(), LIGHT_KPIS.len());
        for ((ha, hb), id) in a.iter().zip(&b).zip(LIGHT_KPIS) {
            assert_eq!(ha.kpi, id);
            same(ha, hb, what);
            // One at a time gives the same as several at once.
            assert_eq!(&e.heatmap(&q, id).unwrap(), ha, "{what} {id}");
            if what == "whole period" {
                // Not vacuous: every light KPI has data somewhere.
                assert!(ha.cells.iter().flatten().any(Option::is_some), "{id}");
            }
            same(
                &e.date_hour(&q, id).unwrap(),
                &scan.date_hour(&q, id).unwrap(),
                what,
            );
        }
    }
    // The hour accumulators were built (day cells and team cells), and are bounded by the
    // cells: at most 24 per cell.
    assert!(e.cells_heap_bytes() > before);
}

#[test]
fn non_light_heatmaps_keep_the_row_scan() {
    let (e, scan) = engines(&synthetic());
    let ids = [
        "first_response_p90_s",
        "fcr",
        "queue_length",
        "aht_case_s",
        "contacts",
        "aht_s",
    ];
    for (what, q) in queries() {
        let q = Query {
            now: Some(days_from_civil(2026, 10, 26) * 86_400),
            ..q
        };
        let a = e.heatmaps(&q, &ids).unwrap();
        let b = scan.heatmaps(&q, &ids).unwrap();
        for (ha, hb) in a.iter().zip(&b) {
            same(ha, hb, what);
        }
        // Percentiles and case KPIs come from the same rows in the same order: identical.
        assert_eq!(a[0], b[0], "{what}");
        assert_eq!(a[1], b[1], "{what}");
        for id in ["first_response_p90_s", "fcr"] {
            assert_eq!(
                e.date_hour(&q, id).unwrap(),
                scan.date_hour(&q, id).unwrap(),
                "{what} {id}"
            );
        }
    }
    let whole = e.heatmaps(&Query::default(), &ids).unwrap();
    assert!(whole[0].cells.iter().flatten().any(Option::is_some));
    assert!(whole[1].cells.iter().flatten().any(Option::is_some));
}

#[test]
fn light_heatmap_by_hand_over_the_spring_change() {
    // Berlin switches from CET (UTC+1) to CEST (UTC+2) on Sunday 2026-03-29 at 01:00 UTC:
    // local 02:00 does not exist that day.
    let sun = days_from_civil(2026, 3, 29) * 86_400;
    let mon = sun + 86_400;
    let mk = |id: &str, ch: Channel, at: i64, team: &str| ContactRecord {
        id: id.into(),
        channel: Some(ch),
        arrived_at: at,
        team: Some(team.into()),
        ..Default::default()
    };
    // r1: Monday 07:10 UTC = 09:10 CEST, voice, answered in 20 s (voice SLA 20 s: met),
    // handled 300 s, CSAT 5, resolved, one transfer, QA accuracy 90 and compliance 80, no cost
    // (voice rate 10).
    let mut r1 = mk("r1", Channel::Voice, mon + 7 * 3600 + 600, "T1");
    r1.first_response_s = Some(20.0);
    r1.handle_s = Some(300.0);
    r1.csat = Some(5);
    r1.resolved = true;
    r1.transfers = 1;
    r1.qa_accuracy = Some(90.0);
    r1.qa_compliance = Some(80.0);
    // r2: Monday 07:40 UTC = 09:40 CEST, voice, answered in 40 s (SLA missed), handled 100 s,
    // CSAT 2, not resolved, cost 1.5.
    let mut r2 = mk("r2", Channel::Voice, mon + 7 * 3600 + 2400, "T1");
    r2.first_response_s = Some(40.0);
    r2.handle_s = Some(100.0);
    r2.csat = Some(2);
    r2.cost = Some(1.5);
    // r3: Monday 08:05 UTC = 10:05 CEST, chat, abandoned (chat rate 4), team T2.
    let mut r3 = mk("r3", Channel::Chat, mon + 8 * 3600 + 300, "T2");
    r3.abandoned = true;
    // r4: Sunday 00:30 UTC = 01:30 CET, email, answered after 3600 s (email SLA: 4 business
    // hours; Sunday has none, so 0 s counted: met), handled 200 s, closed, NPS 9, CES 3, not
    // resolved (email rate 3.5).
    let mut r4 = mk("r4", Channel::Email, sun + 1800, "T1");
    r4.first_response_s = Some(3600.0);
    r4.handle_s = Some(200.0);
    r4.closed_at = Some(sun + 1800 + 5000);
    r4.nps = Some(9);
    r4.ces = Some(3);
    // r5: Sunday 01:30 UTC = 03:30 CEST (one UTC hour after r4, two local hours), chat bot
    // handed off after 30 s, never answered, sentiment −0.5, revenue 20 (chat rate 4).
    let mut r5 = mk("r5", Channel::Chat, sun + 5400, "T1");
    r5.bot = true;
    r5.handed_off = true;
    r5.handoff_s = Some(30.0);
    r5.sentiment = Some(-0.5);
    r5.revenue = Some(20.0);
    let (e, scan) = engines(&[r4, r5, r1, r2, r3]);
    let q = Query::default();
    assert!(e.answers_from_cells(&q));
    let ids = [
        "contacts",
        "aht_s",
        "csat",
        "csat_satisfied",
        "first_response_mean_s",
        "resolution_rate",
        "sla",
        "transfer_rate",
        "qa_score",
        "cost_per_contact",
        "abandonment_rate",
        "nps",
        "ces",
        "survey_response_rate",
        "bot_containment",
        "handoff_rate",
        "handoff_mean_s",
        "sentiment",
        "sentiment_negative_share",
        "revenue_per_contact",
    ];
    let hs = e.heatmaps(&q, &ids).unwrap();
    let get = |id: &str, wd: usize, h: usize| {
        let k = ids.iter().position(|x| *x == id).unwrap();
        hs[k].cells[wd][h]
    };
    let (mo, su) = (0, 6);
    // Monday 09: r1 and r2.
    assert_eq!(get("contacts", mo, 9), Some(2.0));
    assert_eq!(get("aht_s", mo, 9), Some(200.0)); // (300 + 100) / 2
    assert_eq!(get("csat", mo, 9), Some(3.5)); // (5 + 2) / 2
    assert_eq!(get("csat_satisfied", mo, 9), Some(0.5)); // 5 ≥ 4, 2 not
    assert_eq!(get("first_response_mean_s", mo, 9), Some(30.0)); // (20 + 40) / 2
    assert_eq!(get("resolution_rate", mo, 9), Some(0.5)); // r1 of r1, r2
    assert_eq!(get("sla", mo, 9), Some(0.5)); // 20 ≤ 20 met, 40 missed
    assert_eq!(get("transfer_rate", mo, 9), Some(0.5)); // r1 transferred
    assert_eq!(get("qa_score", mo, 9), Some(86.0)); // (0.3·90 + 0.2·80) / 0.5
    assert_eq!(get("cost_per_contact", mo, 9), Some(5.75)); // (10 + 1.5) / 2
    assert_eq!(get("abandonment_rate", mo, 9), Some(0.0));
    assert_eq!(get("nps", mo, 9), None); // no answers
    assert_eq!(get("survey_response_rate", mo, 9), None); // none closed
                                                          // Monday 10: r3, abandoned.
    assert_eq!(get("contacts", mo, 10), Some(1.0));
    assert_eq!(get("abandonment_rate", mo, 10), Some(1.0));
    assert_eq!(get("sla", mo, 10), Some(0.0)); // abandoned: in the denominator, not met
    assert_eq!(get("resolution_rate", mo, 10), None); // not answered
    assert_eq!(get("cost_per_contact", mo, 10), Some(4.0));
    // Sunday 01 (CET): r4.
    assert_eq!(get("contacts", su, 1), Some(1.0));
    assert_eq!(get("nps", su, 1), Some(100.0)); // one promoter
    assert_eq!(get("ces", su, 1), Some(3.0));
    assert_eq!(get("survey_response_rate", su, 1), Some(1.0)); // closed, answered
    assert_eq!(get("sla", su, 1), Some(1.0)); // no business hours on Sunday
    assert_eq!(get("resolution_rate", su, 1), Some(0.0));
    assert_eq!(get("cost_per_contact", su, 1), Some(3.5));
    // Sunday 02 does not exist locally: no contacts.
    assert_eq!(get("contacts", su, 2), Some(0.0));
    assert_eq!(get("aht_s", su, 2), None);
    // Sunday 03 (CEST): r5.
    assert_eq!(get("contacts", su, 3), Some(1.0));
    assert_eq!(get("bot_containment", su, 3), Some(0.0)); // handed off
    assert_eq!(get("handoff_rate", su, 3), Some(1.0));
    assert_eq!(get("handoff_mean_s", su, 3), Some(30.0));
    assert_eq!(get("sentiment", su, 3), Some(-0.5));
    assert_eq!(get("sentiment_negative_share", su, 3), Some(1.0));
    assert_eq!(get("revenue_per_contact", su, 3), Some(20.0));
    assert_eq!(get("sla", su, 3), None); // neither answered nor abandoned
    assert_eq!(get("transfer_rate", su, 3), None); // not handled
                                                   // The row scan agrees exactly (integer counts and sums of halves).
    assert_eq!(scan.heatmaps(&q, &ids).unwrap(), hs);
    // One team: r3 (T2) drops out of Monday 10.
    let t1 = Query::default().filter("team", &["T1"]);
    assert!(e.answers_from_cells(&t1));
    let h = e.heatmap(&t1, "abandonment_rate").unwrap();
    assert_eq!(h.cells[mo][10], None);
    assert_eq!(h.cells[mo][9], Some(0.0));
    assert_eq!(h, scan.heatmap(&t1, "abandonment_rate").unwrap());
    // Date × hour: the two local days, Sunday's 03 row, Monday's 09 value.
    let d = e.date_hour(&q, "aht_s").unwrap();
    assert_eq!(d.rows, ["2026-03-29", "2026-03-30"]);
    assert_eq!(d.cells[0][1], Some(200.0));
    assert_eq!(d.cells[0][3], None); // r5 has no handle time
    assert_eq!(d.cells[1][9], Some(200.0));
    assert_eq!(d, scan.date_hour(&q, "aht_s").unwrap());
}

#[test]
fn empty_data_gives_empty_heatmaps() {
    let (e, scan) = engines(&[]);
    let a = e
        .heatmaps(&Query::default(), &["csat", "contacts"])
        .unwrap();
    assert_eq!(
        a,
        scan.heatmaps(&Query::default(), &["csat", "contacts"])
            .unwrap()
    );
    assert!(a[0].cells.iter().flatten().all(Option::is_none));
    assert!(a[1].cells.iter().flatten().all(|x| *x == Some(0.0)));
    assert!(e.heatmaps(&Query::default(), &[]).unwrap().is_empty());
    assert!(e
        .date_hour(&Query::default(), "csat")
        .unwrap()
        .rows
        .is_empty());
}

#[test]
fn an_hour_of_more_than_65535_contacts_keeps_exact_counts() {
    // 70 000 voice contacts in one local hour (Berlin 10:00–11:00 on Monday 2026-03-30): the
    // cell hours take 32-bit counts (16-bit would stop at 65 535).
    let t = days_from_civil(2026, 3, 30) * 86_400 + 8 * 3600;
    let recs: Vec<ContactRecord> = (0..70_000u64)
        .map(|k| ContactRecord {
            id: format!("c{k}"),
            channel: Some(Channel::Voice),
            arrived_at: t + (k * 3600 / 70_000) as i64,
            first_response_s: (!k.is_multiple_of(3)).then_some((k % 50) as f64),
            abandoned: k.is_multiple_of(3),
            csat: (k.is_multiple_of(2)).then_some((k % 5 + 1) as u8),
            ..Default::default()
        })
        .collect();
    let (e, scan) = engines(&recs);
    let q = Query::default();
    assert!(e.answers_from_cells(&q));
    let a = e.heatmaps(&q, &LIGHT_KPIS).unwrap();
    assert_eq!(a[0].cells[0][10], Some(70_000.0));
    for (ha, hb) in a.iter().zip(scan.heatmaps(&q, &LIGHT_KPIS).unwrap()) {
        same(ha, &hb, "70 000 in one hour");
    }
}

/// Hourly series (the ops view's intraday line) of every light KPI from the hour accumulators
/// equal the row scan's, bucket by bucket, for every query above; a non-light KPI too (it keeps
/// the scan).
#[test]
fn hourly_series_equal_row_scan() {
    use omnikpi_engine::time::Bucket;
    let (e, scan) = engines(&synthetic());
    for (what, q) in queries() {
        for id in LIGHT_KPIS.iter().copied().chain(["first_response_p90_s"]) {
            let a = e.series(&q, id, Bucket::Hour, None).unwrap();
            let b = scan.series(&q, id, Bucket::Hour, None).unwrap();
            assert_eq!(a.len(), b.len(), "{what} {id}");
            for (sa, sb) in a.iter().zip(&b) {
                assert_eq!(sa.name, sb.name);
                assert_eq!(sa.points.len(), sb.points.len(), "{what} {id}");
                assert!(sa.points.len() >= 24, "{what} {id}: hourly points");
                for ((la, x), (lb, y)) in sa.points.iter().zip(&sb.points) {
                    assert_eq!(la, lb, "{what} {id}");
                    match (x, y) {
                        (None, None) => {}
                        (Some(x), Some(y)) => assert!(
                            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0),
                            "{what} {id} {la}: {x} vs {y}"
                        ),
                        _ => panic!("{what} {id} {la}: {x:?} vs {y:?}"),
                    }
                }
            }
        }
    }
}

/// Deviation alerts (latest hour against the same weekday-hour of the four weeks before) from
/// the hour accumulators equal the row scan's: five weeks of Berlin contacts (across the autumn
/// change) every 20 minutes, with a burst of 30 abandoned chat contacts in the last hour, so
/// that contacts and abandonment rate both deviate.
#[test]
fn deviation_alerts_equal_row_scan() {
    let start = days_from_civil(2026, 10, 1) * 86_400;
    let mut recs = Vec::new();
    let n = 35 * 24 * 3;
    for j in 0..n as i64 {
        let k = j as u64;
        if (k * 2_654_435_761).is_multiple_of(5) {
            // Hourly volume varies, so its baseline has a spread.
            continue;
        }
        let w = (k * 7919 % 600) as f64;
        recs.push(ContactRecord {
            id: format!("c{k}"),
            channel: Some(Channel::ALL[(k % 8) as usize]),
            arrived_at: start + j * 20 * 60,
            first_response_s: (!k.is_multiple_of(6)).then_some(w),
            abandoned: k.is_multiple_of(6),
            handle_s: Some(w + 30.0),
            ..Default::default()
        });
    }
    let last = start + (n as i64 - 1) * 20 * 60;
    for b in 0..30 {
        recs.push(ContactRecord {
            id: format!("burst{b}"),
            channel: Some(Channel::Chat),
            arrived_at: last + 1 + b,
            abandoned: true,
            ..Default::default()
        });
    }
    let (e, scan) = engines(&recs);
    let kpis = [
        "contacts",
        "sla",
        "abandonment_rate",
        "first_response_mean_s",
    ];
    for (what, q) in [
        ("all", Query::default()),
        ("chat", Query::default().filter("channel", &["chat"])),
    ] {
        let a = e.deviation_alerts(&q, &kpis, 4, 2.0).unwrap();
        let b = scan.deviation_alerts(&q, &kpis, 4, 2.0).unwrap();
        assert_eq!(a, b, "{what}");
        if what == "all" {
            let ids: Vec<&str> = a.iter().map(|x| x.kpi).collect();
            assert!(ids.contains(&"contacts"), "{what}: {ids:?}");
            assert!(ids.contains(&"abandonment_rate"), "{what}: {ids:?}");
        }
    }
}
