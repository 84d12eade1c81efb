//! `kpi`: the engine on the command line, for scripted reports, tests and benchmarks.

use omnikpi_engine::{io, Config, KpiAcc};
use std::process::ExitCode;

const HELP: &str = "kpi — omnikpi's KPI engine on the command line

USAGE:
    kpi report --input FILE [--config FILE] --format json|csv
    kpi --version
    kpi --help
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
        Some(other) => {
            eprintln!("kpi: unknown command '{other}'\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}

fn report(args: &[String]) -> Result<(), String> {
    let mut input = None;
    let mut config = Config::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--input" => input = it.next().cloned(),
            "--config" => {
                let p = it.next().ok_or("--config needs a file")?;
                let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
                config = Config::from_json(&text).map_err(|e| e.to_string())?;
            }
            "--format" => {
                it.next();
            }
            other => return Err(format!("unknown option '{other}'")),
        }
    }
    let input = input.ok_or("--input FILE is required")?;
    let text = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
    let tz = config.tz().map_err(|e| e.to_string())?;
    let mut loader = io::Loader::new();
    io::read_contacts_csv(&input, &text, &tz, &mut loader).map_err(|e| format!("{input}: {e}"))?;
    let ds = loader.finish();
    let mut acc = KpiAcc::default();
    for i in 0..ds.contacts.len() {
        acc.add(&ds.contacts, i, &config);
    }
    let out = serde_json::json!({
        "rows_read": ds.report.rows_read,
        "rows_loaded": ds.report.rows_loaded,
        "rows_rejected": ds.report.rows_rejected,
        "groups": [{"key": {}, "kpis": acc.values()}],
    });
    println!("{out}");
    Ok(())
}
