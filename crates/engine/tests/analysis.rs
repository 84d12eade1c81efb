//! Analyses against hand-computed values.

mod fixture;
use fixture::*;
use omnikpi_engine::analysis::{band_alerts, decompose, durations, moving_average, AlertKind};
use omnikpi_engine::kpi::Band;
use omnikpi_engine::{Bucket, Channel, Config, ContactRecord, Dim, Engine, Query};

/// Day D (Monday): 10 voice contacts at 10:00 + k minutes, 4 abandoned, topics 6 billing,
/// 4 tech. Day D+1: 12 contacts, 1 abandoned, topics 3 billing, 9 tech.
fn two_days() -> Engine {
    let mut recs: Vec<ContactRecord> = Vec::new();
    for k in 0..22i64 {
        let day1 = k < 10;
        let j = if day1 { k } else { k - 10 };
        let at = if day1 { T0 } else { T0 + 86_400 } + 10 * H + j * 60;
        let mut r = rec(C {
            id: Box::leak(format!("k{k}").into_boxed_str()),
            case: None,
            customer: None,
            channel: if j % 2 == 0 {
                Channel::Voice
            } else {
                Channel::Chat
            },
            at,
        });
        r.abandoned = if day1 { j < 4 } else { j < 1 };
        if !r.abandoned {
            r.first_response_s = Some(10.0);
        }
        r.topic = Some(
            if day1 {
                if j < 6 {
                    "billing"
                } else {
                    "tech"
                }
            } else if j < 3 {
                "billing"
            } else {
                "tech"
            }
            .into(),
        );
        recs.push(r);
    }
    Engine::new(dataset(&recs), Config::default()).unwrap()
}

#[test]
fn heatmap_weekday_hour_by_hand() {
    let e = engine();
    let h = e.heatmap(&Query::default(), "contacts").unwrap();
    assert_eq!(h.rows[0], "mon");
    // One contact per hour 09..17 on Monday; nothing else.
    for hour in 0..24 {
        let want = if (9..=17).contains(&hour) { 1.0 } else { 0.0 };
        assert_eq!(h.cells[0][hour], Some(want), "hour {hour}");
        assert_eq!(h.cells[1][hour], Some(0.0));
    }
    let h = e.heatmap(&Query::default(), "csat").unwrap();
    // c1 09:00 csat 4, c2 10:00 csat 5, c3 11:00 no answer, c4 12:00 csat 3.
    assert_eq!(h.cells[0][9], Some(4.0));
    assert_eq!(h.cells[0][10], Some(5.0));
    assert_eq!(h.cells[0][11], None);
    assert_eq!(h.cells[0][12], Some(3.0));
    let m = e.date_hour(&Query::default(), "contacts").unwrap();
    assert_eq!(m.rows, ["2026-11-16"]);
    assert_eq!(m.cells[0][13], Some(1.0));
}

#[test]
fn durations_summary() {
    let e = engine();
    let acc = e.total(&Query::default()).unwrap();
    let d = durations(&acc);
    assert_eq!(d[0].id, "first_response");
    // 5 10 15 40 50 10800 57600: n 7, mean 68520/7, median 40.
    assert_eq!(d[0].n, 7);
    assert_eq!(d[0].p50, Some(40.0));
    assert!(close(d[0].mean, 68_520.0 / 7.0));
    // Handle: 60 100 120 200 300 300 600 → median 200, p90 = ⌈6.3⌉ = 7th = 600, both above
    // 120 s so reported within ±1 % (log buckets).
    assert!((d[1].p50.unwrap() - 200.0).abs() <= 2.0);
    assert!((d[1].p90.unwrap() - 600.0).abs() <= 6.0);
}

#[test]
fn before_after_two_proportion_test() {
    let e = two_days();
    let cmp = e.before_after(&Query::default(), D + 1).unwrap();
    let ab = cmp.iter().find(|c| c.kpi == "abandonment_rate").unwrap();
    // Before 4/10 = 0.4, after 1/12. Pooled p = 5/22; se = √(5/22 · 17/22 · (1/10 + 1/12))
    // = 0.179435; z = (1/12 − 0.4)/0.179435 = −1.76480; p = 2(1 − Φ(1.76480)) = 0.07760.
    assert!(close(ab.a, 0.4));
    assert!(close(ab.b, 1.0 / 12.0));
    let t = ab.test.unwrap();
    assert!((t.statistic + 1.764_80).abs() < 1e-4, "{t:?}");
    assert!((t.p_value - 0.077_60).abs() < 1e-4, "{t:?}");
    // Contacts is a count: compared, not tested.
    let n = cmp.iter().find(|c| c.kpi == "contacts").unwrap();
    assert_eq!(
        (n.a, n.b, n.change, n.test),
        (Some(10.0), Some(12.0), Some(2.0), None)
    );
}

#[test]
fn trend_with_previous_period_and_moving_average() {
    let e = two_days();
    let q = Query::default()
        .with_dates(Some("2026-11-17"), Some("2026-11-17"))
        .unwrap();
    let t = e.trend(&q, "contacts", Bucket::Day, 7).unwrap();
    assert_eq!(t.points.len(), 1);
    let p = &t.points[0];
    assert_eq!(p.label, "2026-11-17");
    // 12 contacts; the previous period (one day) is Monday with 10; a year earlier is before
    // the data began: no data, not 0 contacts.
    assert_eq!(
        (p.value, p.previous, p.last_year),
        (Some(12.0), Some(10.0), None)
    );
    // Two days from Tuesday: the previous period is Sunday (before the data) and Monday.
    let q = Query::default()
        .with_dates(Some("2026-11-17"), Some("2026-11-18"))
        .unwrap();
    let t = e.trend(&q, "contacts", Bucket::Day, 7).unwrap();
    let prev: Vec<Option<f64>> = t.points.iter().map(|p| p.previous).collect();
    assert_eq!(prev, vec![None, Some(10.0)]);
    // By week, the data's one week (Monday and Tuesday of it) covers no overlay week whole.
    let t = e.trend(&q, "contacts", Bucket::Week, 4).unwrap();
    assert_eq!(
        t.points
            .iter()
            .map(|p| (p.previous, p.last_year))
            .collect::<Vec<_>>(),
        vec![(None, None)]
    );
    let q = Query::default()
        .with_dates(Some("2026-11-16"), Some("2026-11-18"))
        .unwrap();
    let t = e.trend(&q, "abandonment_rate", Bucket::Day, 2).unwrap();
    let v: Vec<Option<f64>> = t.points.iter().map(|p| p.value).collect();
    // 0.4, 1/12, no data; moving average of 2: 0.4, (0.4 + 1/12)/2, 1/12 (skips no data).
    assert_eq!(v[2], None);
    assert!(close(t.points[1].moving_average, (0.4 + 1.0 / 12.0) / 2.0));
    assert!(close(t.points[2].moving_average, 1.0 / 12.0));
    assert_eq!(moving_average(&[None, None], 3), vec![None, None]);
    // Days before the data began are no data, not 0 contacts, and the moving average does not
    // count them: Saturday 14 to Tuesday 17 November has 10 and 12 contacts on its last two.
    let q = Query::default()
        .with_dates(Some("2026-11-14"), Some("2026-11-17"))
        .unwrap();
    let t = e.trend(&q, "contacts", Bucket::Day, 3).unwrap();
    let v: Vec<(Option<f64>, Option<f64>)> = t
        .points
        .iter()
        .map(|p| (p.value, p.moving_average))
        .collect();
    assert_eq!(
        v,
        vec![
            (None, None),
            (None, None),
            (Some(10.0), Some(10.0)),
            (Some(12.0), Some(11.0))
        ]
    );
    // By week: the data's week (Monday and Tuesday of it) is partial, so a count's moving
    // average leaves it out; the week before has no data at all.
    let q = Query::default()
        .with_dates(Some("2026-11-09"), Some("2026-11-22"))
        .unwrap();
    let t = e.trend(&q, "contacts", Bucket::Week, 4).unwrap();
    let v: Vec<(Option<f64>, Option<f64>)> = t
        .points
        .iter()
        .map(|p| (p.value, p.moving_average))
        .collect();
    assert_eq!(v, vec![(None, None), (Some(22.0), None)]);
    // A rate's moving average takes the partial week as it is.
    let t = e.trend(&q, "abandonment_rate", Bucket::Week, 4).unwrap();
    assert!(t.points[1].moving_average.is_some());
    assert_eq!(t.points[1].moving_average, t.points[1].value);
    assert_eq!(t.points[0].value, None);
    // Split series: channel × day.
    let s = e
        .series(
            &Query::default(),
            "contacts",
            Bucket::Day,
            Some(Dim::Channel),
        )
        .unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].name, "voice");
    // Voice: even j → day 1: 5 of 10; day 2: 6 of 12.
    assert_eq!(s[0].points[0].1, Some(5.0));
    assert_eq!(s[0].points[1].1, Some(6.0));
}

#[test]
fn top_topics_with_growth() {
    let e = two_days();
    let q = Query::default()
        .with_dates(Some("2026-11-17"), Some("2026-11-17"))
        .unwrap();
    let t = e.top_topics(&q, 10).unwrap();
    // Tuesday: tech 9 (Monday 4: growth 9/4 − 1 = 1.25), billing 3 (Monday 6: −0.5).
    assert_eq!(t[0].topic, "tech");
    assert_eq!((t[0].contacts, t[0].previous), (9, Some(4)));
    assert!(close(t[0].growth, 1.25));
    assert!(close(Some(t[0].share), 0.75));
    assert_eq!(t[1].topic, "billing");
    assert!(close(t[1].growth, -0.5));
    // Monday, the data's first day: its previous period (Sunday) is before the data, so the
    // previous count and the growth are no data, not 0 and "new".
    let q = Query::default()
        .with_dates(Some("2026-11-16"), Some("2026-11-16"))
        .unwrap();
    let t = e.top_topics(&q, 10).unwrap();
    assert_eq!(t.len(), 2);
    assert!(t.iter().all(|r| r.previous.is_none() && r.growth.is_none()));
}

#[test]
fn drivers_rate_and_mix_sum_exactly() {
    // X: 80/100 → 90/100; Y: 20/100 → 60/300. Totals 100/200 = 0.5 → 150/400 = 0.375.
    let a = vec![
        ("X".to_string(), 80.0, 100.0),
        ("Y".to_string(), 20.0, 100.0),
    ];
    let b = vec![
        ("X".to_string(), 90.0, 100.0),
        ("Y".to_string(), 60.0, 300.0),
    ];
    let d = decompose("sla", "segment", &a, &b);
    assert!(close(Some(d.change), -0.125));
    let x = d.segments.iter().find(|s| s.segment == "X").unwrap();
    let y = d.segments.iter().find(|s| s.segment == "Y").unwrap();
    // Mix is measured against the mean total R̄ = (0.5 + 0.375)/2 = 0.4375.
    // X: weights 0.5 → 0.25, rates 0.8 → 0.9: rate 0.1·(0.5+0.25)/2 = 0.0375;
    // mix −0.25·((0.8+0.9)/2 − 0.4375) = −0.103125: less of an above-average segment.
    // Y: rate 0; mix 0.25·(0.2 − 0.4375) = −0.059375: more of a below-average one. (Against
    // the segments' whole rates Y's shift read +0.05, as if moving toward Y had helped.)
    assert!(close(Some(x.rate_effect), 0.0375));
    assert!(close(Some(x.mix_effect), -0.103125));
    assert!(close(Some(y.rate_effect), 0.0));
    assert!(close(Some(y.mix_effect), -0.059375));
    assert!((d.rate_effect + d.mix_effect - d.change).abs() < 1e-15);
    // A segment only in period b: all mix. Z 10/10 appears: totals 0.5 → 160/410.
    let mut b2 = b.clone();
    b2.push(("Z".to_string(), 10.0, 10.0));
    let d = decompose("sla", "segment", &a, &b2);
    let z = d.segments.iter().find(|s| s.segment == "Z").unwrap();
    assert_eq!(z.rate_effect, 0.0);
    assert!(close(
        Some(z.mix_effect),
        10.0 / 410.0 * (1.0 - (0.5 + 160.0 / 410.0) / 2.0)
    ));
    assert!((d.rate_effect + d.mix_effect - (160.0 / 410.0 - 0.5)).abs() < 1e-15);
    // Through the engine: abandonment by channel between the two days sums to the change.
    let e = two_days();
    let d = e
        .drivers(
            &Query::default(),
            "abandonment_rate",
            Dim::Channel,
            (D, D),
            (D + 1, D + 1),
        )
        .unwrap()
        .unwrap();
    assert!(close(Some(d.change), 1.0 / 12.0 - 0.4));
    assert!((d.rate_effect + d.mix_effect - d.change).abs() < 1e-15);
}

#[test]
fn band_and_deviation_alerts() {
    let g = engine().report(&Query::default()).unwrap().remove(0);
    let alerts = band_alerts(&g.kpis, &Config::default());
    // CSAT 4.0 is between 3.8 and 4.2: watch. NPS 0 is between 0 and 50: watch.
    let csat = alerts.iter().find(|a| a.kpi == "csat").unwrap();
    assert_eq!((csat.kind, csat.band), (AlertKind::Band, Band::Watch));
    assert!(alerts
        .iter()
        .any(|a| a.kpi == "nps" && a.band == Band::Watch));
    // Bot containment 0.5 < 0.6 good threshold: watch (no bad threshold).
    assert!(alerts.iter().any(|a| a.kpi == "bot_containment"));
    // Occupancy 0.8516 is in 70–85 %? No: above 0.85, below 0.90 → watch.
    assert!(alerts
        .iter()
        .any(|a| a.kpi == "occupancy" && a.band == Band::Watch));

    // Monday 10:00 volumes over four weeks 2, 3, 2, 3, then 10 this Monday.
    let mut recs = Vec::new();
    for (w, n) in [(4i64, 2), (3, 3), (2, 2), (1, 3), (0, 10)] {
        for j in 0..n {
            recs.push(rec(C {
                id: Box::leak(format!("w{w}-{j}").into_boxed_str()),
                case: None,
                customer: None,
                channel: Channel::Voice,
                at: T0 - w * 7 * 86_400 + 10 * H + j * 60,
            }));
        }
    }
    let e = Engine::new(dataset(&recs), Config::default()).unwrap();
    let a = e
        .deviation_alerts(&Query::default(), &["contacts"], 4, 3.0)
        .unwrap();
    // Baseline mean 2.5, sd √((4·0.25)/3) = 0.57735; z = 7.5 / 0.57735 = 12.990.
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].bucket.as_deref(), Some("2026-11-16T10:00"));
    assert!(close(a[0].baseline, 2.5));
    assert!((a[0].z.unwrap() - 7.5 / (1.0f64 / 3.0).sqrt()).abs() < 1e-9);
}

#[test]
fn channel_transitions_and_usage() {
    let e = engine();
    let t = e.transitions(&Query::default()).unwrap();
    let (v, c, m) = (0, 1, 2); // voice, chat, email
                               // A: c1 voice → c2 chat → c9 chat; B: c3 voice → c4 voice; D: c6 chat → c7 email.
    assert_eq!(t.counts[v][c], 1);
    assert_eq!(t.counts[c][c], 1);
    assert_eq!(t.counts[v][v], 1);
    assert_eq!(t.counts[c][m], 1);
    assert_eq!(t.counts.iter().flatten().sum::<u64>(), 4);
    // Only cases whose first contact is on voice: A and B.
    let t = e
        .transitions(&Query::default().filter("channel", &["voice"]))
        .unwrap();
    assert_eq!(t.counts.iter().flatten().sum::<u64>(), 3);
    assert_eq!(t.counts[c][m], 0);
    let u = e.channel_usage(&Query::default()).unwrap();
    // voice 3 (resolved c4), chat 4 (c8, c9), email 2 (c5, c7): 5 resolutions.
    assert_eq!(u[0].contacts, 3);
    assert!(close(Some(u[1].share), 4.0 / 9.0));
    assert!(close(u[2].resolution_share, 2.0 / 5.0));
}

#[test]
fn staffing_cells_from_the_fixture() {
    let e = engine();
    let cells = e.staffing(&Query::default()).unwrap();
    // Range = Monday only. Mon 09:00 voice: c1, 1 contact per hour, AHT 300 s: traffic
    // 300/3600 = 0.0833 E; one agent: C(1, A) = A, SL = 1 − 0.0833·e^(−(1 − 0.0833)·20/300)
    // = 0.9216 ≥ 0.80 → 1 agent. No interval-based agent rows: staffed unknown.
    let c = cells
        .iter()
        .find(|c| c.weekday == "mon" && c.hour == 9 && c.channel == Channel::Voice)
        .unwrap();
    assert_eq!(c.contacts_per_hour, 1.0);
    assert_eq!(c.aht_s, Some(300.0));
    assert_eq!(c.agents_needed, Some(1));
    assert_eq!(c.agents_staffed, None);
    // Mon 11:00 voice: c3 abandoned, no handle time → no requirement.
    let c = cells
        .iter()
        .find(|c| c.weekday == "mon" && c.hour == 11)
        .unwrap();
    assert_eq!((c.aht_s, c.agents_needed), (None, None));
    let sl = omnikpi_engine::staffing::service_level(1, 300.0 / 3600.0, 300.0, 20.0);
    assert!((sl - 0.9216).abs() < 1e-4, "{sl}");
    // Four weeks around the data's one Monday: still that Monday's volume, not a quarter of it
    // (the weeks before and after the data are no data, not four quiet Mondays).
    let wide = Query::default()
        .with_dates(Some("2026-11-02"), Some("2026-11-29"))
        .unwrap();
    assert_eq!(e.staffing(&wide).unwrap(), cells);
}

/// Six cases over ten days, the data ending at day D+10 00:00: with a 7-day window, cases whose
/// first contact is at or after D+3 00:00 are recent.
///
/// | case | first contact | channel | later contacts |
/// |------|---------------|---------|----------------|
/// | A | D 00:00 | voice | D+9 chat |
/// | G | D+3 00:00 (the window's first second) | voice | |
/// | B | D+5 00:00 | chat | |
/// | C (no case id) | D+8 10:00 | chat | |
/// | E | D+8 12:00 | voice | |
/// | F (no case id) | D+10 00:00 (the last arrival) | voice | |
#[test]
fn case_maturity_counts_the_cases_still_inside_the_window() {
    let day = 86_400;
    let c = |id, case, channel, at| {
        rec(C {
            id,
            case,
            customer: None,
            channel,
            at,
        })
    };
    let recs = vec![
        c("a1", Some("A"), Channel::Voice, T0),
        c("g1", Some("G"), Channel::Voice, T0 + 3 * day),
        c("b1", Some("B"), Channel::Chat, T0 + 5 * day),
        c("c1", None, Channel::Chat, T0 + 8 * day + 10 * H),
        c("e1", Some("E"), Channel::Voice, T0 + 8 * day + 12 * H),
        c("a2", Some("A"), Channel::Chat, T0 + 9 * day),
        c("f1", None, Channel::Voice, T0 + 10 * day),
    ];
    let e = Engine::new(dataset(&recs), Config::default()).unwrap();
    let m = |q: Query| e.case_maturity(&q, 7).unwrap().unwrap();
    let all = m(Query::default());
    assert_eq!((all.cases, all.recent, all.since), (6, 5, T0 + 3 * day));
    assert_eq!(all.share(), Some(5.0 / 6.0));
    // A case counts where its first contact is: A's chat follow-up does not make it a chat case.
    let voice = m(Query::default().filter("channel", &["voice"]));
    assert_eq!((voice.cases, voice.recent), (4, 3));
    let chat = m(Query::default().filter("channel", &["chat"]));
    assert_eq!((chat.cases, chat.recent), (2, 2));
    // A period that ended before the window is settled; one inside it is all recent; A's
    // follow-up inside the range does not bring A in.
    let early = m(Query {
        from: Some(D),
        to: Some(D + 2),
        ..Query::default()
    });
    assert_eq!((early.cases, early.recent), (0, 0), "settled: not counted");
    let late = m(Query {
        from: Some(D + 6),
        to: Some(D + 10),
        ..Query::default()
    });
    assert_eq!((late.cases, late.recent), (3, 3));
    // A wider window takes in every case; no case, no share.
    assert_eq!(
        e.case_maturity(&Query::default(), 30)
            .unwrap()
            .unwrap()
            .recent,
        6
    );
    let none = m(Query::default().filter("channel", &["email"]));
    assert_eq!((none.cases, none.share()), (0, None));
    let empty = Engine::new(dataset(&[]), Config::default()).unwrap();
    assert_eq!(empty.case_maturity(&Query::default(), 7).unwrap(), None);
}

/// The KPI fixture's Monday cut at a time of day: contacts c1 09:00, c2 10:00, c3 11:00
/// (abandoned), c4 12:00, c5 13:00, … c7 17:00.
#[test]
fn last_day_until_keeps_the_last_days_contacts_before_the_cut() {
    let e = Engine::new(dataset(&contacts()), Config::default()).unwrap();
    let at = |cut: Option<i64>, by: Vec<Dim>| {
        e.report(&Query {
            from: Some(D),
            to: Some(D),
            last_day_until: cut,
            by,
            ..Query::default()
        })
        .unwrap()
    };
    let one = |cut, id| at(cut, Vec::new())[0].get(id);
    // Before 12:00: c1, c2, c3; the cut is exclusive, so a second later c4 is in.
    assert_eq!(one(Some(12 * H), "contacts"), Some(3.0));
    assert_eq!(one(Some(12 * H + 1), "contacts"), Some(4.0));
    assert_eq!(one(Some(12 * H), "abandonment_rate"), Some(1.0 / 3.0));
    // Before 09:00 there is nothing: no contacts, and CSAT is no data, not 0.
    assert_eq!(one(Some(9 * H), "contacts"), Some(0.0));
    assert_eq!(one(Some(9 * H), "csat"), None);
    // After the day's last contact the cut changes nothing, and the cells answer as before.
    let whole = at(None, vec![Dim::Channel]);
    assert_eq!(at(Some(23 * H), vec![Dim::Channel]), whole);
    // Per channel before 12:00: voice c1 and c3, chat c2.
    let by = at(Some(12 * H), vec![Dim::Channel]);
    let n = |ch: &str| {
        by.iter()
            .find(|g| g.key[0].1 == ch)
            .and_then(|g| g.get("contacts"))
    };
    assert_eq!(
        (n("voice"), n("chat"), n("email")),
        (Some(2.0), Some(1.0), None)
    );
    // A cut applies to the last day only: over two days it keeps the first whole.
    let two = e
        .report(&Query {
            from: Some(D - 1),
            to: Some(D),
            last_day_until: Some(12 * H),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(two[0].get("contacts"), Some(3.0));
    // Without `to` there is no last day to cut.
    let open = e
        .report(&Query {
            last_day_until: Some(12 * H),
            ..Query::default()
        })
        .unwrap();
    assert_eq!(open[0].get("contacts"), Some(contacts().len() as f64));
}

/// The engine of only the rows of `all` that arrived before `cut_h` o'clock on the fixture's
/// day: what a cut there must equal for the contact KPIs.
fn rows_before(all: &[ContactRecord], cut_h: i64) -> Engine {
    let before: Vec<ContactRecord> = all
        .iter()
        .filter(|r| r.arrived_at < T0 + cut_h * H)
        .cloned()
        .collect();
    Engine::new(dataset(&before), Config::default()).unwrap()
}

/// `q` with its last day cut at `cut_h` o'clock.
fn cut_at(q: &Query, cut_h: i64) -> Query {
    Query {
        last_day_until: Some(cut_h * H),
        ..q.clone()
    }
}

/// For contact KPIs a cut is the same as loading only the rows before it (case outcomes, like a
/// date range's, still see the case's later contacts).
#[test]
fn last_day_until_equals_the_rows_before_the_cut() {
    let all = contacts();
    let e = Engine::new(dataset(&all), Config::default()).unwrap();
    let ids = [
        "contacts",
        "abandonment_rate",
        "aht_s",
        "csat",
        "first_response_mean_s",
        "sla",
        "transfer_rate",
    ];
    for cut_h in [9, 10, 12, 14, 16, 18] {
        let want = rows_before(&all, cut_h);
        let q = Query {
            from: Some(D),
            to: Some(D),
            ..Query::default()
        };
        let got = e.report(&cut_at(&q, cut_h)).unwrap();
        let want = want.report(&q).unwrap();
        for id in ids {
            assert_eq!(got[0].get(id), want[0].get(id), "{id} before {cut_h}:00");
        }
    }
}

/// Over several days the cut day is answered apart and merged with the days before it (from
/// the day cells): the contact KPIs equal those of the rows before the cut, in total, per
/// channel and per day, with the cells on and off.
#[test]
fn last_day_until_over_several_days_merges_the_cut_day() {
    // The fixture's Monday, and two copies of it one and two days earlier.
    let mut all = Vec::new();
    for back in [2i64, 1, 0] {
        for r in contacts() {
            let mut r = r.clone();
            r.id = format!("{}-{back}", r.id);
            r.case_id = r.case_id.map(|c| format!("{c}-{back}"));
            r.arrived_at -= back * 86_400;
            r.closed_at = r.closed_at.map(|t| t - back * 86_400);
            all.push(r);
        }
    }
    let ids: Vec<&str> = omnikpi_engine::kpi::CATALOG
        .iter()
        .filter(|d| d.source == omnikpi_engine::kpi::Source::Contacts)
        .map(|d| d.id)
        .filter(|id| *id != "queue_length")
        .collect();
    for cells in [true, false] {
        let mut e = Engine::new(dataset(&all), Config::default()).unwrap();
        e.set_use_cube(cells);
        for cut_h in [10, 12, 15] {
            let want = rows_before(&all, cut_h);
            for by in [vec![], vec![Dim::Channel], vec![Dim::Time(Bucket::Day)]] {
                let q = Query {
                    from: Some(D - 2),
                    to: Some(D),
                    by,
                    now: None,
                    ..Query::default()
                };
                let got = e.report(&cut_at(&q, cut_h)).unwrap();
                let want = want.report(&q).unwrap();
                // The light path (counts and sums from the cells) gives the same light KPIs.
                if cells {
                    let light = e
                        .light_report(&cut_at(&q, cut_h))
                        .expect("the cells answer the whole days");
                    assert_eq!(light.len(), got.len());
                    for (l, g) in light.iter().zip(&got) {
                        assert_eq!(l.key, g.key);
                        for (id, v) in &l.kpis {
                            assert_eq!(*v, g.get(id), "light {id} {:?} cut {cut_h}:00", l.key);
                        }
                    }
                }
                assert_eq!(got.len(), want.len(), "groups, cut {cut_h}:00, {:?}", q.by);
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g.key, w.key);
                    for id in &ids {
                        assert_eq!(
                            g.get(id),
                            w.get(id),
                            "{id} {:?} cut {cut_h}:00 cells {cells}",
                            g.key
                        );
                    }
                }
            }
        }
    }
}
