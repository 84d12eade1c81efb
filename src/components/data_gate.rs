//! Loading, error and empty states around a view: the view's body renders only when data is
//! there, with a [`Ctx`] built from the URL. Provides the view's [`Nav`] as context.

use super::view_ctx::{Ctx, Nav};
use crate::filters::Period;
use crate::store::{Status, Store};
use leptos::prelude::*;

/// Renders `render` with the view's context once data is loaded; a loading, error or empty
/// state otherwise.
#[component]
pub fn DataGate(
    /// The route, for URL writes (`/ops`).
    route: &'static str,
    /// The view's default period.
    default_period: Period,
    /// The body.
    render: fn(Ctx) -> AnyView,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let nav = Nav::new(route);
    provide_context(nav.clone());
    let pairs = nav.pairs();
    move || {
        let data = store.data.get();
        match data {
            None => match store.status.get() {
                Status::Failed(m) => view! {
                    <div class="error" role="alert" data-testid="view-error">
                        <p>{format!("The data could not be loaded: {m}")}</p>
                        <p>"Check the source under Data, or reload the page."</p>
                    </div>
                }
                .into_any(),
                _ => view! {
                    <div class="loading skeleton" role="status" data-testid="loading">
                        <p>"Loading data…"</p>
                        <div class="tiles">{(0..6).map(|_| view! { <div class="tile ghost"></div> }).collect_view()}</div>
                    </div>
                }
                .into_any(),
            },
            // Read, not tracked: the view follows the feed's clock when its contacts change,
            // not on every tick.
            Some(l) => match Ctx::new(
                &l,
                pairs.get(),
                default_period,
                store.live.with_untracked(|v| v.as_ref().and_then(|v| v.feed_now)),
            ) {
                Some(ctx) => view! { {query_note(&ctx)} {render(ctx)} }.into_any(),
                None => view! {
                    <p class="empty" data-testid="empty">"The loaded data has no contacts yet. Load a file under Data."</p>
                }
                .into_any(),
            },
        }
    }
}

/// A note in place of silence when the URL's filter cannot be answered: on a cube, a filter on
/// a dimension the cube does not keep (`agent_id` from a shared link, say) would otherwise leave
/// every tile empty without a word. Checked on cubes only, where a total is a cheap merge of
/// cells; on rows every filter the bar offers is answerable.
pub fn query_note(ctx: &Ctx) -> Option<AnyView> {
    if !ctx.engine.is_cube() {
        return None;
    }
    let e = ctx.engine.total(&ctx.resolved.query).err()?;
    Some(
        view! {
            <div class="error" role="alert" data-testid="query-error">
                <p>{format!("This filter cannot be shown: {e}.")}</p>
                <p>"Remove that filter (the bar below, or the link) to see the KPIs."</p>
            </div>
        }
        .into_any(),
    )
}
