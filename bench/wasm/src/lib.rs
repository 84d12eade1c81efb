//! The engine behind the browser benchmark: one loaded dataset, the benchmark's queries (every
//! catalog KPI per channel × day; the six compared KPIs per weekday × hour; one team's every
//! KPI per channel × day; volume per weekday × hour). A CSV can be read whole or slice by slice
//! (`slices.rs`), so that the file never has to sit in wasm memory in one piece.

mod slices;

use omnikpi_engine::analysis::Heatmap;
use omnikpi_engine::io::{self, LoadJob};
use omnikpi_engine::{Config, Dim, Engine, Group, Query};
use slices::CsvSlices;
use wasm_bindgen::prelude::*;

/// A loaded dataset.
#[wasm_bindgen]
pub struct Bench {
    engine: Option<Engine>,
    /// A CSV being read slice by slice.
    slices: Option<CsvSlices>,
    /// An Arrow IPC source read while it arrives.
    arriving: Option<LoadJob>,
    /// What the last [`Bench::end_arriving`] spent, phase by phase (JSON).
    phases: String,
}

#[wasm_bindgen]
extern "C" {
    /// The page's clock (ms).
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

#[path = "../../../crates/engine/benches/common/heatmap_kpis.rs"]
mod heatmap_kpis;
use heatmap_kpis::HEATMAP_KPIS;

fn query(which: &str, team: &str) -> Query {
    let q = Query::default();
    match which {
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
        Bench {
            engine: None,
            slices: None,
            arriving: None,
            phases: String::new(),
        }
    }

    fn set(&mut self, ds: omnikpi_engine::Dataset) -> Result<u32, JsError> {
        let n = ds.report.rows_loaded as u32;
        self.engine =
            Some(Engine::new(ds, Config::default()).map_err(|e| JsError::new(&e.to_string()))?);
        Ok(n)
    }

    /// Reads one whole source (CSV or Arrow IPC file or stream, told apart by the content and
    /// `name`) the way the app does: the buffer is moved into the load job (`Vec<u8>`: one copy
    /// from JS into wasm memory, none inside), run to the end, then the engine is built. Returns
    /// the rows loaded. (Taking `&[u8]` and copying it again, as this module did, doubled the
    /// input in wasm memory: at 10M that alone was 2 × 1.63 GiB of wasm32's 4 GiB.)
    pub fn load(&mut self, name: &str, bytes: Vec<u8>) -> Result<u32, JsError> {
        self.engine = None;
        let opts = io::options(None, omnikpi_engine::Zone::UTC);
        let mut job = LoadJob::new(name, bytes, &opts).map_err(|e| JsError::new(&e.to_string()))?;
        job.run();
        self.set(job.finish())
    }

    /// Starts reading a source named `name` (Arrow IPC or CSV, told from the name and its
    /// first bytes) while it arrives, as the app reads a download ([`Bench::feed_arriving`],
    /// [`Bench::end_arriving`]); `size` is its length (0: unknown).
    pub fn begin_arriving(&mut self, name: &str, size: f64) {
        self.engine = None;
        let opts = io::options(None, omnikpi_engine::Zone::UTC);
        let size = (size > 0.0).then_some(size as u64);
        self.arriving = Some(LoadJob::arriving(
            &mut Default::default(),
            name,
            &opts,
            size,
        ));
    }

    /// The next bytes of the arriving source; the rows of the batches or records they
    /// complete are read.
    pub fn feed_arriving(&mut self, chunk: &[u8]) -> Result<(), JsError> {
        let job = self
            .arriving
            .as_mut()
            .ok_or_else(|| JsError::new("begin_arriving first"))?;
        job.feed(chunk).map_err(|e| JsError::new(&e.to_string()))?;
        while !job.waiting() {
            job.step(usize::MAX);
        }
        Ok(())
    }

    /// The arriving source is complete: reads what is left and builds the engine; returns the
    /// rows loaded.
    pub fn end_arriving(&mut self) -> Result<u32, JsError> {
        let mut job = self
            .arriving
            .take()
            .ok_or_else(|| JsError::new("begin_arriving first"))?;
        let t0 = now();
        job.end().map_err(|e| JsError::new(&e.to_string()))?;
        job.run();
        let t1 = now();
        let ds = job.finish();
        let t2 = now();
        let n = self.set(ds)?;
        self.phases = format!(
            r#"{{"rest_ms":{},"finish_ms":{},"engine_ms":{}}}"#,
            t1 - t0,
            t2 - t1,
            now() - t2
        );
        Ok(n)
    }

    /// Where [`Bench::end_arriving`]'s time went, as JSON: the rows left to read when the last
    /// byte came, `Loader::finish` (sort by arrival, case-first flags), `Engine::new`.
    pub fn phases(&self) -> String {
        self.phases.clone()
    }

    /// Starts reading a CSV slice by slice ([`Bench::feed_csv`], [`Bench::end_csv`]).
    pub fn begin_csv(&mut self) {
        self.engine = None;
        self.slices = Some(CsvSlices::new("bench.csv", omnikpi_engine::Zone::UTC));
    }

    /// Reads the complete records of the next `slice` of the CSV (the rest waits for the next).
    pub fn feed_csv(&mut self, slice: &[u8]) -> Result<(), JsError> {
        let s = self
            .slices
            .as_mut()
            .ok_or_else(|| JsError::new("begin_csv first"))?;
        s.feed(slice).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Reads what is left of the CSV and builds the engine; returns the rows loaded.
    pub fn end_csv(&mut self) -> Result<u32, JsError> {
        let s = self
            .slices
            .take()
            .ok_or_else(|| JsError::new("begin_csv first"))?;
        let ds = s.finish().map_err(|e| JsError::new(&e.to_string()))?;
        self.set(ds)
    }

    /// Runs query `which` (`channel_day`, `heatmap`: the six KPIs per weekday × hour, `team`,
    /// or `volume`: the dashboard's weekday × hour volume heatmap); returns the number of
    /// groups (for the heatmap: weekday × hour cells with contacts).
    pub fn run(&self, which: &str, team: &str) -> u32 {
        match &self.engine {
            Some(e) if which == "heatmap" => e
                .heatmaps(&Query::default(), &HEATMAP_KPIS)
                .map_or(0, |h| with_contacts(&h).count() as u32),
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
        if which == "heatmap" {
            let Some(hs) = self
                .engine
                .as_ref()
                .and_then(|e| e.heatmaps(&Query::default(), &HEATMAP_KPIS).ok())
            else {
                return "[]".into();
            };
            // Like the other engines' GROUP BY: the weekday × hour cells that have contacts.
            let v: Vec<serde_json::Value> = with_contacts(&hs)
                .map(|(r, c)| {
                    let kpis: serde_json::Map<String, serde_json::Value> = hs
                        .iter()
                        .map(|h| {
                            let x = h.cells[r][c];
                            (
                                h.kpi.clone(),
                                x.map_or(serde_json::Value::Null, |x| x.into()),
                            )
                        })
                        .collect();
                    serde_json::json!({ "key": [hs[0].rows[r], hs[0].cols[c]], "kpis": kpis })
                })
                .collect();
            return serde_json::Value::Array(v).to_string();
        }
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

/// `(row, column)` of the cells of heatmaps `hs` (the first one volume) that have contacts.
fn with_contacts(hs: &[Heatmap]) -> impl Iterator<Item = (usize, usize)> + '_ {
    hs.first().into_iter().flat_map(|h| {
        h.cells.iter().enumerate().flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, x)| x.is_some_and(|x| x > 0.0))
                .map(move |(c, _)| (r, c))
        })
    })
}
