//! `gen`: omnikpi's deterministic demo-data generator. Same arguments, same files.
//!
//! ```text
//! gen [--end YYYY-MM-DD] [--days 365] [--contacts 70000] [--seed 42] [--tz Europe/Berlin]
//!     [--out public/data] [--contacts-file demo.csv] [--contacts-only]
//! ```
//! Writes `demo.csv` (contacts), `agents.csv` and `daily.csv`, canonical CSV, into `--out`.
//! `agents.csv` has one row per agent-day, except in the last 8 weeks: one row per agent per hour
//! worked there (`interval_start`), for the staffing view's staffed count.
//! `--contacts 1000000 --contacts-only --out /tmp/bench --contacts-file contacts-1m.csv`
//! makes a benchmark file (never commit those).

mod calendar;
mod daily;
mod profile;
mod rng;
mod sim;
mod staff;

use omnikpi_engine::io::write::{contact_cells, write_agents_csv, write_daily_csv};
use omnikpi_engine::io::CONTACT_FIELDS;
use std::io::Write;
use std::process::ExitCode;

struct Args {
    end: i32,
    days: i32,
    contacts: u64,
    seed: u64,
    tz: omnikpi_engine::zone::Zone,
    out: String,
    contacts_file: String,
    contacts_only: bool,
}

fn today() -> i32 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (now / 86_400) as i32
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        end: today(),
        days: 365,
        contacts: 70_000,
        seed: 42,
        tz: omnikpi_engine::zone::Zone::named("Europe/Berlin").unwrap(),
        out: "public/data".into(),
        contacts_file: "demo.csv".into(),
        contacts_only: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--end" => {
                let v = val()?;
                let d = chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                    .map_err(|e| format!("--end {v}: {e}"))?;
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
                a.end = (d - epoch).num_days() as i32;
            }
            "--days" => a.days = val()?.parse().map_err(|e| format!("--days: {e}"))?,
            "--contacts" => a.contacts = val()?.parse().map_err(|e| format!("--contacts: {e}"))?,
            "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--tz" => a.tz = val()?.parse().map_err(|e| format!("--tz: {e}"))?,
            "--out" => a.out = val()?,
            "--contacts-file" => a.contacts_file = val()?,
            "--contacts-only" => a.contacts_only = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.days < 28 {
        return Err("--days must be at least 28".into());
    }
    Ok(a)
}

/// `gen --measure FILE`: loads a canonical file and prints the heap bytes per contact.
fn measure(path: &str) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let t = std::time::Instant::now();
    let opts = omnikpi_engine::io::LoadOptions {
        tz: omnikpi_engine::zone::Zone::named("Europe/Berlin").unwrap(),
        ..Default::default()
    };
    let ds = omnikpi_engine::io::load_bytes(path, &bytes, &opts).map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    let c = &ds.contacts;
    let heap = c.heap_bytes();
    println!(
        "{path}: {} contacts ({} rejected), {} cases, {:.1} MB file, loaded in {secs:.2} s, {heap} heap bytes, {:.1} bytes per contact",
        c.len(),
        ds.report.rows_rejected,
        c.n_cases(),
        bytes.len() as f64 / 1e6,
        heap as f64 / c.len().max(1) as f64
    );
    let n = c.len().max(1) as f64;
    let per = |b: usize| format!("{:.2}", b as f64 / n);
    println!(
        "  ids {} case {} case_names {} channel {} arrived {} flags {} transfers {}",
        per(c.ids.heap_bytes()),
        per(c.case.capacity() * 4),
        per(c.case_names.heap_bytes()),
        per(c.channel.capacity()),
        per(c.arrived.capacity() * 8),
        per(c.flags.capacity()),
        per(c.transfers.capacity())
    );
    println!(
        "  first_response {} handle {} close_after {} handoff {} cost {} revenue {} sentiment {}",
        per(c.first_response.heap_bytes()),
        per(c.handle.heap_bytes()),
        per(c.close_after.heap_bytes()),
        per(c.handoff.heap_bytes()),
        per(c.cost.heap_bytes()),
        per(c.revenue.heap_bytes()),
        per(c.sentiment.heap_bytes())
    );
    println!(
        "  csat {} nps {} ces {} qa {}",
        per(c.csat.heap_bytes()),
        per(c.nps.heap_bytes()),
        per(c.ces.heap_bytes()),
        per(c.qa.iter().map(|q| q.heap_bytes()).sum())
    );
    for d in &c.dims {
        println!(
            "  dim {} {} ({} values)",
            d.name,
            per(d.codes.heap_bytes() + d.dict.heap_bytes()),
            d.dict.len()
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().collect();
    if argv.get(1).map(String::as_str) == Some("--measure") {
        return match argv.get(2).map(|p| measure(p)) {
            Some(Ok(())) => ExitCode::SUCCESS,
            Some(Err(e)) => {
                eprintln!("gen: {e}");
                ExitCode::from(2)
            }
            None => {
                eprintln!("usage: gen --measure FILE");
                ExitCode::from(2)
            }
        };
    }
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen: {e}");
            }
            eprintln!("usage: gen [--end YYYY-MM-DD] [--days N] [--contacts N] [--seed N] [--tz ZONE] [--out DIR] [--contacts-file NAME] [--contacts-only]");
            ExitCode::from(2)
        }
    }
}

/// Handling per case exceeds the per-channel medians (log-normal means, transfers, follow-ups
/// of voice cases): measured factor between the estimate and the simulated handling time.
const CALIBRATION: f64 = 1.3;

fn run(a: &Args) -> Result<(), String> {
    let cal = calendar::Calendar::new(a.end, a.days);
    let mut rng = rng::Rng::new(a.seed);
    // Follow-ups add about a third to the cases; scale the daily case volume accordingly.
    let cases_per_day = a.contacts as f64 / 1.36 / a.days as f64;
    let mut hours = [0.0f64; 3];
    for p in &profile::PROFILES {
        let human = 1.0 - 0.7 * p.bot;
        hours[staff::team_of(p.channel)] +=
            cases_per_day * 1.36 * p.share * human * p.handle * CALIBRATION / 3600.0;
    }
    let staff = staff::Staff::new(&cal, hours, &mut rng.fork(1));
    let customers = (a.contacts as usize / 3).max(500);
    let mut sim = sim::Sim::new(&cal, a.tz, staff, customers);
    std::fs::create_dir_all(&a.out).map_err(|e| format!("{}: {e}", a.out))?;
    let path = format!("{}/{}", a.out, a.contacts_file);
    let file = std::fs::File::create(&path).map_err(|e| format!("{path}: {e}"))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(CONTACT_FIELDS).map_err(|e| e.to_string())?;
    let mut err = None;
    let tz = a.tz;
    let mut emit = |r: &omnikpi_engine::ContactRecord| {
        if let Err(e) = w.write_record(contact_cells(r, &tz)) {
            err.get_or_insert(e.to_string());
        }
    };
    for day in cal.start..cal.start + cal.days {
        let mut drng = rng.fork(day as u64);
        let n = drng.poisson(cases_per_day * cal.volume(day));
        sim.day(day, n, &mut drng, &mut emit);
    }
    if let Some(e) = err {
        return Err(format!("{path}: {e}"));
    }
    w.flush().map_err(|e| format!("{path}: {e}"))?;
    eprintln!(
        "{path}: {} contacts, {} cases, {:.1} % of cases used more than one channel",
        sim.contacts,
        sim.cases,
        100.0 * sim.multi_channel as f64 / sim.cases.max(1) as f64
    );
    if a.contacts_only {
        return Ok(());
    }
    let agents = sim.staff.table(&tz, &mut rng.fork(2));
    let path = format!("{}/agents.csv", a.out);
    let f = std::fs::File::create(&path).map_err(|e| format!("{path}: {e}"))?;
    write_agents_csv(std::io::BufWriter::new(f), &agents, &tz)
        .map_err(|e| format!("{path}: {e}"))?;
    let hourly = agents.iter().filter(|r| r.interval_start.is_some()).count();
    eprintln!(
        "{path}: {} rows ({} daily, {hourly} hourly in the last {} weeks), {} agents",
        agents.len(),
        agents.len() - hourly,
        staff::INTERVAL_DAYS / 7,
        sim.staff.agents.len()
    );
    let days = daily::table(&cal, &sim.staff, customers, &mut rng.fork(3));
    let path = format!("{}/daily.csv", a.out);
    let f = std::fs::File::create(&path).map_err(|e| format!("{path}: {e}"))?;
    write_daily_csv(std::io::BufWriter::new(f), &days).map_err(|e| format!("{path}: {e}"))?;
    eprintln!("{path}: {} rows", days.len());
    std::io::stderr().flush().ok();
    Ok(())
}
