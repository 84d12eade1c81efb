//! `kpi`: the engine on the command line, for scripted reports, tests and benchmarks.

use omnikpi_engine::cube::{Cube, CubeSpec};
use omnikpi_engine::{io, Config, Dataset, Dim, Engine, Group, Query};
use std::process::ExitCode;

const HELP: &str = "kpi — omnikpi's KPI engine on the command line

USAGE:
    kpi report --input FILE [--mapping FILE] [--input FILE [--mapping FILE]]... [--config FILE]
               [--from YYYY-MM-DD] [--to YYYY-MM-DD]
               [--filter DIM=V1,V2]... [--by DIM]... [--now UNIX_SECONDS|none]
               [--last-day-until HH:MM[:SS]] --format json|csv
    kpi cube --input FILE [--mapping FILE] [--input FILE]... [--config FILE] --out FILE
    kpi --version
    kpi --help

--by takes a dimension (channel, team, topic, any extra column, weekday, hour_of_day,
business_hours, peak) or a time bucket (hour, day, week, month, quarter) in the configured zone;
repeat it to group by several. Several --input files (contacts, agents, daily) load into one
dataset (the JSON lists rows read, loaded and rejected per input under \"sources\"); a --mapping
applies to the --input before it. --from/--to are inclusive local days; --last-day-until keeps
only the contacts of the --to day that arrived before that local time (the span a period that
ends now is compared over). --now is the instant the live queue is measured at (default: the
system clock; `none` leaves queue_length null). An
--input is CSV, JSON, NDJSON, a workbook or Arrow IPC (.arrow, .feather, .arrows), told from its
content and name. A cube CSV (docs/cube.md, written by `kpi cube` or the SQL in sql/) is an
--input like any other: `kpi report` then answers from it (with agents and daily inputs beside
it; never together with contact rows), exactly as from the rows for counts, sums and rates.

`kpi cube` aggregates the contacts of its inputs into a cube with the default dimensions
(channel, team, topic, segment, region, priority) per UTC hour, under the --config's SLA
thresholds and cost rates, and writes its CSV to --out.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => {
            println!("kpi {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("--help") | Some("-h") | None => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("report") => match report(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kpi: {e}");
                ExitCode::from(2)
            }
        },
        Some("cube") => match cube(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("kpi: {e}");
                ExitCode::from(2)
            }
        },
        Some(other) => {
            eprintln!("kpi: unknown command '{other}'\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    /// `--out` (for `kpi cube`).
    out: Option<String>,
    /// Input files, each with the mapping given after it.
    inputs: Vec<(String, Option<String>)>,
    config: Config,
    query: Query,
    csv: bool,
}

/// `HH:MM` or `HH:MM:SS` (up to 24:00:00) as seconds after midnight.
fn clock_seconds(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let n: Vec<i64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let secs = n[0] * 3600 + n[1] * 60 + n.get(2).copied().unwrap_or(0);
    (n[1] < 60 && n.get(2).is_none_or(|&x| x < 60) && secs <= 86_400).then_some(secs)
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut inputs: Vec<(String, Option<String>)> = Vec::new();
    let mut pending_mapping = None;
    let mut config = Config::default();
    let (mut from, mut to) = (None, None);
    let mut query = Query::default();
    let mut format = None;
    let mut out = None;
    let mut now = Some(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    );
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--input" => inputs.push((val("--input")?, pending_mapping.take())),
            "--mapping" => {
                let m = val("--mapping")?;
                match inputs.last_mut() {
                    Some((_, slot @ None)) => *slot = Some(m),
                    _ => pending_mapping = Some(m),
                }
            }
            "--config" => {
                let p = val("--config")?;
                let text = std::fs::read_to_string(&p).map_err(|e| format!("{p}: {e}"))?;
                config = Config::from_json(&text).map_err(|e| format!("{p}: {e}"))?;
            }
            "--from" => from = Some(val("--from")?),
            "--to" => to = Some(val("--to")?),
            "--filter" => {
                let f = val("--filter")?;
                let (dim, values) = f
                    .split_once('=')
                    .ok_or_else(|| format!("--filter expects DIM=V1,V2, got '{f}'"))?;
                let values: Vec<&str> = values.split(',').collect();
                query = query.filter(dim.trim(), &values);
            }
            "--by" => query = query.group_by(Dim::parse(&val("--by")?)),
            "--now" => {
                let v = val("--now")?;
                now = if v == "none" {
                    None
                } else {
                    Some(
                        v.parse()
                            .map_err(|_| format!("--now: '{v}' is not Unix seconds"))?,
                    )
                };
            }
            "--last-day-until" => {
                let v = val("--last-day-until")?;
                query.last_day_until = Some(clock_seconds(&v).ok_or_else(|| {
                    format!("--last-day-until: '{v}' is not a time of day HH:MM[:SS]")
                })?);
            }
            "--format" => format = Some(val("--format")?),
            "--out" => out = Some(val("--out")?),
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    let csv = match format.as_deref() {
        Some("json") | None => false,
        Some("csv") => true,
        Some(f) => return Err(format!("--format must be json or csv, not '{f}'")),
    };
    query = query
        .with_dates(from.as_deref(), to.as_deref())
        .map_err(|e| e.to_string())?;
    query.now = now;
    Ok(Args {
        out,
        inputs: if inputs.is_empty() {
            return Err("--input FILE is required".into());
        } else {
            inputs
        },
        config,
        query,
        csv,
    })
}

/// Reads the inputs through the io module (format and table detected from the name and the
/// content; a mapping for foreign exports) into one dataset.
fn load(a: &Args) -> Result<Dataset, String> {
    let tz = a.config.tz().map_err(|e| e.to_string())?;
    let mut loader = io::Loader::new();
    for (input, mapping) in &a.inputs {
        let bytes = std::fs::read(input).map_err(|e| format!("{input}: {e}"))?;
        let mapping = match mapping {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
                Some(io::Mapping::from_json(&text).map_err(|e| format!("{p}: {e}"))?)
            }
            None => None,
        };
        let opts = io::LoadOptions {
            mapping: mapping.as_ref(),
            ..io::options(None, tz)
        };
        io::load_into(&mut loader, input, &bytes, &opts).map_err(|e| format!("{input}: {e}"))?;
    }
    Ok(loader.finish())
}

fn report(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let ds = load(&a)?;
    let rep = ds.report.clone();
    let engine = Engine::new(ds, a.config.clone()).map_err(|e| e.to_string())?;
    let groups = engine.report(&a.query).map_err(|e| e.to_string())?;
    if a.csv {
        print!("{}", to_csv(&a.query, &groups));
    } else {
        // Per input, in order: name, rows_read, rows_loaded, rows_rejected, warnings.
        let sources = serde_json::to_string(&rep.sources).map_err(|e| e.to_string())?;
        println!(
            "{{\"rows_read\":{},\"rows_loaded\":{},\"rows_rejected\":{},\"sources\":{sources},\"groups\":[{}]}}",
            rep.rows_read,
            rep.rows_loaded,
            rep.rows_rejected,
            groups.iter().map(group_json).collect::<Vec<_>>().join(",")
        );
    }
    Ok(())
}

/// `kpi cube`: the inputs' contacts aggregated with the default [`CubeSpec`], written as CSV.
fn cube(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let out = a.out.clone().ok_or("--out FILE is required")?;
    let ds = load(&a)?;
    if ds.cube.is_some() {
        return Err("the input is a cube already".into());
    }
    let engine = Engine::new(ds, a.config.clone()).map_err(|e| e.to_string())?;
    let cube = Cube::build(&engine, &CubeSpec::default()).map_err(|e| e.to_string())?;
    std::fs::write(&out, cube.to_csv()).map_err(|e| format!("{out}: {e}"))?;
    eprintln!(
        "kpi: {} contacts in {} cube rows written to {out}",
        cube.contacts(),
        cube.cells.len()
    );
    Ok(())
}

/// One group as JSON, keys in grouping order and KPIs in catalog order.
fn group_json(g: &Group) -> String {
    let js = |s: &str| serde_json::Value::from(s).to_string();
    let key: Vec<String> = g
        .key
        .iter()
        .map(|(k, v)| format!("{}:{}", js(k), js(v)))
        .collect();
    let kpis: Vec<String> = g
        .kpis
        .iter()
        .map(|(k, v)| {
            let v = v.map_or("null".to_string(), |x| {
                serde_json::Value::from(x).to_string()
            });
            format!("{}:{v}", js(k))
        })
        .collect();
    format!(
        "{{\"key\":{{{}}},\"kpis\":{{{}}}}}",
        key.join(","),
        kpis.join(",")
    )
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn to_csv(q: &Query, groups: &[Group]) -> String {
    let mut out = String::new();
    let mut head: Vec<String> = q.by.iter().map(|d| csv_field(d.name())).collect();
    head.extend(omnikpi_engine::CATALOG.iter().map(|k| k.id.to_string()));
    out.push_str(&head.join(","));
    out.push('\n');
    for g in groups {
        let mut row: Vec<String> = g.key.iter().map(|(_, v)| csv_field(v)).collect();
        row.extend(
            g.kpis
                .iter()
                .map(|(_, v)| v.map_or(String::new(), |x| x.to_string())),
        );
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
