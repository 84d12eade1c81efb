//! What every view computes from: the loaded engine, the filter read from the URL, the anchor day
//! ("today") and instant ("now"), and a navigator that writes URL changes. Nothing here computes
//! a KPI; it only prepares the engine's queries.

use super::tile::{provisional_note, tile_data, TileData};
use crate::data::Loaded;
use crate::filters::{self, Filters, Period, Resolved};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use omnikpi_engine::kpi::{kpi, Source};
use omnikpi_engine::time::{Bucket, TzCache, DAY};
use omnikpi_engine::{Dim, Engine, Group, Query};
use std::sync::Arc;

/// A view's computation context for one URL state.
#[derive(Clone)]
pub struct Ctx {
    /// The engine.
    pub engine: Arc<Engine>,
    /// Where the data came from.
    pub source: String,
    /// The filter.
    pub filters: Filters,
    /// The filter resolved against [`Ctx::today`].
    pub resolved: Resolved,
    /// The anchor day: the real today when the data reaches it, else the data's last day.
    pub today: i64,
    /// The instant the live numbers are measured at (Unix seconds): the real now when the data
    /// reaches today, else the last arrival in the data.
    pub now: i64,
    /// The data's first and last local day.
    pub data_days: (i64, i64),
    /// The URL query pairs.
    pub pairs: Vec<(String, String)>,
    /// The view's default period.
    pub default_period: Period,
}

/// How long `today` has gone on at `now` in the engine's zone, when `now` is on it.
fn elapsed_at(engine: &Engine, today: i64, now: i64) -> Option<i64> {
    filters::elapsed_today(engine.prepared().tz, today, now)
}

impl Ctx {
    /// Resolves [`Ctx::filters`] again, after a view changed them.
    pub fn resolve_again(&mut self) {
        let elapsed = elapsed_at(&self.engine, self.today, self.now);
        self.resolved = filters::resolve(&self.filters, self.today, elapsed);
    }

    /// Builds the context for `loaded` and the URL `pairs`. `clock` is a live feed's clock: in
    /// live mode it is "now" for every number of the page (the status bar's queue, the now
    /// strip and the tiles agree on one instant); else now is the real time when the data
    /// reaches today, and the data's last arrival when it ended before.
    pub fn new(
        loaded: &Loaded,
        pairs: Vec<(String, String)>,
        default_period: Period,
        clock: Option<i64>,
    ) -> Option<Ctx> {
        let engine = loaded.engine.clone();
        let data_days = engine.data_days()?;
        let real_now = clock.unwrap_or_else(|| (js_sys::Date::now() / 1000.0) as i64);
        let mut tz = TzCache::new(engine.prepared().tz);
        let real_today = tz.local(real_now).div_euclid(DAY);
        // A live feed's clock is today even before today's first contact (just after midnight).
        let today = match clock {
            Some(_) => real_today,
            None => filters::anchor_day(data_days.1, real_today),
        };
        let now = if today == real_today {
            real_now
        } else {
            match engine.cube() {
                Some(cube) => cube.cells.last().map_or(real_now, |c| c.hour + 3599),
                None => engine
                    .dataset()
                    .contacts
                    .arrived
                    .last()
                    .copied()
                    .unwrap_or(real_now),
            }
        };
        let f = filters::parse(&pairs, default_period);
        let resolved = filters::resolve(&f, today, elapsed_at(&engine, today, now));
        Some(Ctx {
            engine,
            source: loaded.source.clone(),
            filters: f,
            resolved,
            today,
            now,
            data_days,
            pairs,
            default_period,
        })
    }

    /// The sparkline bucket of the period: hours for a day or two, days up to a quarter, else weeks.
    pub fn spark_bucket(&self) -> Bucket {
        let (a, b) = self.resolved.range;
        match b - a + 1 {
            ..=2 => Bucket::Hour,
            3..=92 => Bucket::Day,
            _ => Bucket::Week,
        }
    }

    /// The comparison period, when there is one and the contacts cover every day of it. A count
    /// over days before the data began would read as a fall to zero, and part of a period is not
    /// the period: such a comparison is no data for the contact and case KPIs (see
    /// [`Ctx::cmp_query_for`] for the others).
    pub fn cmp_range(&self) -> Option<(i64, i64)> {
        let (a, b) = self.resolved.cmp_range?;
        (a >= self.data_days.0 && b <= self.data_days.1).then_some((a, b))
    }

    /// The comparison's query for the contact and case KPIs: when [`Ctx::cmp_range`] is.
    pub fn cmp_query(&self) -> Option<&Query> {
        self.cmp_query_for(Source::Contacts)
    }

    /// The comparison's query for the KPIs of `source`, the one rule of when a comparison
    /// counts: the contact and case KPIs compare only over days the contacts cover
    /// ([`Ctx::cmp_range`]); the agents and daily tables' KPIs over their own days, as they are
    /// (a day those tables do not have is no data in them already).
    pub fn cmp_query_for(&self, source: Source) -> Option<&Query> {
        match source {
            Source::Agents | Source::Daily => {}
            Source::Contacts | Source::Cases => {
                self.cmp_range()?;
            }
        }
        self.resolved.cmp_query.as_ref()
    }

    /// The comparison's label.
    pub fn cmp_label(&self) -> &'static str {
        match self.filters.compare {
            filters::Compare::None => "",
            c => c.label(),
        }
    }

    /// Tiles of `ids` over the period: the engine's report of the period and of the comparison,
    /// the accumulator for n, and the report per bucket for sparklines. Asked for `ids`, the
    /// engine merges only counts and sums when they are all light KPIs (`report_for`).
    pub fn tiles(&self, ids: &[&'static str]) -> Vec<TileData> {
        let e = &self.engine;
        let q = &self.resolved.query;
        let report = |q: &Query| e.report_for(q, ids).unwrap_or_default();
        let first = |g: Vec<Group>| g.into_iter().next();
        let total = first(report(q));
        let cmp = self
            .resolved
            .cmp_query
            .as_ref()
            .and_then(|c| first(report(c)));
        let acc = e.total_for(q, ids).ok();
        let spark = report(&q.clone().group_by(Dim::Time(self.spark_bucket())));
        // Case KPIs over cases that have not settled yet say so (a row scan of the period's
        // first contacts, only when a case KPI is asked for and the source has rows).
        let cases = ids
            .iter()
            .any(|id| kpi(id).is_some_and(|d| d.source == Source::Cases));
        let window = i64::from(e.config().case_window_days);
        let maturity = (cases && !e.is_cube())
            .then(|| e.case_maturity(q, window).ok().flatten())
            .flatten();
        ids.iter()
            .map(|id| {
                let source = kpi(id).map_or(Source::Contacts, |d| d.source);
                let cmp = cmp
                    .as_ref()
                    .filter(|_| self.cmp_query_for(source).is_some());
                let mut t = tile_data(
                    e.config(),
                    id,
                    total.as_ref(),
                    cmp,
                    acc.as_ref(),
                    &spark,
                    self.cmp_label(),
                );
                t.note = provisional_note(id, maturity.as_ref(), window);
                // The queue is of every contact in progress at now, whatever day it arrived
                // (as the now strip counts it), not of the period's arrivals.
                if *id == "queue_length" && q.now.is_some() {
                    t.value = first(
                        e.report_for(&self.queue_query(), &["queue_length"])
                            .unwrap_or_default(),
                    )
                    .and_then(|g| g.get("queue_length"));
                }
                t
            })
            .collect()
    }

    /// The query of the live queue at now: the filter over every day of the data up to today
    /// (a contact still waiting from the weekend is in it), with `now` set.
    pub fn queue_query(&self) -> Query {
        let mut q = filters::query_for(
            &self.filters,
            (self.data_days.0.min(self.today), self.today),
        );
        q.now = Some(self.now);
        q
    }

    /// The value of a view's own URL key.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The URL query as pairs, reactive.
pub fn query_pairs() -> Memo<Vec<(String, String)>> {
    let q = use_query_map();
    Memo::new(move |_| {
        q.with(|m| {
            m.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
    })
}

/// The router's navigate function, shareable across closures.
type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// Writes URL query pairs for the current route (a new history entry, so back/forward work).
#[derive(Clone)]
pub struct Nav {
    route: &'static str,
    navigate: Navigate,
    pairs: Memo<Vec<(String, String)>>,
}

impl Nav {
    /// A navigator for `route` (`/ops`).
    pub fn new(route: &'static str) -> Nav {
        let n = use_navigate();
        Nav {
            route,
            navigate: Arc::new(move |p: &str, o: NavigateOptions| n(p, o)),
            pairs: query_pairs(),
        }
    }

    /// The current pairs.
    pub fn pairs(&self) -> Memo<Vec<(String, String)>> {
        self.pairs
    }

    /// Navigates to `pairs`.
    pub fn go(&self, pairs: &[(String, String)]) {
        let qs: leptos_router::params::ParamsMap =
            pairs.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let url = format!("{}{}", self.route, qs.to_query_string());
        (self.navigate)(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    }

    /// Applies `changes` to the current URL.
    pub fn change(&self, changes: &[(&str, Option<String>)]) {
        let cur = self.pairs.get_untracked();
        self.go(&filters::with_changes(&cur, changes));
    }

    /// Applies a drill string `k=v&k2=v2` (a chart's or a row's narrowing) and resets paging.
    pub fn drill(&self, drill: &str) {
        let mut changes: Vec<(&str, Option<String>)> = drill
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k, Some(v.to_string())))
            .collect();
        changes.push(("page", None));
        self.change(&changes);
    }
}
