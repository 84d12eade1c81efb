//! The `kpi report` command end to end on a small canonical CSV.

use std::process::Command;

const CSV: &str =
    "id,case_id,channel,arrived_at,first_response_s,abandoned,handle_s,closed_at,resolved,team,csat
x1,K1,voice,2026-11-16T09:00:00Z,10,false,100,2026-11-16T09:05:00Z,true,t1,5
x2,K2,voice,2026-11-16T10:00:00Z,,true,,,false,t2,
x3,K3,chat,2026-11-17T10:00:00Z,20,false,200,2026-11-17T10:10:00Z,false,t1,2
";

const AGENTS: &str = "agent_id,team,date,scheduled_s,staffed_s,handling_s,adherent_s
a1,t1,2026-11-16,28800,27000,21600,25200
";

fn run(args: &[&str]) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("kpi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("c.csv");
    std::fs::write(&path, CSV).unwrap();
    let agents = dir.join("agents.csv");
    std::fs::write(&agents, AGENTS).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["report", "--input", path.to_str().unwrap(), "--now", "none"])
        .args(["--input", agents.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn report_json_total_and_grouped() {
    let v = run(&["--format", "json"]);
    // 3 contacts + 1 agent-day.
    assert_eq!(v["rows_read"], 4);
    assert_eq!(v["rows_loaded"], 4);
    assert_eq!(v["rows_rejected"], 0);
    let g = &v["groups"][0];
    assert_eq!(g["key"], serde_json::json!({}));
    assert_eq!(g["kpis"]["contacts"], 3.0);
    // CSAT 5 and 2 → 3.5; abandoned 1 of 3; AHT (100 + 200) / 2.
    assert_eq!(g["kpis"]["csat"], 3.5);
    assert_eq!(g["kpis"]["aht_s"], 150.0);
    assert!((g["kpis"]["abandonment_rate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(g["kpis"]["nps"], serde_json::Value::Null);
    // Occupancy 21600 / 27000 = 0.8; adherence 25200 / 28800 = 0.875.
    assert_eq!(g["kpis"]["occupancy"], 0.8);
    assert_eq!(g["kpis"]["adherence"], 0.875);
    // Every catalog id is present.
    assert_eq!(
        g["kpis"].as_object().unwrap().len(),
        omnikpi_engine::CATALOG.len()
    );

    let v = run(&["--format", "json", "--by", "channel"]);
    let keys: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"]["channel"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["voice", "chat"]);
    // Voice: answered x1 within 20 s; abandoned x2 → SLA 1/2.
    assert_eq!(v["groups"][0]["kpis"]["sla"], 0.5);

    let v = run(&[
        "--format",
        "json",
        "--from",
        "2026-11-17",
        "--filter",
        "team=t1,t2",
    ]);
    assert_eq!(v["groups"][0]["kpis"]["contacts"], 1.0);
    let v = run(&["--format", "json", "--by", "day"]);
    assert_eq!(v["groups"][1]["key"]["day"], "2026-11-17");
}
