//! The KPIs of the browser benchmark's heatmap query, shared by the engine's dashboard bench,
//! the `report_queries` example and the bench module (`bench/wasm`), each through `#[path]`:
//! the three time the same query. `bench/bench.mjs` (`KPIS`) asks DuckDB-WASM and Arquero for the
//! same six and must agree. All light: answered from the cells' hour accumulators.

/// The six KPIs compared per weekday × hour.
pub const HEATMAP_KPIS: [&str; 6] = [
    "contacts",
    "aht_s",
    "csat",
    "abandonment_rate",
    "resolution_rate",
    "first_response_mean_s",
];
