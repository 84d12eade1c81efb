//! The user's settings: the engine's [`Config`] (bands, SLA targets, business hours, time zone,
//! cost rates, currency) plus KPI tiers, kept in the browser's local storage, exported and
//! imported as JSON. Applying them rebuilds the loaded engine's configuration, so every view
//! recomputes; a newly loaded dataset gets them too.
//!
//! The file format is the `config.json` format with one more key, `kpi_tiers` (KPI id → tier).
//! Data sources and allowed origins stay those of the site's `config.json`.

use crate::import::{storage_get, storage_remove, storage_set};
use crate::store::Store;
use leptos::prelude::*;
use omnikpi_engine::kpi::{self, Tier};
use omnikpi_engine::Config;
use omnikpi_engine::VecMap;
use std::sync::Arc;

/// Where the settings are kept in the browser.
pub const SETTINGS_KEY: &str = "omnikpi.settings";

/// Every tier with its display name, in catalog order.
pub const TIERS: [(Tier, &str); 11] = [
    (Tier::NorthStar, "North Star"),
    (Tier::Strategic, "Strategic"),
    (Tier::Insightful, "Insightful"),
    (Tier::Social, "Social"),
    (Tier::Operational, "Operational"),
    (Tier::Agent, "Agent"),
    (Tier::Omnichannel, "Omnichannel"),
    (Tier::Automation, "Automation"),
    (Tier::Financial, "Financial"),
    (Tier::Technical, "Technical"),
    (Tier::Web, "Web"),
];

/// The snake_case id of a tier (`north_star`).
pub fn tier_id(t: Tier) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Parses a tier id.
pub fn parse_tier(s: &str) -> Option<Tier> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}

/// The user's settings.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Settings {
    /// The engine configuration (its `sources` and `allowed_origins` are not the user's).
    pub config: Config,
    /// KPI id → tier, where the user re-tiered a KPI.
    pub tiers: VecMap<String, Tier>,
}

impl Settings {
    /// Settings from a configuration, with the catalog's tiers.
    pub fn from_config(mut config: Config) -> Settings {
        config.sources.clear();
        config.allowed_origins.clear();
        Settings {
            config,
            tiers: VecMap::new(),
        }
    }

    /// The tier of KPI `id`: the user's, else the catalog's.
    pub fn tier(&self, id: &str) -> Option<Tier> {
        self.tiers
            .get(id)
            .copied()
            .or_else(|| kpi::kpi(id).map(|k| k.tier))
    }

    /// The settings file: the config keys (without sources) and `kpi_tiers`.
    pub fn to_json(&self) -> String {
        let mut v = serde_json::to_value(&self.config).unwrap_or_default();
        if let Some(o) = v.as_object_mut() {
            o.remove("sources");
            o.remove("allowed_origins");
            let mut tiers = serde_json::Map::new();
            for (k, t) in &self.tiers {
                tiers.insert(k.clone(), serde_json::Value::String(tier_id(*t)));
            }
            o.insert("kpi_tiers".into(), serde_json::Value::Object(tiers));
        }
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// Reads a settings file; the error names the bad key.
    pub fn from_json(text: &str) -> Result<Settings, String> {
        let mut v: serde_json::Value = serde_json::from_slice(text.as_bytes())
            .map_err(|e| format!("settings: not JSON: {e}"))?;
        let Some(o) = v.as_object_mut() else {
            return Err("settings: the file must hold a JSON object".into());
        };
        let mut tiers = VecMap::new();
        match o.remove("kpi_tiers") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Object(m)) => {
                for (id, t) in m {
                    if kpi::kpi(&id).is_none() {
                        return Err(format!(
                            "settings: key \"kpi_tiers.{id}\": no KPI has this id"
                        ));
                    }
                    let tier = t.as_str().and_then(parse_tier).ok_or_else(|| {
                        format!("settings: key \"kpi_tiers.{id}\": unknown tier {t}")
                    })?;
                    tiers.insert(id, tier);
                }
            }
            Some(_) => return Err("settings: key \"kpi_tiers\": expected an object".into()),
        }
        for (key, range) in [("occupancy_cap", 0.0..=1.0)] {
            if let Some(x) = o.get(key).and_then(|v| v.as_f64()) {
                if !range.contains(&x) {
                    return Err(format!("settings: key \"{key}\": {x} is out of range"));
                }
            }
        }
        let config = Config::from_json(&serde_json::Value::Object(o.clone()).to_string())
            .map_err(|e| e.to_string())?;
        check(&config)?;
        let mut s = Settings::from_config(config);
        s.tiers = tiers;
        Ok(s)
    }
}

/// Checks values that parse but make no sense; names the key.
pub fn check(c: &Config) -> Result<(), String> {
    c.tz().map_err(|e| e.to_string())?;
    for (ch, t) in &c.sla {
        if t.threshold_s.is_nan() || t.threshold_s < 0.0 {
            return Err(format!(
                "SLA of {ch}: the answer threshold must be 0 s or more, not {} s (settings key \"sla.{ch}.threshold_s\").",
                t.threshold_s
            ));
        }
        if !(0.0..=1.0).contains(&t.target) {
            return Err(format!(
                "SLA of {ch}: the target must be within 0–100 %, not {} % (settings key \"sla.{ch}.target\", a share 0..1).",
                t.target * 100.0
            ));
        }
    }
    for (id, b) in &c.bands {
        let Some(k) = omnikpi_engine::kpi::kpi(id) else {
            continue;
        };
        // The contact and case rates are shares of contacts or cases: a threshold outside 0..1
        // never bands. (Turnover, acquisition and utilization may pass 100 %.)
        let share = matches!(
            k.source,
            omnikpi_engine::kpi::Source::Contacts | omnikpi_engine::kpi::Source::Cases
        );
        if k.unit == omnikpi_engine::kpi::Unit::Rate && share {
            let out = [b.good, b.bad, b.low, b.high, b.bad_high]
                .into_iter()
                .flatten()
                .find(|v| !(0.0..=1.0).contains(v));
            if let Some(v) = out {
                return Err(format!(
                    "Bands of {}: a rate's thresholds must be within 0–100 %, not {} % (settings key \"bands.{id}\", shares 0..1).",
                    k.name,
                    (v * 1e4).round() / 1e2
                ));
            }
        }
        if let Some(e) = b.contradiction(k.better) {
            return Err(format!(
                "Bands of {}: {e} (settings key \"bands.{id}\").",
                k.name
            ));
        }
    }
    for (i, h) in c.business_hours.iter().enumerate() {
        if let Some(h) = h {
            if !(0.0..=24.0).contains(&h.open)
                || !(0.0..=24.0).contains(&h.close)
                || h.open >= h.close
            {
                return Err(format!(
                    "settings: key \"business_hours[{i}]\": opening must be before closing, within 0–24"
                ));
            }
        }
    }
    for (ch, r) in &c.cost_rates {
        if r.is_nan() || *r < 0.0 {
            return Err(format!("settings: key \"cost_rates.{ch}\": must be ≥ 0"));
        }
    }
    if c.currency.trim().is_empty() {
        return Err("settings: key \"currency\": must not be empty".into());
    }
    if !(1..=90).contains(&c.case_window_days) {
        return Err(format!(
            "settings: key \"case_window_days\": {} is out of range (1–90 days)",
            c.case_window_days
        ));
    }
    Ok(())
}

/// The settings shared through context.
#[derive(Clone, Copy)]
pub struct SettingsStore {
    /// The saved settings; `None`: the site's defaults (`config.json`).
    pub saved: RwSignal<Option<Settings>>,
    /// Edits on the Settings page not applied yet, kept while the tab is open so that leaving
    /// the page and coming back does not drop them; `None`: nothing pending.
    pub pending: RwSignal<Option<Settings>>,
    /// Why the settings saved in this browser were not used (they no longer pass the checks),
    /// shown on the Settings page; the site's defaults are in use meanwhile.
    pub saved_error: RwSignal<Option<String>>,
}

impl SettingsStore {
    /// The tier of KPI `id` under the current settings.
    pub fn tier(&self, id: &str) -> Option<Tier> {
        self.saved.with(|s| match s {
            Some(s) => s.tier(id),
            None => kpi::kpi(id).map(|k| k.tier),
        })
    }
}

/// The settings saved in the browser: `Ok(None)` when there are none, `Err` (with the reason)
/// when they no longer read, for the Settings page to say so rather than drop them unseen.
pub fn load_saved() -> Result<Option<Settings>, String> {
    match storage_get(SETTINGS_KEY) {
        None => Ok(None),
        Some(text) => Settings::from_json(&text).map(Some),
    }
}

/// Saves `s` in the browser.
pub fn save(s: &Settings) -> bool {
    storage_set(SETTINGS_KEY, &s.to_json())
}

/// Forgets the saved settings.
pub fn forget() {
    storage_remove(SETTINGS_KEY);
}

/// `cfg` with the runtime-only keys of `base` (sources, allowed origins).
fn with_runtime(mut cfg: Config, base: &Config) -> Config {
    cfg.sources = base.sources.clone();
    cfg.allowed_origins = base.allowed_origins.clone();
    cfg
}

/// Replaces the configuration of the loaded data (all views recompute). The new engine shares
/// the loaded rows with the old one (`Engine::with_config`): nothing is copied.
pub fn apply_config(store: &Store, cfg: &Config) -> Result<(), String> {
    let next = store.data.with_untracked(|d| {
        let l = d.as_ref()?;
        let full = with_runtime(cfg.clone(), l.engine.config());
        (*l.engine.config() != full).then(|| l.engine.with_config(full))
    });
    match next {
        None => Ok(()),
        Some(Err(e)) => Err(e.to_string()),
        Some(Ok(engine)) => {
            let engine = Arc::new(engine);
            store.data.update(|d| {
                if let Some(l) = d {
                    l.engine = engine;
                }
            });
            Ok(())
        }
    }
}

/// Provides [`SettingsStore`] and keeps every loaded dataset under the saved settings.
pub fn install(store: Store) -> SettingsStore {
    let (saved, saved_error) = match load_saved() {
        Ok(s) => (s, None),
        Err(e) => (None, Some(e)),
    };
    let ss = SettingsStore {
        saved: RwSignal::new(saved),
        pending: RwSignal::new(None),
        saved_error: RwSignal::new(saved_error),
    };
    provide_context(ss);
    warn_before_unload(ss);
    Effect::new(move |_| {
        let has_data = store.data.with(|d| d.is_some());
        if let (true, Some(s)) = (has_data, ss.saved.get()) {
            let _ = apply_config(&store, &s.config);
        }
    });
    ss
}

/// Asks the browser to confirm closing or reloading the tab while settings edits are pending
/// (the browser's own dialog; it shows only after the page has been used).
fn warn_before_unload(ss: SettingsStore) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(w) = web_sys::window() else {
        return;
    };
    let on_unload = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if ss.pending.with_untracked(|p| p.is_some()) {
            ev.prevent_default();
        }
    });
    let _ = w.add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_unload.forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bad settings file is refused with a message naming the key; a good one round-trips.
    #[test]
    fn bad_settings_name_their_key() {
        for (text, key) in [
            (
                r#"{"sla": {"voice": {"threshold_s": "fast", "target": 0.8}}}"#,
                "sla.voice.threshold_s",
            ),
            (
                r#"{"sla": {"voice": {"threshold_s": 20, "target": 0.8, "extra": 1}}}"#,
                "sla.voice.extra",
            ),
            (
                r#"{"sla": {"Voice": {"threshold_s": 20, "target": 0.8}}}"#,
                "sla.Voice",
            ),
            (r#"{"cost_rates": {"chat": "cheap"}}"#, "cost_rates.chat"),
            (
                r#"{"sla": {"chat": {"threshold_s": -1, "target": 0.8}}}"#,
                "sla.chat.threshold_s",
            ),
            (r#"{"kpi_tiers": {"csat": "platinum"}}"#, "kpi_tiers.csat"),
            (r#"{"bands": {"sla": {"good": 85}}}"#, "bands.sla"),
            (
                r#"{"bands": {"abandonment_rate": {"good": -0.1}}}"#,
                "bands.abandonment_rate",
            ),
            (r#"{"timezon": "UTC"}"#, "timezon"),
            (r#"{"case_window_days": 0}"#, "case_window_days"),
            (r#"{"case_window_days": 91}"#, "case_window_days"),
            (r#"{"case_window_days": 2.5}"#, "case_window_days"),
        ] {
            let e = Settings::from_json(text).unwrap_err();
            assert!(e.contains(&format!("key \"{key}\"")), "{text}: {e}");
        }
        // A rate band within 0..1 and a score band above 1 are fine.
        assert!(Settings::from_json(
            r#"{"bands": {"sla": {"good": 0.85}, "csat": {"good": 4.5}}}"#
        )
        .is_ok());
        // Turnover and utilization may pass 100 %: their bands may too.
        assert!(Settings::from_json(
            r#"{"bands": {"turnover": {"bad": 1.2}, "utilization": {"bad_high": 1.1}}}"#
        )
        .is_ok());
        let mut s = Settings::from_config(Config::default());
        s.tiers.insert("csat".into(), Tier::Strategic);
        s.config.currency = "USD".into();
        s.config.case_window_days = 30;
        assert_eq!(Settings::from_json(&s.to_json()), Ok(s));
    }
}
