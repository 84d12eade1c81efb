//! Interval-based agent rows: agent KPIs do not depend on whether an agent-day is written as one
//! daily row or split into hourly rows, and the staffing view's staffed count comes from the
//! interval rows alone, averaged over the weeks they cover (hand-computed numbers). Also the
//! generator's mixed `agents.csv` (daily rows, hourly rows for the last 8 weeks).

use omnikpi_engine::io::{load_many, LoadOptions, SourceBytes};
use omnikpi_engine::model::AgentRecord;
use omnikpi_engine::{Bucket, Config, Dataset, Dim, Engine, Query};
use std::collections::BTreeMap;
use std::process::Command;

const AGENT_HEAD: &str =
    "agent_id,team,date,interval_start,scheduled_s,staffed_s,handling_s,adherent_s,hired_on,left_on\n";
const CONTACT_HEAD: &str = "id,channel,arrived_at,handle_s,agent_id,team\n";

fn berlin() -> omnikpi_engine::Zone {
    omnikpi_engine::Zone::named("Europe/Berlin").unwrap()
}

fn load(contacts: &str, agents: &str) -> Dataset {
    let opts = LoadOptions {
        tz: berlin(),
        ..Default::default()
    };
    let srcs = [
        SourceBytes {
            name: "contacts.csv",
            bytes: contacts.as_bytes(),
            opts: opts.clone(),
        },
        SourceBytes {
            name: "agents.csv",
            bytes: agents.as_bytes(),
            opts,
        },
    ];
    let ds = load_many(&srcs).unwrap();
    assert_eq!(
        ds.report.rows_rejected,
        0,
        "{:?}",
        ds.report.rejected.first()
    );
    ds
}

fn engine(contacts: &str, agents: &str) -> Engine {
    let cfg = Config {
        timezone: "Europe/Berlin".into(),
        ..Default::default()
    };
    Engine::new(load(contacts, agents), cfg).unwrap()
}

/// One agent-day: (agent, team, date, scheduled, staffed, handling, adherent, left_on).
type Day = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    i64,
    i64,
    i64,
    &'static str,
);

const DAYS: [Day; 6] = [
    (
        "a1",
        "Voice",
        "2026-03-27",
        28_800,
        27_013,
        24_001,
        25_117,
        "",
    ),
    (
        "a1",
        "Voice",
        "2026-03-28",
        28_800,
        30_977,
        30_977,
        28_800,
        "",
    ),
    // The DST change (a 23-hour local day).
    ("a1", "Voice", "2026-03-29", 28_800, 0, 0, 0, ""),
    (
        "a2",
        "Chat",
        "2026-03-27",
        14_400,
        13_999,
        9_871,
        12_003,
        "2026-03-29",
    ),
    (
        "a2",
        "Chat",
        "2026-03-28",
        14_400,
        14_401,
        14_401,
        14_400,
        "2026-03-29",
    ),
    (
        "a3",
        "Chat",
        "2026-03-28",
        28_800,
        28_800,
        20_000,
        27_000,
        "",
    ),
];

fn split(total: i64, n: i64) -> Vec<i64> {
    // Uneven on purpose: the first hours take the remainder.
    (0..n)
        .map(|k| total / n + i64::from(k < total % n))
        .collect()
}

/// `DAYS` as daily rows, or as hourly rows from local 08:00 (`hourly`), the seconds split so
/// they add up to the day's.
fn agents_csv(hourly: bool) -> String {
    let mut s = AGENT_HEAD.to_string();
    for (id, team, date, sch, sta, han, adh, left) in DAYS {
        if !hourly {
            s += &format!("{id},{team},{date},,{sch},{sta},{han},{adh},2020-01-01,{left}\n");
            continue;
        }
        let n = (sch.max(sta) + 3599) / 3600;
        let (a, b, c, d) = (split(sch, n), split(sta, n), split(han, n), split(adh, n));
        for k in 0..n as usize {
            let at = format!("{date} {:02}:00", 8 + k);
            s += &format!(
                "{id},{team},{date},{at},{},{},{},{},2020-01-01,{left}\n",
                a[k], b[k], c[k], d[k]
            );
        }
    }
    s
}

const ONE_CONTACT: &str = "id,channel,arrived_at,handle_s,agent_id,team\n\
    c1,voice,2026-03-27 09:00,300,a1,Voice\n";

/// A group's key and its KPI values.
type KeyedValues = (Vec<(String, String)>, Vec<Option<f64>>);

fn agent_kpis(e: &Engine, q: &Query) -> Vec<KeyedValues> {
    e.report(q)
        .unwrap()
        .into_iter()
        .map(|g| {
            let v = ["occupancy", "utilization", "adherence", "turnover"]
                .iter()
                .map(|id| g.get(id))
                .collect();
            (g.key, v)
        })
        .collect()
}

#[test]
fn agent_kpis_are_the_same_for_daily_and_hourly_rows() {
    let daily = engine(ONE_CONTACT, &agents_csv(false));
    let hourly = engine(ONE_CONTACT, &agents_csv(true));
    assert_eq!(daily.dataset().agents.rows.len(), DAYS.len());
    assert!(hourly.dataset().agents.rows.len() > 30);
    assert!(hourly
        .dataset()
        .agents
        .rows
        .iter()
        .all(|r| r.interval_start.is_some()));
    // Mixed: the hourly rows of 2026-03-28 and daily rows otherwise.
    let (h, d) = (agents_csv(true), agents_csv(false));
    let mixed_csv: String = d
        .lines()
        .filter(|l| !l.contains(",2026-03-28,"))
        .chain(h.lines().filter(|l| l.contains(",2026-03-28,")))
        .map(|l| format!("{l}\n"))
        .collect();
    let mixed = engine(ONE_CONTACT, &mixed_csv);
    let all = Query::default()
        .with_dates(Some("2026-03-27"), Some("2026-03-29"))
        .unwrap();
    let queries = [
        all.clone(),
        all.clone().group_by(Dim::Time(Bucket::Day)),
        all.clone().group_by(Dim::Column("agent_id".into())),
        all.clone().group_by(Dim::Column("team".into())),
        all.clone().filter("team", &["Chat"]),
        Query::default()
            .with_dates(Some("2026-03-28"), Some("2026-03-28"))
            .unwrap(),
    ];
    for q in &queries {
        let want = agent_kpis(&daily, q);
        assert!(!want.is_empty());
        assert_eq!(agent_kpis(&hourly, q), want, "{q:?}");
        assert_eq!(agent_kpis(&mixed, q), want, "{q:?}");
    }
    // By hand over the three days: Σ handling / Σ staffed, Σ staffed / Σ scheduled,
    // Σ adherent / Σ scheduled; a2 leaves on 03-29 with 2 agents per covered day on average
    // (6 agent-days / 3 days).
    let sum = |f: fn(&Day) -> i64| DAYS.iter().map(f).sum::<i64>() as f64;
    let (sch, sta) = (sum(|d| d.3), sum(|d| d.4));
    let (han, adh) = (sum(|d| d.5), sum(|d| d.6));
    let total = &agent_kpis(&hourly, &all)[0].1;
    assert_eq!(total[0], Some(han / sta));
    assert_eq!(total[1], Some(sta / sch));
    assert_eq!(total[2], Some(adh / sch));
    assert_eq!(total[3], Some(1.0 / 2.0));
}

/// Four weeks, Mon 2026-02-02 to Sun 2026-03-01 (four of each weekday, CET = UTC+1). Voice
/// contacts Mondays 10:xx and Sundays 12:xx. Interval rows (UTC) cover only the last two
/// weeks, 2026-02-16 to 2026-03-01; a daily row and an interval row outside the range must not
/// count.
fn four_weeks() -> Engine {
    let mut c = CONTACT_HEAD.to_string();
    for (k, day) in ["2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"]
        .iter()
        .enumerate()
    {
        c += &format!("m{k},voice,{day} 10:15,240,a1,Voice\n");
    }
    for (k, day) in ["2026-02-08", "2026-02-15", "2026-02-22", "2026-03-01"]
        .iter()
        .enumerate()
    {
        c += &format!("s{k},voice,{day} 12:30,240,a1,Voice\n");
    }
    let a = format!(
        "{AGENT_HEAD}\
         a1,Voice,2026-02-09,,28800,28800,20000,28000,,\n\
         a1,Voice,2026-02-16,2026-02-16T09:00:00Z,3600,3600,3000,3600,,\n\
         a1,Voice,2026-02-16,2026-02-16T10:00:00Z,3600,3600,3000,3600,,\n\
         a1,Voice,2026-02-23,2026-02-23T09:00:00Z,3600,1800,1000,1800,,\n\
         a2,Voice,2026-02-23,2026-02-23T09:00:00Z,3600,3600,2000,3600,,\n\
         a2,Voice,2026-03-01,2026-03-01T11:00:00Z,3600,900,500,900,,\n\
         a2,Voice,2026-03-02,2026-03-02T09:00:00Z,3600,3600,2000,3600,,\n"
    );
    engine(&c, &a)
}

fn staffed(e: &Engine, q: &Query) -> BTreeMap<(&'static str, u32), Option<f64>> {
    e.staffing(q)
        .unwrap()
        .into_iter()
        .map(|c| ((c.weekday, c.hour), c.agents_staffed))
        .collect()
}

#[test]
fn staffed_agents_are_averaged_over_the_weeks_the_intervals_cover() {
    let e = four_weeks();
    let q = Query::default()
        .with_dates(Some("2026-02-02"), Some("2026-03-01"))
        .unwrap();
    let cells = e.staffing(&q).unwrap();
    let mon10 = cells
        .iter()
        .find(|c| c.weekday == "mon" && c.hour == 10)
        .unwrap();
    // Volume over the whole range: 4 contacts on 4 Mondays.
    assert_eq!(mon10.contacts_per_hour, 1.0);
    assert_eq!(mon10.agents_needed, Some(1));
    let s = staffed(&e, &q);
    // Mon 10:00 local = 09:00 UTC: 3600 + 1800 + 3600 s = 2.5 agent-hours over the 2 Mondays
    // the intervals span (16 and 23 Feb; 9 Feb's daily row and 2 Mar's interval do not count):
    // 1.25 (dividing by the range's 4 Mondays would give 0.625).
    assert_eq!(s[&("mon", 10)], Some(1.25));
    // Sun 12:00 (11:00 UTC): 900 s / 2 Sundays = 0.125.
    assert!(
        !s.contains_key(&("mon", 11)),
        "no contacts at Mon 11:00, no cell"
    );
    assert_eq!(s[&("sun", 12)], Some(0.125));
    // A range inside the intervals: Mon 23 Feb to Sun 1 Mar, one of each weekday.
    let q = Query::default()
        .with_dates(Some("2026-02-23"), Some("2026-03-01"))
        .unwrap();
    let s = staffed(&e, &q);
    assert_eq!(s[&("mon", 10)], Some(1.5));
    assert_eq!(s[&("sun", 12)], Some(0.25));
    // A range whose intervals start on its last Monday: from Mon 16 Feb to Mon 23 Feb the span
    // is 16–23 Feb, two Mondays and one Sunday.
    let q = Query::default()
        .with_dates(Some("2026-02-09"), Some("2026-02-23"))
        .unwrap();
    let s = staffed(&e, &q);
    assert_eq!(s[&("mon", 10)], Some(1.25));
    assert_eq!(s[&("sun", 12)], Some(0.0));
    // Before any interval row: no staffed count at all.
    let q = Query::default()
        .with_dates(Some("2026-02-02"), Some("2026-02-15"))
        .unwrap();
    assert!(staffed(&e, &q).values().all(Option::is_none));
}

#[test]
fn generator_writes_hourly_rows_for_the_last_eight_weeks() {
    let out = std::env::temp_dir().join(format!("omnikpi-gen-hourly-{}", std::process::id()));
    let st = Command::new(env!("CARGO_BIN_EXE_gen"))
        .args(["--end", "2026-11-23", "--days", "120", "--contacts", "6000"])
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let text = std::fs::read_to_string(out.join("agents.csv")).unwrap();
    let ds = load(CONTACT_HEAD, &text);
    let rows = &ds.agents.rows;
    let tz = berlin();
    // 2026-11-23 is day 20_780; the last 56 days start at 20_725 (2026-09-29).
    let first = 20_780 - 55;
    let mut per_day: BTreeMap<(i32, String), Vec<&AgentRecord>> = BTreeMap::new();
    for r in rows {
        assert_eq!(r.interval_start.is_some(), r.date >= first, "{r:?}");
        if let Some(t) = r.interval_start {
            let local = t + tz.offset_at(t) as i64;
            assert_eq!(local.div_euclid(86_400), r.date as i64, "local day {r:?}");
            assert_eq!(local % 3600, 0, "on the hour {r:?}");
            assert!(
                r.staffed_s <= 3600.0 && r.handling_s <= r.staffed_s,
                "{r:?}"
            );
            assert!(
                r.scheduled_s <= 3600.0 && r.adherent_s <= r.scheduled_s,
                "{r:?}"
            );
            per_day
                .entry((r.date, r.agent_id.clone()))
                .or_default()
                .push(r);
        }
    }
    assert!(per_day.len() > 100, "{}", per_day.len());
    for ((day, id), hours) in &per_day {
        // Consecutive hours, at least the shift, seconds in whole numbers.
        let starts: Vec<i64> = hours.iter().filter_map(|r| r.interval_start).collect();
        assert!(starts.windows(2).all(|w| w[1] - w[0] == 3600), "{id} {day}");
        let sch: f64 = hours.iter().map(|r| r.scheduled_s).sum();
        assert!(sch == 28_800.0 || sch == 14_400.0, "{id} {day} {sch}");
        assert!(hours.len() as f64 >= sch / 3600.0);
        assert!(hours.iter().all(|r| r.staffed_s.fract() == 0.0));
    }
    // The same agent-days as daily rows give the same agent KPIs.
    let mut daily = AGENT_HEAD.to_string();
    let mut sums: BTreeMap<(i32, String), (AgentRecord, [f64; 4])> = BTreeMap::new();
    for r in rows {
        let e = sums
            .entry((r.date, r.agent_id.clone()))
            .or_insert_with(|| (r.clone(), [0.0; 4]));
        e.1[0] += r.scheduled_s;
        e.1[1] += r.staffed_s;
        e.1[2] += r.handling_s;
        e.1[3] += r.adherent_s;
    }
    let day = |d: Option<i32>| {
        d.map(omnikpi_engine::io::write::format_day)
            .unwrap_or_default()
    };
    for (r, s) in sums.values() {
        daily += &format!(
            "{},{},{},,{},{},{},{},{},{}\n",
            r.agent_id,
            r.team.as_deref().unwrap_or(""),
            day(Some(r.date)),
            s[0],
            s[1],
            s[2],
            s[3],
            day(r.hired_on),
            day(r.left_on)
        );
    }
    let contacts = std::fs::read_to_string(out.join("demo.csv")).unwrap();
    let (a, b) = (engine(&contacts, &text), engine(&contacts, &daily));
    for q in [
        Query::default(),
        Query::default()
            .with_dates(Some("2026-10-01"), Some("2026-11-23"))
            .unwrap(),
        Query::default().group_by(Dim::Column("agent_id".into())),
        Query::default().group_by(Dim::Time(Bucket::Week)),
    ] {
        assert_eq!(agent_kpis(&a, &q), agent_kpis(&b, &q), "{q:?}");
    }
    // Staffed agents only from the hourly rows, over their 8 weeks.
    let cells = a.staffing(&Query::default()).unwrap();
    assert!(cells
        .iter()
        .any(|c| c.agents_staffed.is_some_and(|s| s > 0.5)));
    assert!(b
        .staffing(&Query::default())
        .unwrap()
        .iter()
        .all(|c| c.agents_staffed.is_none()));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_cut_last_day_leaves_out_the_intervals_that_start_after_the_cut() {
    // a1 hourly (Berlin, CET): 03-02 08:00 and 09:00, handling 1,800 s each; 03-03 08:00 to
    // 11:00, handling 1,000, 2,000, 3,000 and 600 s; every hour 3,600 s staffed. a2 one daily
    // row on 03-03 (no time of day: stays whole), staffed 20,000 s, handling 10,000 s.
    let mut agents = AGENT_HEAD.to_string();
    for (date, hour, handling) in [
        ("2026-03-02", 8, 1_800),
        ("2026-03-02", 9, 1_800),
        ("2026-03-03", 8, 1_000),
        ("2026-03-03", 9, 2_000),
        ("2026-03-03", 10, 3_000),
        ("2026-03-03", 11, 600),
    ] {
        agents +=
            &format!("a1,Voice,{date},{date} {hour:02}:00,3600,3600,{handling},3600,2020-01-01,\n");
    }
    agents += "a2,Chat,2026-03-03,,28800,20000,10000,20000,2020-01-01,\n";
    let contacts = "id,channel,arrived_at,handle_s,agent_id,team\n\
        c1,voice,2026-03-02 09:00,300,a1,Voice\n";
    let e = engine(contacts, &agents);
    let occupancy = |until: Option<i64>| {
        let mut q = Query::default()
            .with_dates(Some("2026-03-02"), Some("2026-03-03"))
            .unwrap();
        q.last_day_until = until;
        e.report(&q).unwrap()[0].get("occupancy")
    };
    // Whole days: every row.
    assert_eq!(occupancy(None), Some(20_200.0 / 41_600.0));
    // Until 10:30: the 10:00 interval (the cut falls in it) is kept, 11:00 is left out; the
    // first day and the daily row are whole.
    let kept = (3_600.0 + 6_000.0 + 10_000.0) / (7_200.0 + 10_800.0 + 20_000.0);
    assert_eq!(occupancy(Some(10 * 3600 + 1800)), Some(kept));
    // Until 10:00 exactly: the interval that starts at the cut is after it.
    let kept = (3_600.0 + 3_000.0 + 10_000.0) / (7_200.0 + 7_200.0 + 20_000.0);
    assert_eq!(occupancy(Some(10 * 3600)), Some(kept));
    // Before the first interval: only the daily row is left of 03-03.
    let kept = (3_600.0 + 10_000.0) / (7_200.0 + 20_000.0);
    assert_eq!(occupancy(Some(7 * 3600)), Some(kept));
}
