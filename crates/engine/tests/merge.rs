//! Property: KPIs over a union equal the merge of the parts' accumulators.

mod fixture;
use fixture::*;
use omnikpi_engine::measure::Merge;
use omnikpi_engine::{Channel, ContactRecord, Dim, Engine, KpiAcc, Query};
use proptest::prelude::*;

fn arb_contact() -> impl Strategy<Value = (u8, u8, u8, i64, u16, u8, Option<u8>, Option<u8>)> {
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

fn build(rows: &[(u8, u8, u8, i64, u16, u8, Option<u8>, Option<u8>)]) -> Engine {
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
        // The day × channel cells answer like a row scan.
        let mut scan = build(&rows);
        scan.set_use_cube(false);
        for q in [
            Query { now, ..Default::default() },
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
