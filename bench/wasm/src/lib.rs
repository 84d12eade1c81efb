//! The engine behind the browser benchmark: one loaded dataset, the benchmark's three queries
//! (every catalog KPI per channel × day; per weekday × hour; one team's per channel × day).

use omnikpi_engine::{arrow_ipc, io, Config, Dim, Engine, Group, Query};
use wasm_bindgen::prelude::*;

/// A loaded dataset.
#[wasm_bindgen]
pub struct Bench {
    engine: Option<Engine>,
}

fn query(which: &str, team: &str) -> Query {
    let q = Query::default();
    match which {
        "heatmap" => q.group_by(Dim::Weekday).group_by(Dim::HourOfDay),
        "team" => q
            .filter("team", &[team])
            .group_by(Dim::Channel)
            .group_by(Dim::parse("day")),
        _ => q.group_by(Dim::Channel).group_by(Dim::parse("day")),
    }
}

impl Default for Bench {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Bench {
    /// An empty bench.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Bench {
        Bench { engine: None }
    }

    fn set(&mut self, ds: omnikpi_engine::Dataset) -> u32 {
        let n = ds.report.rows_loaded as u32;
        self.engine = Engine::new(ds, Config::default()).ok();
        n
    }

    /// Loads canonical CSV (UTC); returns the rows loaded.
    pub fn load_csv(&mut self, bytes: &[u8]) -> u32 {
        self.engine = None;
        match io::load_bytes("bench.csv", bytes, &io::options(None, omnikpi_engine::Zone::UTC)) {
            Ok(ds) => self.set(ds),
            Err(_) => 0,
        }
    }

    /// Loads Arrow IPC (file or stream); returns the rows loaded.
    pub fn load_arrow(&mut self, bytes: &[u8]) -> u32 {
        self.engine = None;
        match arrow_ipc::load("bench.arrow", bytes, None, omnikpi_engine::Zone::UTC) {
            Ok(ds) => self.set(ds),
            Err(_) => 0,
        }
    }

    /// Runs query `which` (`channel_day`, `heatmap`, `team`, or `volume`: the dashboard's
    /// weekday × hour volume heatmap); returns the number of groups.
    pub fn run(&self, which: &str, team: &str) -> u32 {
        match &self.engine {
            Some(e) if which == "volume" => {
                e.heatmap(&Query::default(), "contacts").map_or(0, |h| {
                    h.cells.iter().flatten().filter(|v| v.is_some()).count() as u32
                })
            }
            Some(e) => e.report(&query(which, team)).map_or(0, |g| g.len() as u32),
            None => 0,
        }
    }

    /// The answer of query `which` as JSON `[{key: [..labels], kpis: {id: value}}]`.
    pub fn answer(&self, which: &str, team: &str) -> String {
        if which == "volume" {
            let Some(h) = self
                .engine
                .as_ref()
                .and_then(|e| e.heatmap(&Query::default(), "contacts").ok())
            else {
                return "[]".into();
            };
            let mut v = Vec::new();
            for (r, row) in h.cells.iter().enumerate() {
                for (c, x) in row.iter().enumerate() {
                    if let Some(x) = x.filter(|x| *x > 0.0) {
                        v.push(serde_json::json!({ "key": [h.rows[r], h.cols[c]], "kpis": { "contacts": x } }));
                    }
                }
            }
            return serde_json::Value::Array(v).to_string();
        }
        let groups: Vec<Group> = match &self.engine {
            Some(e) => e.report(&query(which, team)).unwrap_or_default(),
            None => Vec::new(),
        };
        let v: Vec<serde_json::Value> = groups
            .iter()
            .map(|g| {
                let key: Vec<&str> = g.key.iter().map(|(_, v)| v.as_str()).collect();
                let kpis: serde_json::Map<String, serde_json::Value> = g
                    .kpis
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.to_string(),
                            v.map_or(serde_json::Value::Null, |x| x.into()),
                        )
                    })
                    .collect();
                serde_json::json!({ "key": key, "kpis": kpis })
            })
            .collect();
        serde_json::Value::Array(v).to_string()
    }
}
