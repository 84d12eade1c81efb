//! Formatting of KPI values for people: one decimal for percentages, `m:ss` or `h:mm:ss` for
//! durations, "—" for no data.

/// How a KPI value is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count.
    Count,
    /// A fraction shown as a percentage.
    Rate,
    /// Seconds shown as `m:ss` / `h:mm:ss`.
    Seconds,
    /// A score on its own scale, two decimals.
    Score,
    /// Points (NPS), one decimal.
    Points,
    /// Money, two decimals.
    Money,
}

/// `s.to_uppercase()` by the browser's `String.prototype.toUpperCase` (the same full Unicode
/// mapping): the module then carries no upper-case table of its own (≈ 6 KB gzip).
pub fn to_upper(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_upper_case())
}

/// `s.to_lowercase()` by the browser's `String.prototype.toLowerCase` (the same full Unicode
/// mapping); registered as the engine's non-ASCII lower-casing (`omnikpi_engine::text`).
pub fn to_lower(s: &str) -> String {
    String::from(js_sys::JsString::from(s).to_lower_case())
}

/// Formats a value; `None` is "—" (no data).
pub fn format_value(v: Option<f64>, unit: Unit) -> String {
    let Some(v) = v else { return "—".into() };
    match unit {
        Unit::Count => group_thousands(v.round() as i64),
        Unit::Rate => format!("{:.1} %", v * 100.0),
        Unit::Seconds => format_duration(v),
        Unit::Score => format!("{v:.2}"),
        Unit::Points => format!("{v:.1}"),
        Unit::Money => format!("{v:.2}"),
    }
}

/// `m:ss` below an hour, `h:mm:ss` from an hour.
pub fn format_duration(s: f64) -> String {
    let t = s.round().max(0.0) as i64;
    let (h, m, sec) = (t / 3600, (t / 60) % 60, t % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

/// 1234567 → "1,234,567".
pub fn group_thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// How the catalog's unit is shown.
pub fn unit_of(u: omnikpi_engine::kpi::Unit) -> Unit {
    use omnikpi_engine::kpi::Unit as U;
    match u {
        U::Count => Unit::Count,
        U::Rate => Unit::Rate,
        U::Seconds => Unit::Seconds,
        U::Money => Unit::Money,
        U::Nps | U::Qa => Unit::Points,
        U::Csat | U::Ces | U::Sentiment | U::Ratio => Unit::Score,
    }
}

/// The unit suffix shown beside a value ("" when the format says it all).
pub fn unit_suffix(u: omnikpi_engine::kpi::Unit) -> &'static str {
    use omnikpi_engine::kpi::Unit as U;
    match u {
        U::Csat => "/ 5",
        U::Ces => "/ 7",
        U::Nps => "pts",
        U::Qa => "/ 100",
        U::Money => "EUR",
        _ => "",
    }
}

/// A change of a value, signed: points for rates, `±m:ss` for durations, plain otherwise.
pub fn format_delta(d: f64, unit: Unit) -> String {
    let a = d.abs();
    let size = match unit {
        Unit::Rate => format!("{:.1} pts", a * 100.0),
        Unit::Seconds => format_duration(a),
        Unit::Count => group_thousands(a.round() as i64),
        Unit::Score => format!("{a:.2}"),
        Unit::Points => format!("{a:.1}"),
        Unit::Money => format!("{a:.2}"),
    };
    // A change that rounds to nothing at the shown precision has no direction: "−0.0 pts"
    // reads as a fall.
    let shown = size.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let sign = match () {
        _ if !shown => "±",
        _ if d > 0.0 => "+",
        _ => "−",
    };
    format!("{sign}{size}")
}

/// True when `format_delta` shows no change (the delta rounds to zero at its unit's precision).
pub fn delta_is_flat(d: f64, unit: Unit) -> bool {
    format_delta(d, unit).starts_with('±')
}

/// Axis formatters for charts.
pub fn fmt_count(v: f64) -> String {
    group_thousands(v.round() as i64)
}

/// Percent axis formatter (fractions).
pub fn fmt_rate(v: f64) -> String {
    format!("{} %", fixed(v * 100.0, 1))
}

/// `v` with `decimals` decimals, without the sign of a value that rounds to zero ("-0.0" for
/// −0.04 reads as a negative value; a staffing gap of −0.04 agents is none).
fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => s,
    }
}

/// Duration axis formatter.
pub fn fmt_seconds(v: f64) -> String {
    format_duration(v)
}

/// Two-decimal formatter.
pub fn fmt_score(v: f64) -> String {
    fixed(v, 2)
}

/// One-decimal formatter.
pub fn fmt_points(v: f64) -> String {
    fixed(v, 1)
}

/// The axis formatter of a unit.
pub fn axis_fmt(u: Unit) -> fn(f64) -> String {
    match u {
        Unit::Count => fmt_count,
        Unit::Rate => fmt_rate,
        Unit::Seconds => fmt_seconds,
        Unit::Score | Unit::Money => fmt_score,
        Unit::Points => fmt_points,
    }
}

/// A chart's note per bucket (see [`crate::chart::LineChart::partial`]): the days a partial
/// bucket holds, `None` for a whole one.
pub fn partial_notes<'a>(
    cov: impl IntoIterator<Item = &'a omnikpi_engine::analysis::Coverage>,
) -> Vec<Option<String>> {
    cov.into_iter()
        .map(|c| {
            c.partial()
                .then(|| format!("{} of {} days in the range and the data", c.days, c.of))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use omnikpi_engine::analysis::Coverage;

    #[test]
    fn partial_buckets_say_how_many_days_they_hold() {
        let c = |days, of| Coverage { days, of };
        assert_eq!(
            partial_notes(&[c(6, 7), c(7, 7), c(1, 7), c(0, 30)]),
            [
                Some("6 of 7 days in the range and the data".to_string()),
                None,
                Some("1 of 7 days in the range and the data".to_string()),
                Some("0 of 30 days in the range and the data".to_string()),
            ]
        );
    }

    #[test]
    fn values_that_round_to_zero_have_no_sign() {
        assert_eq!(fmt_points(-0.04), "0.0");
        assert_eq!(fmt_points(-0.05), "-0.1");
        assert_eq!(fmt_points(-1.0), "-1.0");
        assert_eq!(fmt_score(-0.004), "0.00");
        assert_eq!(fmt_score(4.256), "4.26");
        assert_eq!(fmt_rate(-0.0004), "0.0 %");
        assert_eq!(fmt_rate(0.8123), "81.2 %");
    }

    #[test]
    fn deltas_that_round_to_zero_have_no_direction() {
        assert_eq!(format_delta(-0.0004, Unit::Rate), "±0.0 pts");
        assert_eq!(format_delta(-0.0005, Unit::Rate), "−0.1 pts");
        assert_eq!(format_delta(0.0312, Unit::Rate), "+3.1 pts");
        assert_eq!(format_delta(0.0, Unit::Rate), "±0.0 pts");
        assert_eq!(format_delta(-0.004, Unit::Score), "±0.00");
        assert_eq!(format_delta(-0.006, Unit::Score), "−0.01");
        assert_eq!(format_delta(0.4, Unit::Count), "±0");
        assert_eq!(format_delta(-12.0, Unit::Count), "−12");
        assert_eq!(format_delta(-0.04, Unit::Points), "±0.0");
        assert_eq!(format_delta(2.5, Unit::Money), "+2.50");
        assert!(delta_is_flat(0.001, Unit::Score));
        assert!(!delta_is_flat(0.006, Unit::Score));
    }
}
