//! The routes loaded on demand. Each is a split point: with the split build (see
//! `scripts/wasm-split.mjs`), the code only its view reaches is a module of its own, fetched the
//! first time the route opens, so the first page (operations) downloads none of it.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Declares a lazily loaded route `$name` showing component `$view`.
macro_rules! lazy_view {
    ($(#[$doc:meta])* $name:ident => $view:path) => {
        $(#[$doc])*
        pub struct $name;

        #[lazy_route]
        impl LazyRoute for $name {
            fn data() -> Self {
                $name
            }

            fn view(_this: Self) -> AnyView {
                view! { <$view /> }.into_any()
            }
        }
    };
}

lazy_view!(
    /// `/exec`.
    ExecRoute => super::Exec
);
lazy_view!(
    /// `/journeys`.
    JourneysRoute => super::Journeys
);
lazy_view!(
    /// `/agents`.
    AgentsRoute => super::Agents
);
lazy_view!(
    /// `/data`.
    DataRoute => super::data::DataView
);
lazy_view!(
    /// `/settings`.
    SettingsRoute => super::settings::SettingsView
);
