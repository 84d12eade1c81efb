//! The KPI tile: value and unit, band status as a word and a colour, the change against the
//! comparison period with its direction (and whether that direction is good), a sparkline, and a
//! tooltip with the formula and the n behind the value. `data-kpi`, `data-value` (the raw
//! number, empty for no data) and `data-cmp` (the comparison period's) are what tests and
//! embedders read.

use super::view_ctx::Nav;
use crate::chart::sparkline_svg;
use crate::format::{delta_is_flat, format_delta, format_value, unit_of, unit_suffix};
use leptos::prelude::*;
use omnikpi_engine::analysis::stat;
use omnikpi_engine::kpi::{kpi, Band, Better, Source};
use omnikpi_engine::{Config, Group, KpiAcc};

/// Everything a tile shows, all from the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct TileData {
    /// Catalog id.
    pub id: &'static str,
    /// Label.
    pub label: String,
    /// Raw value.
    pub value: Option<f64>,
    /// Value in the comparison period.
    pub cmp: Option<f64>,
    /// "previous period" / "last year".
    pub cmp_label: &'static str,
    /// Band of the value.
    pub band: Band,
    /// Better direction.
    pub better: Better,
    /// Catalog unit.
    pub unit: omnikpi_engine::kpi::Unit,
    /// Sparkline values.
    pub spark: Vec<Option<f64>>,
    /// Formula.
    pub formula: &'static str,
    /// Observations behind the value (the denominator).
    pub n: Option<f64>,
    /// URL changes narrowing to this tile's scope (`channel=voice`), for the drill-down list.
    pub drill: Option<String>,
    /// Currency code for money.
    pub currency: String,
    /// A caveat shown under the value (a case KPI whose cases are not all settled).
    pub note: Option<String>,
    /// The table the KPI is computed from (contacts and cases have contacts behind them; the
    /// agents and daily tables do not).
    pub source: Source,
}

/// The effective bands of `id`: the configuration's, else the catalog's (the engine's rule).
pub use omnikpi_engine::analysis::bands_of;

/// Builds a tile from the engine's results: `total` (the period's report group), `cmp` (the
/// comparison's), `acc` (the period's accumulator, for n) and `spark` (the report per bucket).
pub fn tile_data(
    cfg: &Config,
    id: &'static str,
    total: Option<&Group>,
    cmp: Option<&Group>,
    acc: Option<&KpiAcc>,
    spark: &[Group],
    cmp_label: &'static str,
) -> TileData {
    let def = kpi(id);
    let value = total.and_then(|g| g.get(id));
    let better = def.map_or(Better::Context, |d| d.better);
    TileData {
        id,
        label: def.map_or(id, |d| d.name).to_string(),
        value,
        cmp: cmp.and_then(|g| g.get(id)),
        cmp_label,
        band: bands_of(cfg, id).classify(value, better),
        better,
        unit: def.map_or(omnikpi_engine::kpi::Unit::Count, |d| d.unit),
        spark: spark.iter().map(|g| g.get(id)).collect(),
        formula: def.map_or("", |d| d.formula),
        n: acc.and_then(|a| stat(a, id)).map(|s| match id {
            "contacts" => s.parts().0,
            _ => s.parts().1,
        }),
        drill: None,
        currency: cfg.currency.clone(),
        note: None,
        source: def.map_or(Source::Contacts, |d| d.source),
    }
}

/// The caveat of a case KPI (the catalog's `Cases` source) over a selection whose cases are
/// not all settled: the share of them that began less than `window` days before the data's
/// last contact, whose outcomes can still change.
pub fn provisional_note(
    id: &str,
    m: Option<&omnikpi_engine::analysis::CaseMaturity>,
    window: i64,
) -> Option<String> {
    if kpi(id)?.source != omnikpi_engine::kpi::Source::Cases {
        return None;
    }
    let share = m?.share().filter(|s| *s > 0.0)?;
    // Never "0 %" for a share that is not nothing.
    let pct = (share * 100.0).round().max(1.0);
    Some(format!(
        "provisional: {pct:.0} % of its cases are under {window} days old"
    ))
}

fn band_class(b: Band) -> &'static str {
    match b {
        Band::Good => "band band-good",
        Band::Watch => "band band-watch",
        Band::Bad => "band band-bad",
        Band::None => "band band-none",
    }
}

/// One KPI tile.
#[component]
pub fn KpiTile(
    /// What to show.
    t: TileData,
    /// Extra `data-scope` (e.g. a channel) for tiles of one segment.
    #[prop(optional, into)]
    scope: String,
) -> impl IntoView {
    let unit = unit_of(t.unit);
    let raw = t.value.map(|v| v.to_string()).unwrap_or_default();
    // The comparison's value, for tests and embedders: absent without a comparison, empty
    // when the comparison has no data.
    let raw_cmp =
        (!t.cmp_label.is_empty()).then(|| t.cmp.map(|v| v.to_string()).unwrap_or_default());
    let shown = format_value(t.value, unit);
    let suffix = match t.unit {
        omnikpi_engine::kpi::Unit::Money => t.currency.clone(),
        u => unit_suffix(u).to_string(),
    };
    let n_text =
        t.n.map(|n| format!("n = {}", crate::format::group_thousands(n.round() as i64)))
            .unwrap_or_else(|| "n not applicable".into());
    let tip = match &t.note {
        Some(note) => format!(
            "{}: {}. {n_text}. {note}: a case's outcome can change until it settles (an open case \
             may resolve, a repeat contact undoes a first-contact resolution)",
            t.label, t.formula
        ),
        None => format!("{}: {}. {n_text}", t.label, t.formula),
    };
    let band_word = match t.band {
        Band::None if t.value.is_none() => "no data",
        Band::None => "no band",
        b => b.word(),
    };
    let delta = t.value.zip(t.cmp).map(|(v, c)| v - c);
    let (arrow, dir_class, judgement) = match delta {
        // Unchanged at the shown precision: "▲ ±0.0 pts (better)" would contradict itself.
        Some(d) if delta_is_flat(d, unit) => ("→", "delta delta-flat", "unchanged"),
        Some(d) => {
            let up = d > 0.0;
            let good = match t.better {
                Better::Higher => Some(up),
                Better::Lower => Some(!up),
                _ => None,
            };
            (
                if up { "▲" } else { "▼" },
                match good {
                    Some(true) => "delta delta-good",
                    Some(false) => "delta delta-bad",
                    None => "delta delta-flat",
                },
                match good {
                    Some(true) => "better",
                    Some(false) => "worse",
                    None => "neutral",
                },
            )
        }
        None => ("", "delta delta-flat", ""),
    };
    let delta_text = match delta {
        Some(d) => format!(
            "{arrow} {} vs {} ({judgement})",
            format_delta(d, unit),
            t.cmp_label
        ),
        None if t.cmp_label.is_empty() => String::new(),
        None => format!("no comparison with {}", t.cmp_label),
    };
    let spark = sparkline_svg(&t.spark, 120, 28);
    let nav = use_context::<Nav>();
    let id = t.id;
    let drill = t.drill.clone();
    let open = move |_| {
        if let Some(nav) = &nav {
            let mut s = format!("rows={id}");
            if let Some(d) = &drill {
                s = format!("{d}&{s}");
            }
            nav.drill(&s);
        }
    };
    let tip2 = tip.clone();
    let aria = format!("{}: {shown} {suffix}, {band_word}. {delta_text}", t.label);
    view! {
        <div class="tile" data-testid="kpi-tile" data-kpi=t.id data-value=raw data-cmp=raw_cmp data-scope=scope
            data-band=band_word title=tip2 role="group" aria-label=aria>
            <div class="tile-label">{t.label.clone()}</div>
            <div class="tile-value" class:no-data=t.value.is_none()>
                // A real space, so that copied text and screen readers get "13.82 EUR".
                {shown}<span class="tile-unit">{(!suffix.is_empty()).then(|| format!(" {suffix}"))}</span>
            </div>
            <div class=band_class(t.band) data-testid="tile-band">{band_word}</div>
            <div class=dir_class data-testid="tile-delta">{delta_text}</div>
            {t.note.clone().map(|n| view! { <div class="tile-note" data-testid="tile-note">{n}</div> })}
            <div class="spark" inner_html=spark></div>
            <div class="tile-tip" role="tooltip">{tip}</div>
            {match t.source {
                // No contact is behind these, and most filters do not narrow them: say so.
                Source::Agents => view! { <span class="tile-source" data-testid="tile-source"
                    title="From the agents table: of the filters only team and agent apply.">"agents table"</span> }.into_any(),
                Source::Daily => view! { <span class="tile-source" data-testid="tile-source"
                    title="From the daily table: of the filters only system and traffic source apply.">"daily table"</span> }.into_any(),
                Source::Contacts | Source::Cases => view! { <button class="tile-drill no-print" type="button" data-testid="tile-drill" on:click=open
                    aria-label=format!("Show the contacts behind {}", t.label)>"contacts ›"</button> }.into_any(),
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::provisional_note;
    use omnikpi_engine::analysis::CaseMaturity;

    #[test]
    fn case_kpis_over_unsettled_cases_are_provisional() {
        let m = |cases, recent| CaseMaturity {
            cases,
            recent,
            since: 0,
        };
        let note = |id, x: Option<CaseMaturity>| provisional_note(id, x.as_ref(), 7);
        assert_eq!(
            note("fcr", Some(m(6, 5))).as_deref(),
            Some("provisional: 83 % of its cases are under 7 days old")
        );
        // Every case KPI, and no contact, agent or daily KPI.
        for id in [
            "journey_completion",
            "art_s",
            "cost_per_resolution",
            "migration_rate",
        ] {
            assert!(note(id, Some(m(6, 5))).is_some(), "{id}");
        }
        for id in ["csat", "aht_s", "occupancy", "retention", "contacts"] {
            assert_eq!(note(id, Some(m(6, 5))), None, "{id}");
        }
        // Settled cases, no cases or no rows: no note; a sliver of recent cases is "1 %".
        assert_eq!(note("fcr", Some(m(6, 0))), None);
        assert_eq!(note("fcr", Some(m(0, 0))), None);
        assert_eq!(note("fcr", None), None);
        assert_eq!(
            note("fcr", Some(m(2000, 1))).as_deref(),
            Some("provisional: 1 % of its cases are under 7 days old")
        );
    }
}
