//! The cube's CSV form (docs/cube.md): `hour`, `channel`, one column per dimension, the
//! numeric measures, five sparse histograms and the `customers` partial. Empty numeric cells
//! are 0, so a warehouse may leave out measures it does not have.

use super::{Cell, Cube, CubeDim, HIST_COLUMNS};
use crate::kpi::KpiAcc;
use crate::model::Channel;

/// A cube file that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CubeError {
    /// Not CSV, or a row with the wrong number of fields.
    #[error("cube: {0}")]
    Csv(String),
    /// A required column is missing.
    #[error("cube: the column \"{0}\" is missing")]
    MissingColumn(&'static str),
    /// A value that cannot be read.
    #[error("cube line {line}, column \"{column}\": {msg} (value \"{value}\")")]
    BadValue {
        /// 1-based line.
        line: u64,
        /// Column.
        column: String,
        /// Value as read.
        value: String,
        /// Why.
        msg: &'static str,
    },
}

/// A number column of the cube format.
trait Num: Sized + Copy {
    fn text(self) -> String;
    fn read(s: &str) -> Option<Self>;
}

impl Num for u64 {
    fn text(self) -> String {
        if self == 0 {
            String::new()
        } else {
            self.to_string()
        }
    }
    fn read(s: &str) -> Option<u64> {
        if s.is_empty() {
            return Some(0);
        }
        s.parse().ok().or_else(|| {
            let f: f64 = s.parse().ok()?;
            (f >= 0.0 && f.fract() == 0.0 && f < 1.8e19).then_some(f as u64)
        })
    }
}

impl Num for f64 {
    fn text(self) -> String {
        if self == 0.0 {
            String::new()
        } else {
            // Shortest representation that reads back to the same f64.
            format!("{self:?}").trim_end_matches(".0").to_string()
        }
    }
    fn read(s: &str) -> Option<f64> {
        if s.is_empty() {
            return Some(0.0);
        }
        s.parse().ok().filter(|x: &f64| x.is_finite())
    }
}

macro_rules! measures {
    ($($name:literal => $($f:ident).+ ;)*) => {
        /// The numeric measure columns, in the order the writer puts them.
        pub const MEASURE_COLUMNS: &[&str] = &[$($name),*];

        fn write_measures(a: &KpiAcc, out: &mut Vec<String>) {
            $( out.push(Num::text(a.$($f).+)); )*
        }

        fn set_measure(a: &mut KpiAcc, i: usize, v: &str) -> Option<()> {
            let mut k = 0usize;
            $(
                if i == k {
                    a.$($f).+ = Num::read(v)?;
                    return Some(());
                }
                k += 1;
            )*
            let _ = k;
            Some(())
        }
    };
}

measures! {
    "contacts" => contacts;
    "csat_n" => csat.n;
    "csat_sum" => csat.sum;
    "csat_sum_sq" => csat.sum_sq;
    "csat_satisfied" => csat_satisfied;
    "nps_promoters" => nps.promoters;
    "nps_passives" => nps.passives;
    "nps_detractors" => nps.detractors;
    "ces_n" => ces.n;
    "ces_sum" => ces.sum;
    "ces_sum_sq" => ces.sum_sq;
    "survey_num" => survey.num;
    "survey_den" => survey.den;
    "resolution_num" => resolution.num;
    "resolution_den" => resolution.den;
    "handle_n" => handle.mean.n;
    "handle_sum" => handle.mean.sum;
    "handle_sum_sq" => handle.mean.sum_sq;
    "first_response_n" => first_response.mean.n;
    "first_response_sum" => first_response.mean.sum;
    "first_response_sum_sq" => first_response.mean.sum_sq;
    "sla_num" => sla.num;
    "sla_den" => sla.den;
    "abandoned" => abandoned;
    "abandon_unknown" => abandon_unknown;
    "transfer_num" => transfer.num;
    "transfer_den" => transfer.den;
    "qa_n" => qa.n;
    "qa_sum" => qa.sum;
    "qa_sum_sq" => qa.sum_sq;
    "bot" => bot;
    "bot_contained" => bot_contained;
    "handed_off" => handed_off;
    "handoff_n" => handoff.mean.n;
    "handoff_sum" => handoff.mean.sum;
    "handoff_sum_sq" => handoff.mean.sum_sq;
    "cost" => cost;
    "revenue_n" => revenue.n;
    "revenue_sum" => revenue.sum;
    "revenue_sum_sq" => revenue.sum_sq;
    "sentiment_n" => sentiment.n;
    "sentiment_sum" => sentiment.sum;
    "sentiment_sum_sq" => sentiment.sum_sq;
    "sentiment_negative" => sentiment_negative;
    "cases" => cases.cases;
    "cases_resolved" => cases.resolved;
    "cases_fcr" => cases.fcr;
    "case_handle_n" => cases.handle.mean.n;
    "case_handle_sum" => cases.handle.mean.sum;
    "case_handle_sum_sq" => cases.handle.mean.sum_sq;
    "case_resolution_n" => cases.resolution.mean.n;
    "case_resolution_sum" => cases.resolution.mean.sum;
    "case_resolution_sum_sq" => cases.resolution.mean.sum_sq;
    "cases_migrated" => cases.migrated;
    "case_switches" => cases.switches;
    "cases_switched" => cases.switched;
    "cases_cross_resolved" => cases.cross_resolved;
    "case_cost" => cases.cost;
}

/// `bucket:count` pairs separated by spaces.
fn hist_text(h: &[(u32, u32)]) -> String {
    let mut s = String::new();
    for (b, c) in h {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("{b}:{c}"));
    }
    s
}

fn hist_read(s: &str) -> Option<Vec<(u32, u32)>> {
    let mut v: Vec<(u32, u32)> = Vec::new();
    for part in s.split_ascii_whitespace() {
        let (b, c) = part.split_once(':')?;
        let b: u32 = b.parse().ok()?;
        let c: u32 = c.parse().ok()?;
        if b > 100_000 {
            return None;
        }
        v.push((b, c));
    }
    v.sort_unstable();
    v.dedup_by(|a, b| {
        // Merge repeated buckets into the first one.
        if a.0 == b.0 {
            b.1 += a.1;
            true
        } else {
            false
        }
    });
    Some(v)
}

/// Customer ids are separated by spaces, a second case is marked `*2`: `%`, ` ` and `*` inside
/// an id are percent-escaped.
fn escape_id(s: &str) -> String {
    s.replace('%', "%25")
        .replace(' ', "%20")
        .replace('*', "%2A")
}

fn unescape_id(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    s.replace("%20", " ")
        .replace("%2A", "*")
        .replace("%25", "%")
}

/// True when `bytes` start with a cube's CSV header (`hour`, `channel` and `contacts` among
/// the columns): a data source the dashboard reads with [`Cube::from_csv`] and
/// [`CubeEngine`](super::CubeEngine) instead of the row loader.
pub fn is_cube_csv(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..end]);
    let cols: Vec<&str> = head
        .split(',')
        .map(|c| c.trim().trim_matches('"'))
        .collect();
    ["hour", "channel", "contacts"]
        .iter()
        .all(|c| cols.contains(c))
}

impl Cube {
    /// The cube as CSV: `hour` (Unix seconds of the UTC hour), `channel`, the dimensions, then
    /// [`MEASURE_COLUMNS`], [`HIST_COLUMNS`] and `customers`.
    pub fn to_csv(&self) -> String {
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let mut head: Vec<String> = vec!["hour".into(), "channel".into()];
        head.extend(self.dims.iter().map(|d| d.name.clone()));
        head.extend(MEASURE_COLUMNS.iter().map(|s| s.to_string()));
        head.extend(HIST_COLUMNS.iter().map(|s| s.to_string()));
        head.push("customers".into());
        let _ = w.write_record(&head);
        let mut row = Vec::with_capacity(head.len());
        for c in &self.cells {
            row.clear();
            row.push(c.hour.to_string());
            row.push(c.channel.as_str().to_string());
            for (d, &code) in self.dims.iter().zip(&c.dims) {
                row.push(d.dict.get(code).unwrap_or("").to_string());
            }
            write_measures(&c.acc, &mut row);
            for h in &c.hists {
                row.push(hist_text(h));
            }
            let mut cust = String::new();
            for &(code, n) in &c.customers {
                if !cust.is_empty() {
                    cust.push(' ');
                }
                cust.push_str(&escape_id(self.customers.get(code).unwrap_or("")));
                if n > 1 {
                    cust.push_str("*2");
                }
            }
            row.push(cust);
            let _ = w.write_record(&row);
        }
        w.into_inner()
            .map(|b| String::from_utf8(b).unwrap_or_default())
            .unwrap_or_default()
    }

    /// Reads a cube from CSV. Columns are found by name: `hour` and `channel` are required,
    /// every measure is optional (absent or empty: 0), and any column that is neither a
    /// measure, a histogram nor `customers` is a dimension.
    pub fn from_csv(bytes: &[u8]) -> Result<Cube, CubeError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut r = ::csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes);
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| CubeError::Csv(e.to_string()))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        enum Col {
            Hour,
            Channel,
            Dim(usize),
            Measure(usize),
            Hist(usize),
            Customers,
        }
        let mut cube = Cube::default();
        let mut cols = Vec::with_capacity(headers.len());
        for h in &headers {
            cols.push(if h == "hour" {
                Col::Hour
            } else if h == "channel" {
                Col::Channel
            } else if h == "customers" {
                Col::Customers
            } else if let Some(i) = MEASURE_COLUMNS.iter().position(|m| m == h) {
                Col::Measure(i)
            } else if let Some(i) = HIST_COLUMNS.iter().position(|m| m == h) {
                Col::Hist(i)
            } else {
                cube.dims.push(CubeDim {
                    name: h.clone(),
                    dict: Default::default(),
                });
                Col::Dim(cube.dims.len() - 1)
            });
        }
        if !headers.iter().any(|h| h == "hour") {
            return Err(CubeError::MissingColumn("hour"));
        }
        if !headers.iter().any(|h| h == "channel") {
            return Err(CubeError::MissingColumn("channel"));
        }
        let n_dims = cube.dims.len();
        let mut rec = ::csv::StringRecord::new();
        let mut line = 1u64;
        loop {
            match r.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(CubeError::Csv(e.to_string())),
            }
            line += 1;
            let mut cell = Cell {
                dims: vec![0; n_dims],
                ..Default::default()
            };
            for (j, v) in rec.iter().enumerate() {
                let v = v.trim();
                let bad = |msg| CubeError::BadValue {
                    line,
                    column: headers[j].clone(),
                    value: v.to_string(),
                    msg,
                };
                match cols[j] {
                    Col::Hour => {
                        let t = v
                            .parse::<i64>()
                            .ok()
                            .or_else(|| {
                                v.parse::<f64>()
                                    .ok()
                                    .filter(|f| f.fract() == 0.0)
                                    .map(|f| f as i64)
                            })
                            .or_else(|| {
                                crate::io::values::parse_timestamp(v, &crate::zone::Zone::UTC)
                            })
                            .ok_or_else(|| bad("not Unix seconds or a UTC timestamp"))?;
                        cell.hour = t.div_euclid(3600) * 3600;
                    }
                    Col::Channel => {
                        cell.channel = Channel::parse(v).ok_or_else(|| bad("unknown channel"))?
                    }
                    Col::Dim(d) => cell.dims[d] = cube.dims[d].dict.intern(v),
                    Col::Measure(m) => {
                        set_measure(&mut cell.acc, m, v).ok_or_else(|| bad("not a number"))?
                    }
                    Col::Hist(k) => {
                        cell.hists[k] =
                            hist_read(v).ok_or_else(|| bad("not `bucket:count` pairs"))?
                    }
                    Col::Customers => {
                        for part in v.split_ascii_whitespace() {
                            let (id, n) = match part.strip_suffix("*2") {
                                Some(id) => (id, 2u8),
                                None => (part, 1u8),
                            };
                            let code = cube.customers.intern(&unescape_id(id));
                            if code != 0 {
                                cell.customers.push((code, n));
                            }
                        }
                    }
                }
            }
            cube.cells.push(cell);
        }
        cube.finish();
        Ok(cube)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_empty_is_zero() {
        for x in [0.1 + 0.2, 1e-300, 123456789.125, 3.0, -2.5] {
            assert_eq!(f64::read(&x.text()), Some(x));
        }
        assert_eq!(3.0f64.text(), "3");
        assert_eq!(u64::read(""), Some(0));
        assert_eq!(u64::read("12.0"), Some(12));
        assert_eq!(u64::read("1.5"), None);
        assert_eq!(hist_read("3:1 130:2 3:4"), Some(vec![(3, 5), (130, 2)]));
        assert_eq!(hist_read("3-1"), None);
        assert!(is_cube_csv(b"hour,channel,team,contacts\n1,voice,,2\n"));
        assert!(!is_cube_csv(b"id,arrived_at,channel\n"));
        let id = "a b*c%d";
        assert_eq!(unescape_id(&escape_id(id)), id);
    }
}
