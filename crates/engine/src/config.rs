//! Runtime configuration (`public/config.json`): time zone, business hours, SLA targets, cost
//! rates, currency and bands. Every field has a default, so a partial file is fine; an invalid
//! one is reported by key and the defaults are used.

use crate::model::Channel;
use crate::vec_map::VecMap;
use serde::{Deserialize, Serialize};

/// An IANA time zone (re-exported so that callers need no direct chrono-tz dependency).
pub use crate::zone::Zone;

/// Opening hours of one weekday, local time, `[open, close)` in hours (e.g. 8.0 to 18.0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// Opening hour (0–24, fractions allowed).
    pub open: f64,
    /// Closing hour (0–24).
    pub close: f64,
}

/// An SLA target of one channel: `target` share answered within `threshold_s`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    /// Answer threshold in seconds.
    pub threshold_s: f64,
    /// Target share 0..1.
    pub target: f64,
    /// Count only business hours toward the threshold (email's 4 business hours).
    #[serde(default)]
    pub business_hours: bool,
}

/// The dashboard's runtime configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// IANA time zone for buckets and business hours.
    pub timezone: String,
    /// Business hours per weekday, Monday first; `None`: closed.
    pub business_hours: [Option<Hours>; 7],
    /// Peak hours (local, `[from, to)`), for peak versus off-peak.
    pub peak_hours: Hours,
    /// SLA targets per channel id.
    pub sla: VecMap<Channel, SlaTarget>,
    /// Cost per contact per channel id, used when a contact has no `cost`.
    pub cost_rates: VecMap<Channel, f64>,
    /// Currency code for money.
    pub currency: String,
    /// Band overrides per KPI id.
    pub bands: VecMap<String, crate::kpi::Bands>,
    /// Maximum occupancy assumed by the Erlang C staffing model.
    pub occupancy_cap: f64,
    /// Days after its first contact that a case's outcome is taken as settled (the repeat
    /// window FCR is measured over); case KPIs over younger cases are provisional.
    pub case_window_days: u32,
    /// Data sources, in the order the dashboard tries them.
    pub sources: Vec<Source>,
    /// Origins allowed to post filter messages to an embedded dashboard and to serve `?data=` URLs.
    pub allowed_origins: Vec<String>,
}

/// A data source of the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Display name.
    pub name: String,
    /// URL, relative to the page or absolute.
    pub url: String,
    /// `csv`, `json`, `ndjson`, `xlsx`; guessed from the URL when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Mapping file URL for foreign exports.
    #[serde(default)]
    pub mapping: Option<String>,
    /// `static` (default), `poll` or `sse`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Poll interval in seconds.
    #[serde(default)]
    pub interval_s: Option<f64>,
}

impl Default for Config {
    fn default() -> Self {
        let weekday = Some(Hours {
            open: 8.0,
            close: 18.0,
        });
        let sla = [
            (Channel::Voice, 20.0, 0.80, false),
            (Channel::Chat, 30.0, 0.90, false),
            (Channel::Email, 4.0 * 3600.0, 0.95, true),
            (Channel::Social, 3600.0, 0.90, false),
            (Channel::Messaging, 300.0, 0.90, false),
            (Channel::Sms, 900.0, 0.90, false),
            (Channel::Web, 8.0 * 3600.0, 0.90, true),
            (Channel::Other, 3600.0, 0.80, false),
        ]
        .into_iter()
        .map(|(c, t, g, b)| {
            (
                c,
                SlaTarget {
                    threshold_s: t,
                    target: g,
                    business_hours: b,
                },
            )
        });
        let sla = sla.into_iter().collect();
        let cost_rates = [
            (Channel::Voice, 10.0),
            (Channel::Chat, 4.0),
            (Channel::Email, 3.5),
            (Channel::Social, 4.5),
            (Channel::Messaging, 3.0),
            (Channel::Sms, 2.5),
            (Channel::Web, 3.0),
            (Channel::Other, 5.0),
        ];
        let cost_rates = cost_rates.into_iter().collect();
        Config {
            timezone: "UTC".into(),
            business_hours: [weekday, weekday, weekday, weekday, weekday, None, None],
            peak_hours: Hours {
                open: 10.0,
                close: 16.0,
            },
            sla,
            cost_rates,
            currency: "EUR".into(),
            bands: VecMap::new(),
            occupancy_cap: 0.85,
            case_window_days: crate::analysis::CASE_WINDOW_DAYS as u32,
            sources: Vec::new(),
            allowed_origins: Vec::new(),
        }
    }
}

/// A config file that could not be used as a whole.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Not JSON, or a key with a wrong type or an unknown key.
    #[error("config: {0}")]
    Invalid(String),
    /// An unknown IANA time zone.
    #[error("config: unknown time zone \"{0}\" (key \"timezone\")")]
    TimeZone(String),
}

impl Config {
    /// Parses a config file. serde's message names the offending key and its position.
    pub fn from_json(text: &str) -> Result<Config, ConfigError> {
        let cfg: Config = crate::json_path::from_json(text.as_bytes())
            .map_err(|(path, e)| ConfigError::Invalid(format!("key \"{path}\": {e}")))?;
        cfg.tz()?;
        Ok(cfg)
    }

    /// Parses a config file leniently, so that the page always starts: every valid key is
    /// kept, every invalid one (unknown, wrong type, bad time zone) falls back to its default
    /// and is named in the returned message. Text that is not a JSON object gives the defaults.
    pub fn from_json_lenient(text: &str) -> (Config, Option<String>) {
        // The file parsed again without each top-level entry that fails: text in, text out,
        // so the app links no `serde_json::Value` (de)serializer for this.
        let mut entries = crate::json_path::top_level_entries(text).unwrap_or_default();
        let mut body = text.to_string();
        let mut errors: Vec<String> = Vec::new();
        loop {
            let e = match Config::from_json(&body) {
                Ok(cfg) => {
                    let msg = (!errors.is_empty())
                        .then(|| format!("config: {} (defaults used there)", errors.join("; ")));
                    return (cfg, msg);
                }
                Err(e) => e,
            };
            // The top-level key it is about: `key "sla.voice.targt": …`, or the time zone.
            let key = match &e {
                ConfigError::TimeZone(_) => "timezone",
                ConfigError::Invalid(m) => m
                    .strip_prefix("key \"")
                    .and_then(|r| r.split(['"', '.', '[']).next())
                    .unwrap_or_default(),
            };
            let before = entries.len();
            entries.retain(|(k, _)| *k != key);
            errors.push(e.to_string().trim_start_matches("config: ").to_string());
            if entries.len() == before {
                return (
                    Config::default(),
                    Some(format!("config: {}", errors.join("; "))),
                );
            }
            body = format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(_, e)| *e)
                    .collect::<Vec<_>>()
                    .join(",")
            );
        }
    }

    /// The configured time zone.
    pub fn tz(&self) -> Result<crate::zone::Zone, ConfigError> {
        crate::zone::Zone::named(&self.timezone)
            .map_err(|_| ConfigError::TimeZone(self.timezone.clone()))
    }

    /// The cost rate of `channel` (0 when none is configured).
    pub fn cost_rate(&self, channel: Channel) -> f64 {
        self.cost_rates.get(&channel).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_config_keeps_defaults_and_bad_keys_are_named() {
        let c = Config::from_json(r#"{"timezone":"Europe/Berlin","currency":"USD"}"#).unwrap();
        assert_eq!(c.currency, "USD");
        assert_eq!(c.sla[&Channel::Voice].threshold_s, 20.0);
        let e = Config::from_json(r#"{"timezon":"UTC"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("timezon"), "{e}");
        let e = Config::from_json(r#"{"occupancy_cap":"high"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("occupancy_cap"), "{e}");
        let e = Config::from_json(r#"{"timezone":"Mars/Olympus"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("Mars/Olympus"), "{e}");
        // A misspelt key inside a nested object is an error too, not a default silently kept.
        for (text, key) in [
            (
                r#"{"sla": {"email": {"threshold_s": 60, "target": 0.9, "busines_hours": true}}}"#,
                "sla.email.busines_hours",
            ),
            (r#"{"bands": {"csat": {"god": 4.5}}}"#, "bands.csat.god"),
            (
                r#"{"peak_hours": {"open": 9, "close": 17, "tz": "UTC"}}"#,
                "peak_hours.tz",
            ),
            (
                r#"{"sources": [{"name": "a", "url": "a.csv", "fromat": "csv"}]}"#,
                "sources[0].fromat",
            ),
            (
                r#"{"cost_rates": {"voice": 4, "fax": 1}}"#,
                "cost_rates.fax",
            ),
        ] {
            let e = Config::from_json(text).unwrap_err().to_string();
            assert!(e.contains(&format!("key \"{key}\"")), "{text}: {e}");
        }
    }

    #[test]
    fn lenient_parse_keeps_good_keys_and_names_bad_ones() {
        let (c, e) = Config::from_json_lenient(
            r#"{"currency": "USD", "timezon": "UTC", "occupancy_cap": "high", "timezone": "Mars/Olympus"}"#,
        );
        let e = e.unwrap();
        assert_eq!(c.currency, "USD");
        assert_eq!((c.occupancy_cap, c.timezone.as_str()), (0.85, "UTC"));
        for k in ["timezon", "occupancy_cap", "Mars/Olympus"] {
            assert!(e.contains(k), "{e}");
        }
        assert_eq!(Config::from_json_lenient("{}"), (Config::default(), None));
        // A misspelt nested key: that top-level key falls back, the message names the nested one.
        let (c, e) = Config::from_json_lenient(
            r#"{"currency": "USD", "sla": {"voice": {"threshold_s": 45, "target": 0.8, "targt": 1}}}"#,
        );
        let e = e.unwrap();
        assert_eq!(c.currency, "USD");
        assert_eq!(c.sla, Config::default().sla);
        assert!(e.contains("sla.voice.targt"), "{e}");
        let (c, e) = Config::from_json_lenient("<html>");
        assert!(c == Config::default() && e.is_some());
    }
}
