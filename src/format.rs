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
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}
