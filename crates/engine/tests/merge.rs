//! Property: KPIs over a union equal the merge of the parts' accumulators.

mod fixture;
use fixture::*;
use omnikpi_engine::measure::Merge;
use omnikpi_engine::{Channel, ContactRecord, Dim, Engine, KpiAcc, Query};
use proptest::prelude::*;

/// Channel, case, segment, arrival offset, duration base, flag bits, CSAT, NPS.
type Row1 = (u8, u8, u8, i64, u16, u8, Option<u8>, Option<u8>);

fn arb_contact() -> impl Strategy<Value = Row1> {
    (
        0u8..8,        // channel
        0u8..6,        // case
        0u8..4,        // segment (grouping of the parts)
        0i64..200_000, // arrival offset
        0u16..2000,    // first response / handle base
        0u8..64,       // flag bits
        proptest::option::of(1u8..=5),
        proptest::option::of(0u8..=10),
    )
}

fn build(rows: &[Row1]) -> Engine {
    let recs: Vec<ContactRecord> = rows
        .iter()
        .enumerate()
        .map(
            |(i, &(ch, case, seg, at, w, bits, csat, nps))| ContactRecord {
                id: format!("r{i}"),
                case_id: (case > 0).then(|| format!("K{case}")),
                customer_id: Some(format!("U{}", case % 3)),
                channel: Channel::from_index(ch as usize),
                arrived_at: T0 + at,
                first_response_s: (bits & 1 != 0).then_some(w as f64),
                abandoned: bits & 1 == 0 && bits & 2 != 0,
                handle_s: (bits & 4 != 0).then_some(w as f64 * 1.5),
                closed_at: (bits & 8 != 0).then_some(T0 + at + w as i64 * 3),
                resolved: bits & 16 != 0,
                bot: bits & 32 != 0,
                handed_off: bits & 48 == 32,
                handoff_s: (bits & 32 != 0).then_some(w as f64 / 10.0),
                transfers: (bits >> 2) as u32 % 2,
                cost: (bits & 2 != 0).then_some(w as f64 / 100.0),
                csat,
                nps,
                ces: csat.map(|c| c + 1),
                sentiment: nps.map(|n| n as f64 / 5.0 - 1.0),
                qa_accuracy: csat.map(|c| c as f64 * 20.0),
                segment: Some(format!("s{seg}")),
                ..Default::default()
            },
        )
        .collect();
    Engine::new(dataset(&recs), Default::default()).unwrap()
}

fn same(a: &[(&str, Option<f64>)], b: &[(&str, Option<f64>)]) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len());
    for ((ka, va), (kb, vb)) in a.iter().zip(b) {
        prop_assert_eq!(ka, kb);
        match (va, vb) {
            (None, None) => {}
            (Some(x), Some(y)) => prop_assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                "{}: {} vs {}",
                ka,
                x,
                y
            ),
            _ => prop_assert!(false, "{}: {:?} vs {:?}", ka, va, vb),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn union_equals_merge_of_groups(rows in proptest::collection::vec(arb_contact(), 0..60)) {
        let e = build(&rows);
        let now = Some(T0 + 100_000);
        let q = Query { now, ..Default::default() };
        let total = e.total(&q).unwrap();
        for by in [Dim::parse("segment"), Dim::Channel, Dim::parse("hour"), Dim::parse("weekday")] {
            let parts = e.contact_groups(&Query { by: vec![by], now, ..Default::default() }).unwrap();
            let mut merged = KpiAcc { queue: Some(0), ..Default::default() };
            for (_, a) in &parts {
                merged.merge(a);
            }
            same(&total.values(), &merged.values())?;
        }
        // The percentiles stored with each cell are those of its accumulator.
        if let Some(cells) = e.cells_for(&Query::default()) {
            prop_assert_eq!(cells.percentiles.len(), cells.cells.len());
            for (a, p) in cells.cells.iter().zip(&cells.percentiles) {
                prop_assert_eq!(a.percentiles(), *p);
            }
        }
        // The day × channel cells answer like a row scan.
        let mut scan = build(&rows);
        scan.set_use_cube(false);
        for q in [
            Query { now, ..Default::default() },
            // Without `now` a total is answered as the merge of its channels' groups.
            Query::default(),
            Query::default().filter("channel", &["voice", "chat"]),
            Query { now, by: vec![Dim::Channel], ..Default::default() },
            Query { by: vec![Dim::parse("day"), Dim::Channel], ..Default::default() },
            Query { now, by: vec![Dim::parse("week")], ..Default::default() }
                .filter("channel", &["voice", "chat", "email"]),
            Query { now: Some(T0 + 50_000), by: vec![Dim::parse("month")], ..Default::default() }
                .with_dates(Some("2026-11-17"), Some("2026-11-18")).unwrap(),
        ] {
            prop_assert_eq!(
                e.heatmap(&q, "contacts").unwrap(),
                scan.heatmap(&q, "contacts").unwrap()
            );
            let (a, b) = (e.report(&q).unwrap(), scan.report(&q).unwrap());
            prop_assert_eq!(a.len(), b.len());
            for (ga, gb) in a.iter().zip(&b) {
                prop_assert_eq!(&ga.key, &gb.key);
                same(&ga.kpis, &gb.kpis)?;
            }
        }
        // Two halves of the rows by arrival also merge to the total.
        let c = &e.dataset().contacts;
        let rows_ctx = e.rows(now);
        let (mut a, mut b) = (KpiAcc { queue: Some(0), ..Default::default() }, KpiAcc::default());
        for i in 0..c.len() {
            if i % 2 == 0 { a.add(&rows_ctx, i) } else { b.add(&rows_ctx, i) }
        }
        a.merge(&b);
        same(&total.values(), &a.values())?;
    }
}

/// KPIs whose value sums floats that are not whole numbers (costs, sentiment, QA weights,
/// handoff tenths): cells and rows add them in different orders, so they may differ in the last
/// bits. Every other KPI (counts, rates, whole-second means, percentiles) must be identical.
const FLOAT_SUMS: [&str; 6] = [
    "cost_per_contact",
    "cost_per_resolution",
    "revenue_per_contact",
    "sentiment",
    "qa_score",
    "handoff_mean_s",
];

fn identical(a: &[(&str, Option<f64>)], b: &[(&str, Option<f64>)]) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len());
    for ((ka, va), (kb, vb)) in a.iter().zip(b) {
        prop_assert_eq!(ka, kb);
        if FLOAT_SUMS.contains(ka) {
            same(&[(ka, *va)], &[(kb, *vb)])?;
        } else {
            prop_assert_eq!(va, vb, "{}", ka);
        }
    }
    Ok(())
}

type Row2 = (u8, u8, u8, u8, i64, u16, u8, Option<u8>);

fn arb_row() -> impl Strategy<Value = Row2> {
    (
        0u8..8,          // channel
        0u8..12,         // case
        0u8..4,          // segment (0: none)
        0u8..3,          // team
        0i64..1_500_000, // arrival offset: 17 days
        0u16..2000,      // first response / handle base
        0u8..64,         // flag bits
        proptest::option::of(1u8..=5),
    )
}

fn build2(rows: &[Row2]) -> Engine {
    let recs: Vec<ContactRecord> = rows
        .iter()
        .enumerate()
        .map(
            |(i, &(ch, case, seg, team, at, w, bits, csat))| ContactRecord {
                id: format!("r{i}"),
                case_id: (case > 0).then(|| format!("K{case}")),
                customer_id: Some(format!("U{}", case % 5)),
                channel: Channel::from_index(ch as usize),
                arrived_at: T0 + at,
                first_response_s: (bits & 1 != 0).then_some(w as f64),
                abandoned: bits & 1 == 0 && bits & 2 != 0,
                handle_s: (bits & 4 != 0).then_some(w as f64 * 1.5),
                closed_at: (bits & 8 != 0).then_some(T0 + at + w as i64 * 3),
                resolved: bits & 16 != 0,
                bot: bits & 32 != 0,
                handed_off: bits & 48 == 32,
                handoff_s: (bits & 32 != 0).then_some(w as f64 / 10.0),
                transfers: (bits >> 2) as u32 % 2,
                cost: (bits & 2 != 0).then_some(w as f64 / 100.0),
                csat,
                sentiment: csat.map(|n| n as f64 / 5.0 - 1.0),
                qa_accuracy: csat.map(|c| c as f64 * 20.0),
                segment: (seg > 0).then(|| format!("s{seg}")),
                team: Some(format!("t{team}")),
                ..Default::default()
            },
        )
        .collect();
    Engine::new(dataset(&recs), Default::default()).unwrap()
}

/// A random dashboard query: date range, channels, segments (including the empty value),
/// sometimes a second dimension or a business-hours filter (row scan), and a grouping.
fn arb_query() -> impl Strategy<Value = Query> {
    (
        proptest::option::of((0i64..18, 0i64..18)),
        proptest::option::of(0u8..=255),
        proptest::option::of(0u8..32),
        0u8..10,
        0u8..8,
        any::<bool>(),
    )
        .prop_map(|(dates, channels, segments, extra, by, now)| {
            let mut q = Query::default();
            if let Some((a, b)) = dates {
                q.from = Some(D + a.min(b));
                q.to = Some(D + a.max(b));
            }
            if let Some(m) = channels {
                let v: Vec<&str> = Channel::ALL
                    .iter()
                    .filter(|c| m >> (**c as usize) & 1 == 1)
                    .map(|c| c.as_str())
                    .collect();
                q = q.filter("channel", &v);
            }
            if let Some(m) = segments {
                let names = ["", "s1", "s2", "s3", "s9"];
                let v: Vec<&str> = (0..5)
                    .filter(|k| m >> k & 1 == 1)
                    .map(|k| names[k])
                    .collect();
                q = q.filter("segment", &v);
            }
            match extra {
                0 => q = q.filter("team", &["t1", "t2"]),
                1 => q.business_hours = Some(true),
                2 => q = q.filter("segment", &["s1", "s2"]),
                _ => {}
            }
            q.by = match by {
                0 => vec![],
                1 => vec![Dim::Channel, Dim::parse("day")],
                2 => vec![Dim::parse("segment")],
                3 => vec![Dim::parse("week"), Dim::parse("segment")],
                4 => vec![Dim::Channel],
                5 => vec![Dim::parse("month"), Dim::Channel],
                6 => vec![Dim::parse("segment"), Dim::Channel, Dim::parse("day")],
                _ => vec![Dim::parse("hour_of_day")],
            };
            if now {
                q.now = Some(T0 + 700_000);
            }
            q
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Day × channel × segment cells answer dimension-filtered and dimension-grouped queries
    /// exactly like a row scan: reports, channel × day trends (with their accumulators) and
    /// volume heatmaps.
    #[test]
    fn dimension_cells_equal_row_scan(
        rows in proptest::collection::vec(arb_row(), 0..120),
        queries in proptest::collection::vec(arb_query(), 1..6),
    ) {
        let e = build2(&rows);
        let mut scan = build2(&rows);
        scan.set_use_cube(false);
        for q in &queries {
            // Cells answer when at most one dimension besides channel is filtered or grouped.
            let mut dims: Vec<&str> = q.filters.iter().map(|(d, _)| d.as_str())
                .chain(q.by.iter().filter(|d| matches!(d, Dim::Column(_))).map(|d| d.name()))
                .filter(|d| *d != "channel")
                .collect();
            dims.sort();
            dims.dedup();
            let cells = q.business_hours.is_none()
                && dims.len() <= 1
                && !q.by.contains(&Dim::parse("hour_of_day"));
            prop_assert_eq!(e.answers_from_cells(q), cells && !rows.is_empty(), "{:?}", q);
            prop_assert!(!scan.answers_from_cells(q));
            prop_assert_eq!(
                e.heatmap(q, "contacts").unwrap(),
                scan.heatmap(q, "contacts").unwrap()
            );
            // Light KPI heatmaps from the cells' hour accumulators, weekday × hour and date ×
            // hour.
            let light = omnikpi_engine::kpi::LIGHT_KPIS;
            for (ha, hb) in e.heatmaps(q, &light).unwrap().iter().zip(scan.heatmaps(q, &light).unwrap()) {
                prop_assert_eq!(&ha.rows, &hb.rows);
                for (ra, rb) in ha.cells.iter().zip(&hb.cells) {
                    let ids = vec![ha.kpi.as_str(); ra.len()];
                    let a: Vec<_> = ids.iter().copied().zip(ra.iter().copied()).collect();
                    let b: Vec<_> = ids.iter().copied().zip(rb.iter().copied()).collect();
                    identical(&a, &b)?;
                }
            }
            for id in ["csat", "sla", "cost_per_contact"] {
                let (ha, hb) = (e.date_hour(q, id).unwrap(), scan.date_hour(q, id).unwrap());
                prop_assert_eq!(&ha.rows, &hb.rows);
                for (ra, rb) in ha.cells.iter().zip(&hb.cells) {
                    let a: Vec<_> = ra.iter().map(|x| (id, *x)).collect();
                    let b: Vec<_> = rb.iter().map(|x| (id, *x)).collect();
                    identical(&a, &b)?;
                }
            }
            let (a, b) = (e.report(q).unwrap(), scan.report(q).unwrap());
            prop_assert_eq!(a.len(), b.len(), "{:?}", q);
            for (ga, gb) in a.iter().zip(&b) {
                prop_assert_eq!(&ga.key, &gb.key);
                identical(&ga.kpis, &gb.kpis)?;
            }
            let trend = Query { by: vec![Dim::Channel, Dim::parse("day")], ..q.clone() };
            let (mut a, mut b) = (e.contact_groups(&trend).unwrap(), scan.contact_groups(&trend).unwrap());
            a.sort_by(|x, y| x.0.cmp(&y.0));
            b.sort_by(|x, y| x.0.cmp(&y.0));
            prop_assert_eq!(a.len(), b.len());
            for ((ka, xa), (kb, xb)) in a.iter().zip(&b) {
                prop_assert_eq!(ka, kb);
                prop_assert_eq!(xa.contacts, xb.contacts);
                prop_assert_eq!(&xa.handle, &xb.handle);
                prop_assert_eq!(&xa.first_response, &xb.first_response);
                prop_assert_eq!(&xa.cases.customers, &xb.cases.customers);
                identical(&xa.values(), &xb.values())?;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `light_report` answers exactly when the cells can (no live queue, no grouping by a
    /// dimension column), with the report's groups, in its order, and the report's values of
    /// every light KPI bit for bit; its accumulators give the same n.
    #[test]
    fn light_report_equals_report_on_light_kpis(
        rows in proptest::collection::vec(arb_row(), 0..120),
        queries in proptest::collection::vec(arb_query(), 1..6),
    ) {
        let e = build2(&rows);
        let mut scan = build2(&rows);
        scan.set_use_cube(false);
        let light = omnikpi_engine::kpi::LIGHT_KPIS;
        for q in &queries {
            let expect = e.answers_from_cells(q)
                && q.now.is_none()
                && q.by.iter().all(|d| matches!(d, Dim::Channel | Dim::Time(_)));
            prop_assert!(scan.light_report(q).is_none());
            // Asked for KPIs by id: the light answer when they are all light and there is
            // one, else the full one.
            let full = e.report(q).unwrap();
            prop_assert_eq!(&e.report_for(q, &["csat", "fcr"]).unwrap(), &full);
            let total = Query { by: vec![], ..q.clone() };
            prop_assert_eq!(e.total_for(q, &["csat", "fcr"]).unwrap(), e.total(q).unwrap());
            match e.light_report(q) {
                Some(l) => prop_assert_eq!(e.report_for(q, &["csat", "sla"]).unwrap(), l),
                None => prop_assert_eq!(e.report_for(q, &["csat", "sla"]).unwrap(), full),
            }
            // With no light group (no contacts), the total's empty accumulator.
            match e.light_groups(&total).and_then(|l| l.into_iter().next()) {
                Some((_, l)) => prop_assert_eq!(e.total_for(q, &["sla"]).unwrap(), l),
                None => prop_assert_eq!(e.total_for(q, &["sla"]).unwrap(), e.total(q).unwrap()),
            }
            match e.light_groups(q) {
                Some(l) => prop_assert_eq!(e.contact_groups_for(q, &["sla"]).unwrap(), l),
                None => prop_assert_eq!(e.contact_groups_for(q, &["sla"]).unwrap(), e.contact_groups(q).unwrap()),
            }
            let Some(got) = e.light_report(q) else {
                prop_assert!(!expect, "no light report for {:?}", q);
                continue;
            };
            prop_assert!(expect, "a light report for {:?}", q);
            let full = e.report(q).unwrap();
            prop_assert_eq!(got.len(), full.len(), "{:?}", q);
            for (g, f) in got.iter().zip(&full) {
                prop_assert_eq!(&g.key, &f.key);
                let ids: Vec<&str> = g.kpis.iter().map(|(id, _)| *id).collect();
                prop_assert_eq!(&ids[..], &light[..]);
                for (id, v) in &g.kpis {
                    prop_assert_eq!(*v, f.get(id), "{} in {:?} of {:?}", id, g.key, q);
                }
            }
            let accs = e.light_groups(q).unwrap();
            let full = e.contact_groups(q).unwrap();
            prop_assert_eq!(accs.len(), full.len());
            for ((ka, a), (kf, f)) in accs.iter().zip(&full) {
                prop_assert_eq!(ka, kf);
                for id in light {
                    let n = |x: &omnikpi_engine::KpiAcc| {
                        omnikpi_engine::analysis::stat(x, id).map(|s| s.parts())
                    };
                    prop_assert_eq!(n(a), n(f), "{} n", id);
                }
            }
        }
    }
}
