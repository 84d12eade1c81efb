//! Reusable parts of the views.

mod chart_view;
mod status;
mod tile;

pub use chart_view::SvgChart;
pub use status::StatusBar;
pub use tile::KpiTile;
