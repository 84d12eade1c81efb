//! Reusable parts of the views.

mod chart_view;
mod data_gate;
mod data_table;
pub mod drill_list;
pub mod export;
mod filter_bar;
mod kpi_picker;
mod needs_rows;
mod status;
mod theme;
mod tile;
pub mod view_ctx;

pub use chart_view::SvgChart;
pub use data_gate::{query_note, DataGate};
pub use data_table::DataTable;
pub use drill_list::DrillList;
pub use export::{ExportButtons, Table};
pub use filter_bar::{dim_values, FilterBar};
pub use kpi_picker::KpiPicker;
pub use needs_rows::{needs_rows, NEEDS_ROWS};
pub use status::StatusBar;
pub use theme::{ThemeToggle, TvMode};
pub use tile::{bands_of, tile_data, KpiTile, TileData};
pub use view_ctx::{Ctx, Nav};
