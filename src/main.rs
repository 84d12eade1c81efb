//! Mounts the dashboard; everything else lives in the library.

fn main() {
    omnikpi::banner::install();
    omnikpi::zones::install();
    omnikpi_engine::text::set_lowercase(omnikpi::format::to_lower);
    leptos::mount::mount_to_body(omnikpi::App);
}
