//! The columnar path for canonical contacts: a slice of a record batch is checked and decoded
//! column by column, then its rows are appended to the contacts table column by column, with no
//! [`crate::ContactRecord`] and no string per row. A dictionary-encoded dimension's values are
//! interned once per dictionary entry (on first use, so codes keep their order of first
//! appearance) and rows then only translate an integer through a small table.
//!
//! What it takes is exactly what the typed path ([`super::Fast::row`]) would load without a
//! warning: every cell is read by the same [`Column`] methods and held to the same conditions.
//! A row it cannot take with certainty (a null where a value is required, a value out of range
//! or of an unexpected type, an unknown channel, closed before arrival, an id loaded already)
//! goes to the row path as before, in its place among the rows, which then loads, warns or
//! rejects it as it always did. Rows reach the table in file order either way, so dictionary
//! codes, case numbers and extra columns come out as the row path makes them.

use super::{Column, Fast, Ty};
use crate::io::canonical::MAX_DURATION_S;
use crate::io::Loader;
use crate::model::{flag, Channel, Contacts, DimColumn, STANDARD_DIMS};

/// No code yet for this dictionary entry.
const UNMAPPED: u32 = u32::MAX;
/// No channel parsed yet for this dictionary entry.
const CH_UNMAPPED: u8 = u8::MAX;
/// A dictionary entry that is no channel.
const CH_INVALID: u8 = u8::MAX - 1;

/// Field numbers ([`crate::io::CONTACT_FIELDS`]) of the standard dimensions, in the order of
/// [`Contacts::dims`] ([`STANDARD_DIMS`]).
const DIM_FIELDS: [usize; 7] = [10, 11, 12, 13, 14, 15, 2];
/// Field numbers of the optional `f64` fields decoded into [`Decoded::f`]: first response,
/// handle, handoff, cost, revenue, sentiment.
const F_FIELDS: [usize; 6] = [5, 7, 18, 20, 21, 25];
/// Field numbers of the flags and their bits.
const FLAG_FIELDS: [(usize, u8); 4] = [
    (6, flag::ABANDONED),
    (9, flag::RESOLVED),
    (16, flag::BOT),
    (17, flag::HANDED_OFF),
];

/// The columnar reader of one canonical contacts source (see the module documentation).
pub(super) struct Columnar {
    /// Column of each canonical field, and the extra columns (as [`Fast`]).
    col: [Option<usize>; 30],
    extras: Vec<usize>,
    /// Per column: its dictionary slot, when dictionary-encoded.
    slots: Vec<Option<usize>>,
    /// Per column: its dictionary's entries translated to codes of the dimension the column
    /// feeds ([`UNMAPPED`] until first used); empty for other columns.
    codes: Vec<Vec<u32>>,
    /// The channel of each dictionary entry of the channel column.
    channels: Vec<u8>,
    /// The name of each extra column, and its dimension column (index into
    /// [`Contacts::dims`]) once that exists.
    extra_names: Vec<String>,
    extra_dims: Vec<Option<usize>>,
    /// The rows decoded last.
    dec: Decoded,
}

/// The checked and decoded cells of rows `base..base + bad.len()` of a batch.
#[derive(Default)]
struct Decoded {
    base: usize,
    /// Rows the columnar path cannot take.
    bad: Vec<bool>,
    channel: Vec<u8>,
    arrived: Vec<i64>,
    /// `closed_at − arrived_at` as stored; NaN: not closed.
    close_after: Vec<f32>,
    /// [`flag`] bits without the case-first bit.
    flags: Vec<u8>,
    transfers: Vec<u8>,
    /// The fields of [`F_FIELDS`]; NaN: no value.
    f: [Vec<f64>; 6],
    /// CSAT, NPS, CES and the four QA scores as stored; [`u8::MAX`]: no value.
    scores: [Vec<u8>; 7],
    /// Scratch for a numeric field.
    tmp: Vec<f64>,
}

/// The text of a dictionary entry, `None` when the cell's index is not a valid one; mirrors
/// the dictionary branch of [`Column::str`]. `Some(None)` for a null.
#[inline(always)]
fn dict_index(c: &Column, i: usize, dict_len: usize) -> Option<Option<usize>> {
    if !c.is_valid(i) {
        return Some(None);
    }
    let k = usize::try_from(c.int(i)?).ok()?;
    (k < dict_len).then_some(Some(k))
}

/// What a numeric field must hold (the typed path's `dur`, `ranged`, `score` and transfers).
#[derive(Debug, Clone, Copy)]
enum Check {
    /// Any finite number.
    Any,
    /// `lo..=hi`.
    Range(f64, f64),
    /// A duration: `0..MAX_DURATION_S`.
    Duration,
    /// A whole number in `lo..=hi` (a score).
    Whole(f64, f64),
    /// A whole number `0..10⁶`.
    Transfers,
}

impl Check {
    #[inline(always)]
    fn ok(self, v: f64) -> bool {
        match self {
            Check::Any => true,
            Check::Range(lo, hi) => in_range(v, lo, hi),
            Check::Duration => (0.0..MAX_DURATION_S).contains(&v),
            Check::Whole(lo, hi) => in_range(v, lo, hi) && v.fract() == 0.0,
            Check::Transfers => v >= 0.0 && v.fract() == 0.0 && v < 1e6,
        }
    }
}

/// Decodes numeric field `col` of rows `base..base + out.len()` into `out` (NaN: no value) as
/// the typed path reads it ([`Column::num`]): a cell that is not a finite number, or fails
/// `check`, marks its row bad.
fn numbers(col: Option<&Column>, base: usize, check: Check, out: &mut [f64], bad: &mut [bool]) {
    let Some(c) = col else {
        out.fill(f64::NAN);
        return;
    };
    // Integers and floats straight from the values buffer, converted as `Column::num` does.
    let f = Fill { c, base, check };
    let done = match (c.dict, c.ty) {
        (Some(_), _) => false,
        (None, Ty::Int { bytes: 1, signed }) => match signed {
            true => f.run(out, bad, |b: [u8; 1]| b[0] as i8 as f64),
            false => f.run(out, bad, |b: [u8; 1]| b[0] as f64),
        },
        (None, Ty::Int { bytes: 2, signed }) => match signed {
            true => f.run(out, bad, |b| i16::from_le_bytes(b) as f64),
            false => f.run(out, bad, |b| u16::from_le_bytes(b) as f64),
        },
        (None, Ty::Int { bytes: 4, signed }) => match signed {
            true => f.run(out, bad, |b| i32::from_le_bytes(b) as f64),
            false => f.run(out, bad, |b| u32::from_le_bytes(b) as f64),
        },
        (None, Ty::Int { bytes: 8, .. }) => f.run(out, bad, |b| i64::from_le_bytes(b) as f64),
        (None, Ty::Float { bytes: 8 }) => f.run(out, bad, f64::from_le_bytes),
        (None, Ty::Float { bytes: 4 }) => f.run(out, bad, |b| {
            let x = f32::from_le_bytes(b);
            // Through the shortest text, like the text path (see `Column::num`).
            match x.fract() == 0.0 {
                true => x as f64,
                false => x.to_string().parse().unwrap_or(f64::NAN),
            }
        }),
        _ => false,
    };
    if !done {
        for (r, (x, b)) in out.iter_mut().zip(bad.iter_mut()).enumerate() {
            *x = checked(c.num(base + r), check, b);
        }
    }
}

/// A cell of [`Column::num`] as decoded: NaN for none, and `bad` set when it is not a finite
/// number that passes `check`.
#[inline(always)]
fn checked(v: Option<Option<f64>>, check: Check, bad: &mut bool) -> f64 {
    match v {
        Some(None) => f64::NAN,
        Some(Some(v)) if v.is_finite() && check.ok(v) => v,
        _ => {
            *bad = true;
            f64::NAN
        }
    }
}

/// The rows of a numeric column from `base` on, checked with `check`.
struct Fill<'c, 'a> {
    c: &'c Column<'a>,
    base: usize,
    check: Check,
}

impl Fill<'_, '_> {
    /// Decodes `out.len()` rows of `W`-byte values with `conv`; false when the values buffer
    /// is too short for them (then nothing is decoded).
    #[inline]
    fn run<const W: usize>(
        &self,
        out: &mut [f64],
        bad: &mut [bool],
        conv: impl Fn([u8; W]) -> f64,
    ) -> bool {
        let (c, base, n) = (self.c, self.base, out.len());
        let Some(vals) = c.values.get(base * W..(base + n) * W) else {
            return false;
        };
        // Nulls are NaN, and the row stays good; most optional columns (surveys, QA, costs)
        // are mostly null, so a byte of the validity bitmap with no valid row skips its eight
        // rows at once. A plain loop over the rows: iterator adapters are calls of their own
        // in a size-optimised build.
        out.fill(f64::NAN);
        let mut r = 0;
        while r < n {
            let i = base + r;
            if let Some(valid) = c.valid {
                // As `Column::is_valid`: a row past the bitmap is null.
                let byte = valid.get(i / 8).copied().unwrap_or(0);
                if byte == 0 && i % 8 == 0 && r + 8 <= n {
                    r += 8;
                    continue;
                }
                if byte >> (i % 8) & 1 == 0 {
                    r += 1;
                    continue;
                }
            }
            let v = vals.get(r * W..r * W + W).and_then(|v| v.try_into().ok());
            let x = conv(v.unwrap_or([0; W]));
            if let (Some(o), Some(b)) = (out.get_mut(r), bad.get_mut(r)) {
                *o = checked(Some(Some(x)), self.check, b);
            }
            r += 1;
        }
        true
    }
}

/// A column's cells as [`Column::str`] reads them, with the string bytes of a range of rows
/// checked as UTF-8 in one go instead of cell by cell: a cell within that range is valid UTF-8
/// exactly when it starts and ends on character boundaries of it.
struct Texts<'c, 'a> {
    col: &'c Column<'a>,
    /// The string bytes of the range, when they are UTF-8, and where they start.
    text: &'a str,
    at: usize,
}

impl<'c, 'a> Texts<'c, 'a> {
    fn new(col: &'c Column<'a>, rows: std::ops::Range<usize>) -> Texts<'c, 'a> {
        let text = match (col.dict, col.offset(rows.start), col.offset(rows.end)) {
            (None, Some(a), Some(b)) => col
                .data
                .get(a..b)
                .and_then(|s| std::str::from_utf8(s).ok())
                .map(|t| (t, a)),
            _ => None,
        };
        let (text, at) = text.unwrap_or(("", 0));
        Texts { col, text, at }
    }

    /// [`Column::str`] of row `i`.
    #[inline(always)]
    fn str(&self, i: usize, dicts: &'c [Vec<String>]) -> Option<Option<&'c str>> {
        let c = self.col;
        if c.dict.is_none() && c.is_valid(i) {
            if let (Some(a), Some(b)) = (c.offset(i), c.offset(i + 1)) {
                let end = self.at + self.text.len();
                if a >= self.at && a <= b && b <= end {
                    return self.text.get(a - self.at..b - self.at).map(Some);
                }
            }
        }
        c.str(i, dicts)
    }
}

/// Outside `lo..=hi` (the typed path's `ranged`).
#[inline(always)]
fn in_range(v: f64, lo: f64, hi: f64) -> bool {
    !(v < lo || v > hi)
}

impl Columnar {
    /// The columnar reader of a canonical contacts source whose columns `fast` found, with
    /// column types `types`; `None` when it has no `id`, `channel` or `arrived_at` column (then
    /// no row could be taken).
    pub(super) fn new(
        fast: &Fast,
        types: &[(Ty, Option<usize>)],
        headers: &[String],
    ) -> Option<Columnar> {
        if [0, 3, 4].iter().any(|&k| fast.col[k].is_none()) {
            return None;
        }
        Some(Columnar {
            col: fast.col,
            extras: fast.extras.clone(),
            slots: types.iter().map(|&(_, d)| d).collect(),
            codes: vec![Vec::new(); types.len()],
            channels: Vec::new(),
            extra_names: fast
                .extras
                .iter()
                .map(|&j| headers.get(j).cloned().unwrap_or_default())
                .collect(),
            extra_dims: vec![None; fast.extras.len()],
            dec: Decoded::default(),
        })
    }

    /// Forgets what was learnt of dictionary `slot` (all of them for `None`): a dictionary
    /// batch that is no delta replaced it.
    pub(super) fn dictionary_replaced(&mut self, slot: Option<usize>) {
        for (j, s) in self.slots.iter().enumerate() {
            if s.is_some() && (slot.is_none() || *s == slot) {
                self.codes[j].clear();
                if self.col[3] == Some(j) {
                    self.channels.clear();
                }
            }
        }
    }

    /// Checks and decodes rows `rows` of the batch `cols`.
    pub(super) fn decode(
        &mut self,
        cols: &[Column],
        dicts: &[Vec<String>],
        tz: &crate::zone::Zone,
        rows: std::ops::Range<usize>,
    ) {
        let n = rows.len();
        let base = rows.start;
        let d = &mut self.dec;
        d.base = base;
        d.bad.clear();
        d.bad.resize(n, false);
        let col = |k: usize| self.col[k].and_then(|j| cols.get(j));
        let Some(id) = col(0) else {
            d.bad.fill(true);
            return;
        };
        // id: text, not blank.
        let ids = Texts::new(id, rows.clone());
        for (r, b) in d.bad.iter_mut().enumerate() {
            if !matches!(ids.str(base + r, dicts), Some(Some(s)) if !s.trim().is_empty()) {
                *b = true;
            }
        }
        // The optional text fields: a cell of another type, or a dictionary index out of
        // range, is the row path's.
        for k in [1, 2, 10, 11, 12, 13, 14, 15] {
            let Some(c) = col(k) else { continue };
            match c.dict.and_then(|s| dicts.get(s)) {
                Some(entries) => {
                    for (r, b) in d.bad.iter_mut().enumerate() {
                        if dict_index(c, base + r, entries.len()).is_none() {
                            *b = true;
                        }
                    }
                }
                None => {
                    let texts = Texts::new(c, rows.clone());
                    for (r, b) in d.bad.iter_mut().enumerate() {
                        if texts.str(base + r, dicts).is_none() {
                            *b = true;
                        }
                    }
                }
            }
        }
        // channel: a canonical id (parsed once per dictionary entry).
        d.channel.clear();
        d.channel.resize(n, 0);
        match col(3) {
            Some(c) => {
                let dict = c.dict.and_then(|s| dicts.get(s));
                if let Some(entries) = dict {
                    self.channels
                        .resize(entries.len().max(self.channels.len()), CH_UNMAPPED);
                }
                for r in 0..n {
                    let i = base + r;
                    let ch = match dict {
                        Some(entries) => match dict_index(c, i, entries.len()) {
                            Some(Some(k)) => {
                                if self.channels[k] == CH_UNMAPPED {
                                    self.channels[k] = Channel::parse(&entries[k])
                                        .filter(|_| !entries[k].trim().is_empty())
                                        .map_or(CH_INVALID, |ch| ch as u8);
                                }
                                self.channels[k]
                            }
                            _ => CH_INVALID,
                        },
                        None => match c.str(i, dicts) {
                            Some(Some(s)) if !s.trim().is_empty() => {
                                Channel::parse(s).map_or(CH_INVALID, |ch| ch as u8)
                            }
                            _ => CH_INVALID,
                        },
                    };
                    if ch == CH_INVALID {
                        d.bad[r] = true;
                    }
                    d.channel[r] = ch;
                }
            }
            None => d.bad.fill(true),
        }
        // arrived_at: required.
        d.arrived.clear();
        d.arrived.resize(n, 0);
        match col(4) {
            Some(c) => {
                for r in 0..n {
                    match c.ts(base + r, tz, dicts) {
                        Some(Some(t)) => d.arrived[r] = t,
                        _ => d.bad[r] = true,
                    }
                }
            }
            None => d.bad.fill(true),
        }
        // The optional numbers.
        let checks = [
            Check::Duration,
            Check::Duration,
            Check::Duration,
            Check::Range(0.0, f64::MAX),
            Check::Any,
            Check::Range(-1.0, 1.0),
        ];
        for ((out, &k), check) in d.f.iter_mut().zip(&F_FIELDS).zip(checks) {
            out.clear();
            out.resize(n, f64::NAN);
            numbers(col(k), base, check, out, &mut d.bad);
        }
        // closed_at: after arrival, within the longest duration, not before the first response.
        d.close_after.clear();
        d.close_after.resize(n, f32::NAN);
        if let Some(c) = col(8) {
            for r in 0..n {
                match c.ts(base + r, tz, dicts) {
                    Some(None) => {}
                    Some(Some(cl)) => match cl.checked_sub(d.arrived[r]) {
                        Some(after)
                            if after >= 0
                                && (after as f64) < MAX_DURATION_S
                                && (d.f[0][r].is_nan() || d.f[0][r] <= after as f64) =>
                        {
                            d.close_after[r] = after as f32
                        }
                        _ => d.bad[r] = true,
                    },
                    None => d.bad[r] = true,
                }
            }
        }
        // Flags.
        d.flags.clear();
        d.flags.extend(
            d.f[0]
                .iter()
                .map(|x| if x.is_nan() { 0 } else { flag::ANSWERED }),
        );
        for (k, bit) in FLAG_FIELDS {
            if let Some(c) = col(k) {
                for r in 0..n {
                    match c.flag(base + r) {
                        Some(true) => d.flags[r] |= bit,
                        Some(false) => {}
                        None => d.bad[r] = true,
                    }
                }
            }
        }
        // A file without an `abandoned` column does not say, nor does a null in it (a
        // warehouse's NULL): as in the typed path.
        match col(6) {
            None => {
                for f in &mut d.flags[..n] {
                    *f |= flag::ABANDON_UNKNOWN;
                }
            }
            Some(c) if c.valid.is_some() => {
                for (r, f) in d.flags[..n].iter_mut().enumerate() {
                    if !c.is_valid(base + r) {
                        *f |= flag::ABANDON_UNKNOWN;
                    }
                }
            }
            Some(_) => {}
        }
        // transfers: a whole number 0 ≤ t < 10⁶ (stored saturating at 255).
        d.tmp.clear();
        d.tmp.resize(n, f64::NAN);
        numbers(col(19), base, Check::Transfers, &mut d.tmp, &mut d.bad);
        d.transfers.clear();
        d.transfers.extend(
            d.tmp
                .iter()
                .map(|&t| if t.is_nan() { 0 } else { t.min(255.0) as u8 }),
        );
        // Scores: CSAT 1–5, NPS 0–10, CES 1–7 (whole); QA 0–100 (rounded).
        let scores: [(usize, f64, f64, bool); 7] = [
            (22, 1.0, 5.0, true),
            (23, 0.0, 10.0, true),
            (24, 1.0, 7.0, true),
            (26, 0.0, 100.0, false),
            (27, 0.0, 100.0, false),
            (28, 0.0, 100.0, false),
            (29, 0.0, 100.0, false),
        ];
        for (out, (k, lo, hi, whole)) in d.scores.iter_mut().zip(scores) {
            let check = match whole {
                true => Check::Whole(lo, hi),
                false => Check::Range(lo, hi),
            };
            numbers(col(k), base, check, &mut d.tmp, &mut d.bad);
            out.clear();
            out.extend(d.tmp.iter().map(|&v| match v.is_nan() {
                true => u8::MAX,
                false if whole => v as u8,
                false => v.round() as u8,
            }));
        }
    }

    /// The end of the run of good rows that starts at row `from` of the decoded rows (`to` at
    /// most), as absolute rows; `from` itself when it is bad.
    pub(super) fn run_end(&self, from: usize, to: usize) -> usize {
        let b = self.dec.base;
        let lo = from.saturating_sub(b).min(self.dec.bad.len());
        let hi = to.saturating_sub(b).min(self.dec.bad.len());
        b + lo + self.dec.bad[lo..hi].iter().take_while(|&&x| !x).count()
    }

    /// Appends the good rows `rows` (decoded last, none of them bad) of `file` to the contacts
    /// of `loader`, in order, up to the first whose id is loaded already; returns the number
    /// appended (that row, if any, is the row path's to reject).
    pub(super) fn append(
        &mut self,
        cols: &[Column],
        dicts: &[Vec<String>],
        loader: &mut Loader,
        file: &str,
        rows: std::ops::Range<usize>,
        scratch: &mut String,
    ) -> usize {
        let Some(id) = self.col[0].and_then(|j| cols.get(j)) else {
            return 0;
        };
        if loader.contacts_mut().dims.is_empty() {
            *loader.contacts_mut() = Contacts::new();
        }
        let (start, mut end) = (rows.start, rows.start);
        let ids = Texts::new(id, rows.clone());
        while end < rows.end {
            let Some(Some(s)) = ids.str(end, dicts) else {
                break;
            };
            if !loader.push_new_id(s.trim()) {
                break;
            }
            end += 1;
        }
        let n = end - start;
        if n == 0 {
            return 0;
        }
        let ct = loader.contacts_mut();
        let d = &self.dec;
        let (lo, hi) = (start - d.base, end - d.base);
        let col = |k: usize| self.col[k].and_then(|j| cols.get(j));
        // Cases.
        match col(1) {
            Some(c) => {
                let names = Texts::new(c, start..end);
                for i in start..end {
                    let name = names.str(i, dicts).flatten();
                    let k = ct.case_for(name);
                    ct.case.push(k);
                }
            }
            None => {
                for _ in start..end {
                    let k = ct.case_for(None);
                    ct.case.push(k);
                }
            }
        }
        ct.channel.extend(
            d.channel[lo..hi]
                .iter()
                .map(|&c| Channel::from_index(c as usize).unwrap_or(Channel::Other)),
        );
        ct.arrived.extend_from_slice(&d.arrived[lo..hi]);
        for r in lo..hi {
            ct.close_after.push(Some(d.close_after[r]));
        }
        ct.flags.extend_from_slice(&d.flags[lo..hi]);
        ct.transfers.extend_from_slice(&d.transfers[lo..hi]);
        let f_cols = [
            &mut ct.first_response,
            &mut ct.handle,
            &mut ct.handoff,
            &mut ct.cost,
            &mut ct.revenue,
            &mut ct.sentiment,
        ];
        for (c, v) in f_cols.into_iter().zip(&d.f) {
            for &x in &v[lo..hi] {
                c.push(Some(x as f32));
            }
        }
        let [csat, nps, ces, qa0, qa1, qa2, qa3] = &d.scores;
        let [q0, q1, q2, q3] = &mut ct.qa;
        let s_cols = [
            (&mut ct.csat, csat),
            (&mut ct.nps, nps),
            (&mut ct.ces, ces),
            (q0, qa0),
            (q1, qa1),
            (q2, qa2),
            (q3, qa3),
        ];
        for (c, v) in s_cols {
            for &x in &v[lo..hi] {
                c.push(Some(x));
            }
        }
        self.append_dims(cols, dicts, ct, start..end);
        self.append_extras(cols, dicts, ct, start..end, scratch);
        loader.count_loaded(file, n as u64);
        n
    }

    /// The standard dimensions of rows `rows` (appended already to the other columns).
    fn append_dims(
        &mut self,
        cols: &[Column],
        dicts: &[Vec<String>],
        ct: &mut Contacts,
        rows: std::ops::Range<usize>,
    ) {
        let (start, end) = (rows.start, rows.end);
        for (dim, &k) in ct.dims.iter_mut().zip(&DIM_FIELDS) {
            let Some(j) = self.col[k] else {
                for _ in start..end {
                    dim.codes.push(0);
                }
                continue;
            };
            let Some(c) = cols.get(j) else { continue };
            match c.dict.and_then(|s| dicts.get(s)) {
                Some(entries) => {
                    let table = &mut self.codes[j];
                    table.resize(entries.len().max(table.len()), UNMAPPED);
                    for i in start..end {
                        let code = match dict_index(c, i, entries.len()) {
                            Some(Some(e)) => code_of(table, e, &entries[e], dim),
                            _ => 0,
                        };
                        dim.codes.push(code);
                    }
                }
                None => {
                    let texts = Texts::new(c, start..end);
                    let values: Vec<&str> = (start..end)
                        .map(|i| texts.str(i, dicts).flatten().unwrap_or(""))
                        .collect();
                    dim.dict.intern_into(&values, &mut dim.codes);
                }
            }
        }
    }

    /// The extra columns of rows `rows`, the last ones of the table.
    fn append_extras(
        &mut self,
        cols: &[Column],
        dicts: &[Vec<String>],
        ct: &mut Contacts,
        rows: std::ops::Range<usize>,
        scratch: &mut String,
    ) {
        let (start, end) = (rows.start, rows.end);
        let n = end - start;
        let first_row = ct.arrived.len().saturating_sub(n);
        // Extra columns: existing ones get the empty code, then each row's non-blank values in
        // row-major order (a new column appears where the row path would add it).
        for dim in ct.dims.iter_mut().skip(STANDARD_DIMS.len()) {
            for _ in start..end {
                dim.codes.push(0);
            }
        }
        for i in start..end {
            let row = first_row + (i - start);
            for (e, &j) in self.extras.iter().enumerate() {
                let Some(c) = cols.get(j) else { continue };
                let name = &self.extra_names[e];
                let code = match c.dict.and_then(|s| dicts.get(s)) {
                    Some(entries) => {
                        // As `Column::text`: the entry's text, nothing for a null.
                        let Some(Some(k)) = dict_index(c, i, entries.len()) else {
                            continue;
                        };
                        let table = &mut self.codes[j];
                        table.resize(entries.len().max(table.len()), UNMAPPED);
                        match table[k] {
                            0 => continue,
                            UNMAPPED => {
                                let v = entries[k].trim();
                                if v.is_empty() {
                                    table[k] = 0;
                                    continue;
                                }
                                let x = extra_dim(ct, &mut self.extra_dims[e], name, first_row + n);
                                let code = ct.dims[x].dict.intern(v);
                                table[k] = code;
                                code
                            }
                            code => code,
                        }
                    }
                    None => {
                        if !c.text(i, dicts, scratch) {
                            continue;
                        }
                        let v = scratch.trim();
                        if v.is_empty() {
                            continue;
                        }
                        let x = extra_dim(ct, &mut self.extra_dims[e], name, first_row + n);
                        ct.dims[x].dict.intern(v)
                    }
                };
                let x = extra_dim(ct, &mut self.extra_dims[e], name, first_row + n);
                ct.dims[x].codes.set(row, code);
            }
        }
    }
}

/// The code of dictionary entry `e` (text `value`) in `dim`, interned on first use.
#[inline]
fn code_of(table: &mut [u32], e: usize, value: &str, dim: &mut DimColumn) -> u32 {
    let known = table[e];
    if known != UNMAPPED {
        return known;
    }
    let code = dim.dict.intern(value.trim());
    table[e] = code;
    code
}

/// The dimension column of the extra column `name` (cached in `slot`), added with the empty
/// code for its first `rows` rows when the table has none yet.
fn extra_dim(ct: &mut Contacts, slot: &mut Option<usize>, name: &str, rows: usize) -> usize {
    if let Some(x) = *slot {
        return x;
    }
    let x = match ct.dims.iter().position(|d| d.name == name) {
        Some(x) => x,
        None => {
            let mut d = DimColumn {
                name: name.to_string(),
                ..Default::default()
            };
            for _ in 0..rows {
                d.codes.push(0);
            }
            ct.dims.push(d);
            ct.dims.len() - 1
        }
    };
    *slot = Some(x);
    x
}
