//! Reusable parts of the views.

mod chart_view;
mod tile;

pub use chart_view::SvgChart;
pub use tile::KpiTile;
