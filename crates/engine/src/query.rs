//! Queries: which contacts (date range, any set of values of any dimension, channel, business
//! versus off hours, peak versus off-peak) and how to group them (any dimension, time bucket in
//! the configured zone, hour of day, weekday). A query compiles against one dataset into a row
//! slice (rows are sorted by arrival, so a date range is two binary searches) and per-row tests.

use crate::model::{Channel, Contacts};
use crate::prepared::{row_bit, Prepared};
use crate::time::{day_start_utc, parse_day, Bucket};
use serde::{Deserialize, Serialize};

/// A grouping dimension.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    /// The contact's channel.
    Channel,
    /// A dimension column (`team`, `topic`, `agent_id`, `customer_id`, or an extra column).
    Column(String),
    /// A local time bucket.
    Time(Bucket),
    /// Local hour of day, `00`–`23`.
    HourOfDay,
    /// Local weekday, `mon`–`sun`.
    Weekday,
    /// Business hours (`business`) versus off hours (`off_hours`).
    BusinessHours,
    /// Peak (`peak`) versus off-peak (`off_peak`).
    Peak,
}

/// Weekday labels, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Dim {
    /// Parses a grouping name: `channel`, `hour`, `day`, `week`, `month`, `quarter`,
    /// `hour_of_day`, `weekday`, `business_hours`, `peak`; anything else is a column name.
    pub fn parse(s: &str) -> Dim {
        let s = s.trim();
        if let Some(b) = Bucket::parse(s) {
            return Dim::Time(b);
        }
        match s {
            "channel" => Dim::Channel,
            "hour_of_day" => Dim::HourOfDay,
            "weekday" => Dim::Weekday,
            "business_hours" => Dim::BusinessHours,
            "peak" => Dim::Peak,
            _ => Dim::Column(s.to_string()),
        }
    }

    /// The key name in output (`channel`, `day`, the column name, ...).
    pub fn name(&self) -> &str {
        match self {
            Dim::Channel => "channel",
            Dim::Column(c) => c,
            Dim::Time(b) => b.as_str(),
            Dim::HourOfDay => "hour_of_day",
            Dim::Weekday => "weekday",
            Dim::BusinessHours => "business_hours",
            Dim::Peak => "peak",
        }
    }
}

/// What to compute over: the filter and the grouping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    /// First local day included (days since 1970-01-01).
    pub from: Option<i64>,
    /// Last local day included.
    pub to: Option<i64>,
    /// Allowed values per dimension (`channel` or a column name); a row passes when its value
    /// is in the set of every listed dimension. The empty value matches rows without one.
    pub filters: Vec<(String, Vec<String>)>,
    /// `Some(true)`: only contacts that arrived in business hours; `Some(false)`: only off hours.
    pub business_hours: Option<bool>,
    /// `Some(true)`: only peak hours; `Some(false)`: only off-peak.
    pub peak: Option<bool>,
    /// Grouping, outermost first; empty: one group.
    pub by: Vec<Dim>,
    /// "Now" for the live queue, Unix seconds.
    pub now: Option<i64>,
    /// On the range's last day (`to`), only contacts that arrived in its first this many
    /// seconds after local midnight: a period that ends now is compared with the same span of
    /// the earlier one (today until 10:30 against yesterday until 10:30, not all of
    /// yesterday). Ignored without `to`. Agent rows written per interval are cut at the
    /// intervals that start at or after it; agent-day and daily rows stay whole days; a cube
    /// cuts at its hours (the hour the cut falls in is kept).
    pub last_day_until: Option<i64>,
}

impl Query {
    /// The instant [`Query::last_day_until`] cuts the last day at: that many seconds after
    /// the local midnight that starts day `to` (elapsed time, so across a DST change it is an
    /// hour off the wall clock).
    pub fn cut_of(&self, tz: &crate::zone::Zone) -> Option<i64> {
        let (to, s) = (self.to?, self.last_day_until?);
        Some(day_start_utc(tz, to).saturating_add(s.max(0)))
    }

    /// Sets the date range from `YYYY-MM-DD` strings.
    pub fn with_dates(mut self, from: Option<&str>, to: Option<&str>) -> Result<Self, QueryError> {
        let p = |s: &str| parse_day(s).ok_or_else(|| QueryError::BadDate(s.to_string()));
        self.from = from.map(p).transpose()?;
        self.to = to.map(p).transpose()?;
        Ok(self)
    }

    /// Adds a filter.
    pub fn filter(mut self, dim: &str, values: &[&str]) -> Self {
        self.filters.push((
            dim.to_string(),
            values.iter().map(|s| s.to_string()).collect(),
        ));
        self
    }

    /// Adds a grouping dimension.
    pub fn group_by(mut self, dim: Dim) -> Self {
        self.by.push(dim);
        self
    }

    /// The allowed values of filter `dim`, when that dimension is filtered.
    pub fn filter_values(&self, dim: &str) -> Option<&[String]> {
        self.filters
            .iter()
            .find(|(d, _)| d == dim)
            .map(|(_, v)| v.as_slice())
    }
}

/// A query that does not fit the data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    /// A filter or grouping names a dimension the data does not have.
    #[error("unknown dimension \"{0}\"")]
    UnknownDimension(String),
    /// A date is not `YYYY-MM-DD`.
    #[error("bad date \"{0}\" (expected YYYY-MM-DD)")]
    BadDate(String),
    /// The grouping has more combinations than can be keyed.
    #[error("too many group combinations")]
    TooManyGroups,
    /// The loaded source is a cube (pre-aggregated) and the question needs contact rows (a
    /// drill-down list, channel transitions, the live queue, a dimension the cube lacks such
    /// as `agent_id` or `customer_id`). Names what needs them.
    #[error("{0} needs contact rows; the loaded source is a cube (pre-aggregated)")]
    NeedsRows(String),
}

/// A query compiled against one contacts table.
#[derive(Debug, Clone)]
pub struct RowFilter {
    /// First row in the date range.
    pub lo: usize,
    /// One past the last row in the date range.
    pub hi: usize,
    channels: [bool; Channel::COUNT],
    all_channels: bool,
    dims: Vec<(usize, Vec<bool>)>,
    bits_mask: u8,
    bits_want: u8,
}

impl RowFilter {
    /// Compiles `q` for `c`.
    pub fn new(q: &Query, c: &Contacts, prep: &Prepared) -> Result<RowFilter, QueryError> {
        let lo = match q.from {
            Some(d) => {
                let t = day_start_utc(&prep.tz, d);
                c.arrived.partition_point(|&a| a < t)
            }
            None => 0,
        };
        let hi = match q.to {
            Some(d) => {
                let t = match q.cut_of(&prep.tz) {
                    Some(cut) => cut.min(day_start_utc(&prep.tz, d + 1)),
                    None => day_start_utc(&prep.tz, d + 1),
                };
                c.arrived.partition_point(|&a| a < t)
            }
            None => c.len(),
        };
        let mut channels = [true; Channel::COUNT];
        let mut all_channels = true;
        let mut dims = Vec::new();
        for (name, values) in &q.filters {
            if name == "channel" {
                let mut m = [false; Channel::COUNT];
                for v in values {
                    if let Some(ch) = Channel::parse(v) {
                        m[ch as usize] = true;
                    }
                }
                for (a, b) in channels.iter_mut().zip(m) {
                    *a &= b;
                }
                all_channels = false;
                continue;
            }
            let idx = match c.dim_index(name) {
                Some(i) => i,
                // Filters on the daily or agents tables' own dimensions leave contacts alone.
                None if crate::group::OTHER_TABLE_DIMS.contains(&name.as_str()) => continue,
                None => return Err(QueryError::UnknownDimension(name.clone())),
            };
            let dict = &c.dims[idx].dict;
            let mut allowed = vec![false; dict.len()];
            for v in values {
                if let Some(code) = dict.find(v) {
                    allowed[code as usize] = true;
                }
            }
            dims.push((idx, allowed));
        }
        let (mut bits_mask, mut bits_want) = (0, 0);
        if let Some(b) = q.business_hours {
            bits_mask |= row_bit::BUSINESS;
            bits_want |= if b { row_bit::BUSINESS } else { 0 };
        }
        if let Some(p) = q.peak {
            bits_mask |= row_bit::PEAK;
            bits_want |= if p { row_bit::PEAK } else { 0 };
        }
        Ok(RowFilter {
            lo,
            hi: hi.max(lo),
            channels,
            all_channels,
            dims,
            bits_mask,
            bits_want,
        })
    }

    /// Channels the filter allows, by channel index.
    pub fn channels(&self) -> [bool; Channel::COUNT] {
        self.channels
    }

    /// True when row `i` (inside `lo..hi`) passes every filter.
    #[inline]
    pub fn pass(&self, c: &Contacts, prep: &Prepared, i: usize) -> bool {
        if !self.all_channels && !self.channels[c.channel[i] as usize] {
            return false;
        }
        if self.bits_mask != 0
            && prep.bits.get(i).map_or(0, |b| b & self.bits_mask) != self.bits_want
        {
            return false;
        }
        self.dims.iter().all(|(d, allowed)| {
            allowed
                .get(c.dims[*d].codes.get(i) as usize)
                .copied()
                .unwrap_or(false)
        })
    }

    /// Calls `f` with every passing row index, in arrival order.
    #[inline]
    pub fn for_each(&self, c: &Contacts, prep: &Prepared, mut f: impl FnMut(usize)) {
        let simple = self.all_channels && self.bits_mask == 0 && self.dims.is_empty();
        for i in self.lo..self.hi.min(c.len()) {
            if simple || self.pass(c, prep, i) {
                f(i);
            }
        }
    }
}
