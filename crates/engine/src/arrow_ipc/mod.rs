//! Arrow IPC input (the file format, `.arrow` / Feather v2, and the stream format), without a
//! dependency: a minimal flatbuffers reader of the Arrow `Message` / `Schema` / `RecordBatch`
//! tables, enough for flat tables of the types canonical data uses. A row loads, warns and
//! rejects exactly like the same row read from CSV: it goes through the same mapping and
//! validation ([`RowBuilder`], the text path) into the engine's [`Loader`], unless a faster
//! path takes it with certainty. For a file with canonical contact columns, the columnar path
//! (`columnar`) appends whole runs of valid rows column by column; a row it cannot take goes to
//! the typed path (`fast`: one row's typed cells into a record), and a row that one cannot take
//! to the text path.
//!
//! Column types: `Utf8`, `LargeUtf8`, dictionary-encoded strings (any integer index type,
//! delta dictionaries included), signed and unsigned integers of 8–64 bits, `Float16/32/64`,
//! `Bool`, `Timestamp` (any unit; with a time zone it is an instant, without one a wall-clock
//! time read in the configured zone), `Date32`, `Date64`, `Duration` (as seconds), `Decimal128`,
//! `Null`. Not supported (a clear error): compressed buffers, nested types, views.

use crate::io::{detect_table, Loader, Mapping, ReadError, RowBuilder, Table as Tbl};
use crate::model::Dataset;
use columnar::Columnar;
use fast::Fast;
use std::fmt::Write;

mod columnar;
mod fast;

/// An Arrow IPC source that cannot be read.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ArrowError {
    /// Not Arrow IPC at all.
    #[error("this is not an Arrow IPC file or stream")]
    NotArrow,
    /// Truncated or inconsistent metadata or buffers.
    #[error("Arrow IPC: malformed ({0})")]
    Malformed(&'static str),
    /// A feature this reader leaves out.
    #[error("Arrow IPC: {0} is not supported (write the file uncompressed, with flat columns)")]
    Unsupported(String),
    /// The columns are no canonical table, or the mapping does not fit.
    #[error("{0}")]
    Table(#[from] ReadError),
}

type R<T> = Result<T, ArrowError>;
const BAD: ArrowError = ArrowError::Malformed("offset out of bounds");

fn rd<const N: usize>(b: &[u8], at: usize) -> R<[u8; N]> {
    b.get(at..at.checked_add(N).ok_or(BAD)?)
        .and_then(|s| s.try_into().ok())
        .ok_or(BAD)
}
fn u16_at(b: &[u8], at: usize) -> R<u16> {
    rd::<2>(b, at).map(u16::from_le_bytes)
}
fn u32_at(b: &[u8], at: usize) -> R<u32> {
    rd::<4>(b, at).map(u32::from_le_bytes)
}
fn i32_at(b: &[u8], at: usize) -> R<i32> {
    rd::<4>(b, at).map(i32::from_le_bytes)
}
fn i64_at(b: &[u8], at: usize) -> R<i64> {
    rd::<8>(b, at).map(i64::from_le_bytes)
}

/// A flatbuffers table: the buffer and the table's position in it.
#[derive(Clone, Copy)]
struct Table<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Table<'a> {
    fn root(b: &'a [u8]) -> R<Table<'a>> {
        Ok(Table {
            b,
            pos: u32_at(b, 0)? as usize,
        })
    }

    /// Position of field `i`, `None` when absent (default value).
    fn field(&self, i: usize) -> R<Option<usize>> {
        let vt = (self.pos as i64 - i32_at(self.b, self.pos)? as i64) as usize;
        let vt_len = u16_at(self.b, vt)? as usize;
        let slot = 4 + 2 * i;
        if slot + 2 > vt_len {
            return Ok(None);
        }
        let off = u16_at(self.b, vt + slot)? as usize;
        Ok((off != 0).then_some(self.pos + off))
    }

    fn u8(&self, i: usize, d: u8) -> R<u8> {
        Ok(match self.field(i)? {
            Some(p) => *self.b.get(p).ok_or(BAD)?,
            None => d,
        })
    }
    fn i16(&self, i: usize, d: i16) -> R<i16> {
        Ok(match self.field(i)? {
            Some(p) => u16_at(self.b, p)? as i16,
            None => d,
        })
    }
    fn i32(&self, i: usize, d: i32) -> R<i32> {
        Ok(match self.field(i)? {
            Some(p) => i32_at(self.b, p)?,
            None => d,
        })
    }
    fn i64(&self, i: usize, d: i64) -> R<i64> {
        Ok(match self.field(i)? {
            Some(p) => i64_at(self.b, p)?,
            None => d,
        })
    }
    fn table(&self, i: usize) -> R<Option<Table<'a>>> {
        Ok(match self.field(i)? {
            Some(p) => Some(Table {
                b: self.b,
                pos: p + u32_at(self.b, p)? as usize,
            }),
            None => None,
        })
    }
    /// A vector field: position of its first element and its length.
    fn vector(&self, i: usize) -> R<Option<(usize, usize)>> {
        Ok(match self.field(i)? {
            Some(p) => {
                let v = p + u32_at(self.b, p)? as usize;
                Some((v + 4, u32_at(self.b, v)? as usize))
            }
            None => None,
        })
    }
    fn string(&self, i: usize) -> R<Option<&'a str>> {
        Ok(match self.vector(i)? {
            Some((s, n)) => Some(
                std::str::from_utf8(self.b.get(s..s + n).ok_or(BAD)?)
                    .map_err(|_| ArrowError::Malformed("a name is not UTF-8"))?,
            ),
            None => None,
        })
    }
    fn tables(&self, i: usize) -> R<Vec<Table<'a>>> {
        let mut out = Vec::new();
        if let Some((s, n)) = self.vector(i)? {
            for k in 0..n {
                let p = s + 4 * k;
                out.push(Table {
                    b: self.b,
                    pos: p + u32_at(self.b, p)? as usize,
                });
            }
        }
        Ok(out)
    }
}

/// A column type this reader decodes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Null,
    Int {
        bytes: usize,
        signed: bool,
    },
    Float {
        bytes: usize,
    },
    Utf8 {
        large: bool,
    },
    Bool,
    /// Divisor to seconds; `utc`: the timestamp has a time zone (an instant).
    Timestamp {
        per_s: i64,
        utc: bool,
    },
    Date32,
    Date64,
    Duration {
        per_s: i64,
    },
    Decimal {
        scale: i32,
    },
}

fn per_second(unit: i16) -> i64 {
    match unit {
        0 => 1,
        1 => 1_000,
        2 => 1_000_000,
        _ => 1_000_000_000,
    }
}

fn parse_type(f: &Table, name: &str) -> R<Ty> {
    let tt = f.u8(2, 0)?;
    let t = f.table(3)?;
    let unsupported = |what: &str| ArrowError::Unsupported(format!("column \"{name}\" of {what}"));
    Ok(match tt {
        1 => Ty::Null,
        2 => {
            let t = t.ok_or(BAD)?;
            let bits = t.i32(0, 0)?;
            if ![8, 16, 32, 64].contains(&bits) {
                return Err(ArrowError::Malformed("integer width"));
            }
            Ty::Int {
                bytes: bits as usize / 8,
                signed: t.u8(1, 0)? != 0,
            }
        }
        3 => Ty::Float {
            bytes: match t.ok_or(BAD)?.i16(0, 0)? {
                0 => 2,
                1 => 4,
                _ => 8,
            },
        },
        5 => Ty::Utf8 { large: false },
        20 => Ty::Utf8 { large: true },
        4 | 19 => return Err(unsupported("binary type")),
        6 => Ty::Bool,
        7 => {
            let t = t.ok_or(BAD)?;
            if t.i32(2, 128)? != 128 {
                return Err(unsupported("a decimal width other than 128 bits"));
            }
            Ty::Decimal {
                scale: t.i32(1, 0)?,
            }
        }
        8 => match t.map(|t| t.i16(0, 1)).transpose()?.unwrap_or(1) {
            0 => Ty::Date32,
            _ => Ty::Date64,
        },
        10 => {
            let t = t.ok_or(BAD)?;
            Ty::Timestamp {
                per_s: per_second(t.i16(0, 0)?),
                utc: t.string(1)?.is_some_and(|z| !z.is_empty()),
            }
        }
        18 => Ty::Duration {
            per_s: per_second(t.map(|t| t.i16(0, 1)).transpose()?.unwrap_or(1)),
        },
        _ => return Err(unsupported(&format!("Arrow type number {tt}"))),
    })
}

/// A schema field: its name, type and dictionary id when dictionary-encoded (then `ty` is the
/// index type and `value` the dictionary's value type).
#[derive(Debug, Clone)]
struct FieldDef {
    name: String,
    ty: Ty,
    dict: Option<(i64, Ty)>,
}

fn parse_schema(s: &Table) -> R<Vec<FieldDef>> {
    let mut out = Vec::new();
    for f in s.tables(1)? {
        let name = f.string(0)?.unwrap_or("").trim().to_string();
        if !f.tables(5)?.is_empty() {
            return Err(ArrowError::Unsupported(format!("nested column \"{name}\"")));
        }
        let value = parse_type(&f, &name)?;
        let (ty, dict) = match f.table(4)? {
            Some(d) => {
                let id = d.i64(0, 0)?;
                let ty = match d.table(1)? {
                    Some(it) => Ty::Int {
                        bytes: (it.i32(0, 32)? / 8) as usize,
                        signed: it.u8(1, 0)? != 0,
                    },
                    None => Ty::Int {
                        bytes: 4,
                        signed: true,
                    },
                };
                (ty, Some((id, value)))
            }
            None => (value, None),
        };
        out.push(FieldDef { name, ty, dict });
    }
    Ok(out)
}

/// A decoded column of one batch: its type, row count and buffers (slices of the body).
#[derive(Clone)]
struct Column<'a> {
    ty: Ty,
    len: usize,
    valid: Option<&'a [u8]>,
    values: &'a [u8],
    data: &'a [u8],
    dict: Option<usize>,
}

impl Column<'_> {
    #[inline(always)]
    fn is_valid(&self, i: usize) -> bool {
        match self.valid {
            Some(v) => v.get(i / 8).is_some_and(|b| b >> (i % 8) & 1 == 1),
            None => true,
        }
    }

    #[inline(always)]
    fn int(&self, i: usize) -> Option<i64> {
        let Ty::Int { bytes, signed } = self.ty else {
            return None;
        };
        let s = self.values.get(i * bytes..(i + 1) * bytes)?;
        Some(match (bytes, signed) {
            (1, true) => s[0] as i8 as i64,
            (1, false) => s[0] as i64,
            (2, true) => i16::from_le_bytes([s[0], s[1]]) as i64,
            (2, false) => u16::from_le_bytes([s[0], s[1]]) as i64,
            (4, true) => i32::from_le_bytes(s.try_into().ok()?) as i64,
            (4, false) => u32::from_le_bytes(s.try_into().ok()?) as i64,
            _ => i64::from_le_bytes(s.try_into().ok()?),
        })
    }

    fn i64_at(&self, i: usize) -> Option<i64> {
        Some(i64::from_le_bytes(
            self.values.get(i * 8..i * 8 + 8)?.try_into().ok()?,
        ))
    }

    /// Offset `k` of a string column's offsets buffer.
    #[inline(always)]
    fn offset(&self, k: usize) -> Option<usize> {
        match self.ty {
            Ty::Utf8 { large: true } => Some(i64::from_le_bytes(
                self.values.get(k * 8..k * 8 + 8)?.try_into().ok()?,
            ) as usize),
            Ty::Utf8 { large: false } => Some(i32::from_le_bytes(
                self.values.get(k * 4..k * 4 + 4)?.try_into().ok()?,
            ) as usize),
            _ => None,
        }
    }

    fn str_at(&self, i: usize) -> Option<&str> {
        let (a, b) = (self.offset(i)?, self.offset(i + 1)?);
        std::str::from_utf8(self.data.get(a..b)?).ok()
    }

    /// Writes the text of row `i` (the canonical readers' notation) into `out`; false when
    /// the cell is null.
    fn text(&self, i: usize, dicts: &[Vec<String>], out: &mut String) -> bool {
        out.clear();
        if i >= self.len || !self.is_valid(i) {
            return false;
        }
        if let Some(d) = self.dict {
            return match self.int(i).and_then(|k| dicts.get(d)?.get(k as usize)) {
                Some(s) => {
                    out.push_str(s);
                    true
                }
                None => false,
            };
        }
        match self.ty {
            Ty::Null => return false,
            Ty::Int { .. } => {
                let _ = write!(out, "{}", self.int(i).unwrap_or(0));
            }
            Ty::Float { bytes } => {
                let Some(s) = self.values.get(i * bytes..(i + 1) * bytes) else {
                    return false;
                };
                let _ = match bytes {
                    8 => write!(
                        out,
                        "{}",
                        f64::from_le_bytes(s.try_into().unwrap_or([0; 8]))
                    ),
                    4 => write!(
                        out,
                        "{}",
                        f32::from_le_bytes(s.try_into().unwrap_or([0; 4]))
                    ),
                    _ => write!(
                        out,
                        "{}",
                        f16(u16::from_le_bytes(s.try_into().unwrap_or([0; 2])))
                    ),
                };
            }
            Ty::Utf8 { .. } => out.push_str(self.str_at(i).unwrap_or("")),
            Ty::Bool => {
                let v = self
                    .values
                    .get(i / 8)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1);
                out.push_str(if v { "true" } else { "false" });
            }
            Ty::Timestamp { per_s, utc } => {
                let Some(v) = self.i64_at(i) else {
                    return false;
                };
                write_timestamp(out, v.div_euclid(per_s), utc);
            }
            Ty::Date32 => {
                let Some(d) = self.int_days(i) else {
                    return false;
                };
                let (y, m, dd) = crate::time::civil(d);
                let _ = write!(out, "{y:04}-{m:02}-{dd:02}");
            }
            Ty::Date64 => {
                let Some(ms) = self.i64_at(i) else {
                    return false;
                };
                let (y, m, dd) = crate::time::civil(ms.div_euclid(86_400_000));
                let _ = write!(out, "{y:04}-{m:02}-{dd:02}");
            }
            Ty::Duration { per_s } => {
                let Some(v) = self.i64_at(i) else {
                    return false;
                };
                if per_s == 1 {
                    let _ = write!(out, "{v}");
                } else {
                    let _ = write!(out, "{}", v as f64 / per_s as f64);
                }
            }
            Ty::Decimal { scale } => {
                let Some(s) = self.values.get(i * 16..i * 16 + 16) else {
                    return false;
                };
                let v = i128::from_le_bytes(s.try_into().unwrap_or([0; 16]));
                let _ = write!(out, "{}", v as f64 / 10f64.powi(scale));
            }
        }
        true
    }

    /// A number: `None` when the column is not numeric (the text path decides), `Some(None)`
    /// for a null.
    fn num(&self, i: usize) -> Option<Option<f64>> {
        if self.dict.is_some() {
            return None;
        }
        if !self.is_valid(i) {
            return Some(None);
        }
        Some(Some(match self.ty {
            Ty::Null => return Some(None),
            Ty::Int { .. } => self.int(i)? as f64,
            Ty::Float { bytes: 8 } => {
                f64::from_le_bytes(self.values.get(i * 8..i * 8 + 8)?.try_into().ok()?)
            }
            Ty::Float { bytes: 4 } => {
                // Through the shortest text, like the text path, so a value such as 0.1f32
                // becomes 0.1.
                let x = f32::from_le_bytes(self.values.get(i * 4..i * 4 + 4)?.try_into().ok()?);
                if x.fract() == 0.0 {
                    x as f64
                } else {
                    x.to_string().parse().ok()?
                }
            }
            _ => return None,
        }))
    }

    /// A string: `None` when the column holds no strings, `Some(None)` for a null.
    fn str<'d>(&'d self, i: usize, dicts: &'d [Vec<String>]) -> Option<Option<&'d str>> {
        if !self.is_valid(i) || matches!(self.ty, Ty::Null) {
            return Some(None);
        }
        if let Some(d) = self.dict {
            return Some(Some(dicts.get(d)?.get(self.int(i)? as usize)?.as_str()));
        }
        match self.ty {
            Ty::Utf8 { .. } => Some(Some(self.str_at(i)?)),
            _ => None,
        }
    }

    /// A timestamp in Unix seconds: an instant as is, a wall-clock time in `tz`, a string as
    /// the text readers parse it.
    fn ts(&self, i: usize, tz: &crate::zone::Zone, dicts: &[Vec<String>]) -> Option<Option<i64>> {
        if !self.is_valid(i) || matches!(self.ty, Ty::Null) {
            return Some(None);
        }
        match self.ty {
            Ty::Timestamp { per_s, utc } => {
                let t = self.i64_at(i)?.div_euclid(per_s);
                if utc || *tz == crate::zone::Zone::UTC {
                    Some(Some(t))
                } else {
                    let naive = chrono::DateTime::from_timestamp(t, 0)?.naive_utc();
                    Some(Some(crate::io::values::local_to_utc(naive, tz)?))
                }
            }
            _ => match self.str(i, dicts)? {
                Some(s) if !s.trim().is_empty() => {
                    Some(Some(crate::io::values::parse_timestamp(s, tz)?))
                }
                _ => Some(None),
            },
        }
    }

    fn flag(&self, i: usize) -> Option<bool> {
        if !self.is_valid(i) {
            return Some(false);
        }
        match self.ty {
            Ty::Bool => Some(
                self.values
                    .get(i / 8)
                    .is_some_and(|b| b >> (i % 8) & 1 == 1),
            ),
            Ty::Null => Some(false),
            _ => None,
        }
    }

    fn int_days(&self, i: usize) -> Option<i64> {
        Some(i32::from_le_bytes(self.values.get(i * 4..i * 4 + 4)?.try_into().ok()?) as i64)
    }
}

/// IEEE half precision to f32.
fn f16(h: u16) -> f32 {
    let s = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 0x1f) as i32;
    let m = (h & 0x3ff) as f32;
    s * match e {
        0 => m * 2f32.powi(-24),
        31 => f32::INFINITY,
        _ => (1.0 + m / 1024.0) * 2f32.powi(e - 15),
    }
}

/// `YYYY-MM-DDTHH:MM:SS` plus `Z` for an instant (a naive wall-clock time is read in the
/// configured zone, as in CSV).
fn write_timestamp(out: &mut String, t: i64, utc: bool) {
    let day = t.div_euclid(86_400);
    let s = t - day * 86_400;
    let (y, m, d) = crate::time::civil(day);
    let _ = write!(
        out,
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    );
    if utc {
        out.push('Z');
    }
}

/// Number of buffers a column of type `ty` has in a record batch.
fn n_buffers(ty: Ty) -> usize {
    match ty {
        Ty::Null => 0,
        Ty::Utf8 { .. } => 3,
        _ => 2,
    }
}

/// Decodes the columns of a record batch (`rb`) whose body is `body`, for `fields`.
fn decode_batch<'a>(
    rb: &Table,
    body: &'a [u8],
    types: &[(Ty, Option<usize>)],
) -> R<(usize, Vec<Column<'a>>)> {
    if rb.table(3)?.is_some() {
        return Err(ArrowError::Unsupported("compressed record batches".into()));
    }
    let len = rb.i64(0, 0)?.max(0) as usize;
    let (nodes_at, n_nodes) = rb.vector(1)?.unwrap_or((0, 0));
    let (bufs_at, n_bufs) = rb.vector(2)?.unwrap_or((0, 0));
    if n_nodes < types.len() {
        return Err(ArrowError::Malformed("fewer field nodes than fields"));
    }
    let buf = |k: usize| -> R<&'a [u8]> {
        if k >= n_bufs {
            return Err(ArrowError::Malformed("fewer buffers than the schema needs"));
        }
        let off = i64_at(rb.b, bufs_at + 16 * k)? as usize;
        let n = i64_at(rb.b, bufs_at + 16 * k + 8)? as usize;
        body.get(off..off.checked_add(n).ok_or(BAD)?)
            .ok_or(ArrowError::Malformed(
                "a buffer lies outside the message body",
            ))
    };
    let mut cols = Vec::with_capacity(types.len());
    let mut k = 0;
    for (j, &(ty, dict)) in types.iter().enumerate() {
        let n = i64_at(rb.b, nodes_at + 16 * j)?.max(0) as usize;
        let nulls = i64_at(rb.b, nodes_at + 16 * j + 8)?;
        let mut col = Column {
            ty,
            len: n,
            valid: None,
            values: &[],
            data: &[],
            dict,
        };
        let nb = n_buffers(ty);
        if nb > 0 {
            let v = buf(k)?;
            if nulls > 0 && !v.is_empty() {
                col.valid = Some(v);
            } else if nulls > 0 && n > 0 && v.is_empty() {
                // All null but no bitmap: treat as nulls.
                col.valid = Some(&[]);
            }
            col.values = buf(k + 1)?;
            if nb == 3 {
                col.data = buf(k + 2)?;
            }
        }
        k += nb;
        cols.push(col);
    }
    Ok((len, cols))
}

/// The Arrow IPC file magic with its padding (the file also ends with `ARROW1`).
const FILE_MAGIC: &[u8] = b"ARROW1\0\0";

/// True when `bytes` start like an Arrow IPC file (`ARROW1` and two zero bytes) or stream: the continuation
/// marker `0xFFFFFFFF` and a metadata length, or (a legacy stream) a metadata length followed
/// directly by a `Schema` message.
pub fn is_arrow(bytes: &[u8]) -> bool {
    if bytes.starts_with(FILE_MAGIC) {
        return true;
    }
    if bytes.starts_with(&[0xff; 4]) {
        return i32_at(bytes, 4).is_ok_and(|n| n > 0);
    }
    legacy_schema(bytes).unwrap_or(false)
}

/// Whether `bytes` start with a whole legacy stream message (no continuation marker) that is a
/// schema of a supported metadata version.
fn legacy_schema(bytes: &[u8]) -> R<bool> {
    let len = i32_at(bytes, 0)?;
    if len < 8 {
        return Ok(false);
    }
    let meta = bytes.get(4..4 + len as usize).ok_or(BAD)?;
    let msg = Table::root(meta)?;
    let version = msg.i16(0, 0)?;
    Ok((0..=4).contains(&version) && msg.u8(1, 0)? == 1 && msg.table(2)?.is_some())
}

/// A message of the source after the schema: where its metadata and body are.
#[derive(Debug, Clone)]
struct Msg {
    /// 2: a dictionary batch, 3: a record batch.
    kind: u8,
    meta: std::ops::Range<usize>,
    body: std::ops::Range<usize>,
}

/// An Arrow IPC source being read into a [`Loader`] a slice of rows at a time (the browser's
/// load job steps it between frames). [`ArrowRows::open`] checks the whole source's structure
/// first, so that a truncated or malformed source is one error before any row is loaded; then
/// every row is mapped and validated like a CSV row.
pub struct ArrowRows {
    bytes: Vec<u8>,
    msgs: Vec<Msg>,
    next_msg: usize,
    next_row: usize,
    rows_total: u64,
    types: Vec<(Ty, Option<usize>)>,
    dict_ids: Vec<i64>,
    dicts: Vec<Vec<String>>,
    value_types: Vec<(i64, Ty)>,
    builder: RowBuilder,
    fast: Option<Fast>,
    columnar: Option<Box<Columnar>>,
    headers: Vec<String>,
    tz: crate::zone::Zone,
    line: u64,
    /// Rows the typed path ([`Fast::row`]) loaded, and rows the columnar path loaded.
    typed_rows: u64,
    columnar_rows: u64,
    /// The scanner of a source still arriving ([`ArrowRows::open_head`]); `None` once it is
    /// whole.
    arriving: Option<Box<Scanner>>,
    /// Bytes of an arriving source dropped from the front of `bytes` once read.
    dropped: u64,
    /// The canonical `abandoned` column, whose null the text path reads as "unknown" as the
    /// typed and columnar paths do.
    abandoned_col: Option<usize>,
}

/// The least an arriving source's read bytes take before they are dropped (small in tests, so
/// that the fixtures are compacted too).
const COMPACT_AT: usize = if cfg!(test) { 512 } else { 1 << 20 };

/// How far an [`ArrowRows`] may go past the text path: every row as text ([`RowBuilder`]), the
/// typed path row by row ([`Fast`]), or the columnar path in front of it ([`Columnar`]). Each
/// hands the rows it cannot take to the one before. The readers use [`Path::Columnar`]; tests
/// compare it with the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Text,
    #[cfg_attr(not(test), allow(dead_code))]
    Typed,
    Columnar,
}

/// Reusable buffers of the row-by-row paths.
struct RowScratch {
    cells: Vec<String>,
    present: Vec<bool>,
    text: String,
}

/// The batch length when every column of `cols` holds at least `len` rows in buffers long
/// enough for them; a malformed length is an error (it would otherwise read garbage or loop
/// for ever).
fn check_batch(len: usize, cols: &[Column], body_len: usize) -> R<()> {
    if cols.is_empty() && len > body_len.saturating_mul(8).max(1 << 16) {
        return Err(ArrowError::Malformed("a batch longer than its data"));
    }
    for c in cols {
        if c.len < len {
            return Err(ArrowError::Malformed("a column is shorter than its batch"));
        }
        let need = |width: usize| len.checked_mul(width).ok_or(BAD);
        let enough = match (c.ty, c.dict) {
            (Ty::Null, _) => true,
            (Ty::Int { bytes, .. }, _) | (Ty::Float { bytes }, _) => c.values.len() >= need(bytes)?,
            (Ty::Utf8 { large }, None) => {
                let w = if large { 8 } else { 4 };
                c.values.len() >= need(w)?.saturating_add(w)
            }
            (Ty::Bool, None) => c.values.len() >= len.div_ceil(8),
            (Ty::Date32, None) => c.values.len() >= need(4)?,
            (Ty::Decimal { .. }, None) => c.values.len() >= need(16)?,
            _ => c.values.len() >= need(8)?,
        };
        if !enough && len > 0 {
            return Err(ArrowError::Malformed(
                "a column's buffer is shorter than its batch",
            ));
        }
    }
    Ok(())
}

/// The checked structure of an Arrow IPC source.
struct Layout {
    /// Dictionary and record batches after the schema, in order.
    msgs: Vec<Msg>,
    rows_total: u64,
    /// Per column: its type and the slot of its dictionary.
    types: Vec<(Ty, Option<usize>)>,
    dict_ids: Vec<i64>,
    value_types: Vec<(i64, Ty)>,
    headers: Vec<String>,
}

/// Walks every message of `bytes`, checking that each lies within the source and that every
/// batch's buffers hold its rows.
fn scan(bytes: &[u8]) -> R<Layout> {
    let mut s = Scanner::default();
    s.advance(bytes, true)?;
    s.layout()
}

/// The walk over the messages of an Arrow IPC source that may still be arriving: each
/// [`Scanner::advance`] checks and records the messages that are whole in the bytes so far,
/// and stops in front of one that is cut, to go on from there when more bytes have come.
#[derive(Debug, Default)]
struct Scanner {
    /// Whether the kind of source (file or stream) is known, and which.
    started: bool,
    file: bool,
    /// Where the next message starts.
    p: usize,
    fields: Option<Vec<FieldDef>>,
    /// Dictionary and record batches after the schema, in order.
    msgs: Vec<Msg>,
    rows_total: u64,
    /// The end-of-stream marker was read: what follows (a file's footer) is no message.
    ended: bool,
}

impl Scanner {
    /// Takes the whole messages of `bytes` (the source so far: earlier calls saw a prefix of
    /// it) from where the last call stopped. With `complete`, `bytes` is the whole source, and
    /// a cut message or a missing footer is an error; without, they wait for more bytes.
    fn advance(&mut self, bytes: &[u8], complete: bool) -> R<()> {
        if !self.started {
            if complete && bytes.is_empty() {
                return Err(ReadError::Empty.into());
            }
            // Eight bytes tell a file or a stream; a legacy stream needs its whole schema.
            let file = bytes.starts_with(FILE_MAGIC);
            if !complete && !file {
                let marker = bytes.starts_with(&[0xff; 4]);
                if bytes.len() < 8 || !marker && legacy_schema(bytes) == Err(BAD) {
                    return Ok(());
                }
            }
            if !is_arrow(bytes) {
                return Err(ArrowError::NotArrow);
            }
            self.started = true;
            self.file = file;
            self.p = if file { 8 } else { 0 };
        }
        if complete && self.file && (bytes.len() < 14 || !bytes.ends_with(b"ARROW1")) {
            return Err(ArrowError::Malformed(
                "the file is cut short: its footer is missing",
            ));
        }
        // A message not whole yet: an error only when the source is.
        let cut = |what: &'static str| match complete {
            true => Err(ArrowError::Malformed(what)),
            false => Ok(()),
        };
        while !self.ended && self.p + 4 <= bytes.len() {
            let mut p = self.p;
            let mut meta_len = i32_at(bytes, p)?;
            p += 4;
            if meta_len == -1 {
                let Ok(n) = i32_at(bytes, p) else {
                    return cut("truncated message");
                };
                meta_len = n;
                p += 4;
            }
            if meta_len <= 0 {
                self.ended = true; // end of stream
                self.p = p;
                break;
            }
            let meta_at = p..p.checked_add(meta_len as usize).ok_or(BAD)?;
            let Some(meta) = bytes.get(meta_at.clone()) else {
                return cut("truncated message metadata");
            };
            p = meta_at.end;
            let msg = Table::root(meta)?;
            let kind = msg.u8(1, 0)?;
            let header = msg
                .table(2)?
                .ok_or(ArrowError::Malformed("message without header"))?;
            let body_len = msg.i64(3, 0)?.max(0) as usize;
            let body_at = p..p.checked_add(body_len).ok_or(BAD)?;
            let Some(body) = bytes.get(body_at.clone()) else {
                return cut("truncated message body");
            };
            p = body_at.end;
            match kind {
                1 if self.fields.is_none() => self.fields = Some(parse_schema(&header)?),
                1 => return Err(ArrowError::Malformed("a second schema")),
                2 => {
                    let f = self
                        .fields
                        .as_ref()
                        .ok_or(ArrowError::Malformed("dictionary before schema"))?;
                    let id = header.i64(0, 0)?;
                    let value_ty = f
                        .iter()
                        .find_map(|fd| fd.dict.filter(|(d, _)| *d == id).map(|(_, t)| t))
                        .ok_or(ArrowError::Malformed("dictionary of no field"))?;
                    let data = header.table(1)?.ok_or(BAD)?;
                    let (len, cols) = decode_batch(&data, body, &[(value_ty, None)])?;
                    check_batch(len, &cols, body.len())?;
                    self.msgs.push(Msg {
                        kind,
                        meta: meta_at,
                        body: body_at,
                    });
                }
                3 => {
                    let f = self
                        .fields
                        .as_ref()
                        .ok_or(ArrowError::Malformed("batch before schema"))?;
                    let types: Vec<(Ty, Option<usize>)> =
                        f.iter().map(|fd| (fd.ty, None)).collect();
                    let (len, cols) = decode_batch(&header, body, &types)?;
                    check_batch(len, &cols, body.len())?;
                    self.rows_total += len as u64;
                    self.msgs.push(Msg {
                        kind,
                        meta: meta_at,
                        body: body_at,
                    });
                }
                _ => {} // tensors and unknown messages are skipped
            }
            self.p = p;
        }
        if complete && !self.ended && self.p != bytes.len() {
            return Err(ArrowError::Malformed("truncated message"));
        }
        Ok(())
    }

    /// True once the schema has been read.
    fn has_schema(&self) -> bool {
        self.fields.is_some()
    }

    /// The structure found so far (the messages are taken out); an error before the schema.
    fn layout(&mut self) -> R<Layout> {
        let fields = self
            .fields
            .as_ref()
            .ok_or(ArrowError::Malformed("no schema"))?;
        let mut dict_ids: Vec<i64> = Vec::new();
        let mut value_types = Vec::new();
        for fd in fields {
            if let Some((id, ty)) = fd.dict {
                if !dict_ids.contains(&id) {
                    dict_ids.push(id);
                    value_types.push((id, ty));
                }
            }
        }
        let types = fields
            .iter()
            .map(|fd| {
                (
                    fd.ty,
                    fd.dict
                        .and_then(|(id, _)| dict_ids.iter().position(|&d| d == id)),
                )
            })
            .collect();
        let headers: Vec<String> = fields.iter().map(|fd| fd.name.clone()).collect();
        Ok(Layout {
            msgs: std::mem::take(&mut self.msgs),
            rows_total: self.rows_total,
            types,
            dict_ids,
            value_types,
            headers,
        })
    }
}

/// The column names and the first `n` rows of an Arrow IPC source as text (the cells the
/// mapping screen shows for a file whose columns are not canonical).
pub fn peek(bytes: &[u8], n: usize) -> Result<(Vec<String>, Vec<Vec<String>>), ArrowError> {
    let lay = scan(bytes)?;
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut dicts = vec![Vec::new(); lay.dict_ids.len()];
    for m in &lay.msgs {
        if out.len() >= n {
            break;
        }
        let (Some(meta), Some(body)) = (bytes.get(m.meta.clone()), bytes.get(m.body.clone()))
        else {
            continue;
        };
        let Some(header) = Table::root(meta)
            .ok()
            .and_then(|msg| msg.table(2).ok().flatten())
        else {
            continue;
        };
        if m.kind == 2 {
            let _ = apply_dictionary(&header, body, &lay.dict_ids, &lay.value_types, &mut dicts);
            continue;
        }
        let Ok((len, cols)) = decode_batch(&header, body, &lay.types) else {
            continue;
        };
        for i in 0..len.min(n - out.len()) {
            let mut s = String::new();
            let row = cols
                .iter()
                .map(|c| {
                    c.text(i, &dicts, &mut s);
                    s.clone()
                })
                .collect();
            out.push(row);
        }
    }
    Ok((lay.headers, out))
}

impl ArrowRows {
    /// True when the rows are contacts (not agent-days or daily rows).
    pub(crate) fn yields_contacts(&self) -> bool {
        self.builder.table() == crate::io::Table::Contacts
    }

    /// Checks the structure of the Arrow IPC file or stream `bytes` and prepares to read its
    /// rows: the table detected from the column names (or given by `mapping`), naive
    /// timestamps read in `tz`. Nothing is loaded yet.
    pub fn open(
        bytes: Vec<u8>,
        mapping: Option<&Mapping>,
        tz: crate::zone::Zone,
    ) -> Result<ArrowRows, ArrowError> {
        let mut rows = Self::open_with(&bytes, mapping, tz, Path::Columnar)?;
        rows.bytes = bytes;
        Ok(rows)
    }

    /// [`ArrowRows::open`] on borrowed `bytes`, taking the fastest `path` allowed where it
    /// applies. The result holds no bytes: read it with [`ArrowRows::step_in`] on the same
    /// `bytes`, or give it them.
    fn open_with(
        bytes: &[u8],
        mapping: Option<&Mapping>,
        tz: crate::zone::Zone,
        path: Path,
    ) -> R<ArrowRows> {
        Self::build(scan(bytes)?, mapping, tz, path)
    }

    /// Starts reading an Arrow IPC file or stream that is still arriving, from its first bytes
    /// `head`: `Ok(None)` while they do not hold the whole schema (call again with more). Once
    /// they do, the reader takes `head` and is given the rest with [`ArrowRows::append`] and
    /// [`ArrowRows::end`]; its rows can be read as their batches arrive, and the bytes of the
    /// messages read are dropped as it goes.
    ///
    /// A source read this way is checked as it arrives, so an error (a cut or malformed
    /// message) may come after rows were loaded; the caller must then drop what was loaded.
    pub fn open_head(
        head: &mut Vec<u8>,
        mapping: Option<&Mapping>,
        tz: crate::zone::Zone,
    ) -> Result<Option<ArrowRows>, ArrowError> {
        let mut scan = Scanner::default();
        scan.advance(head, false)?;
        if !scan.has_schema() {
            return Ok(None);
        }
        let mut rows = Self::build(scan.layout()?, mapping, tz, Path::Columnar)?;
        rows.bytes = std::mem::take(head);
        rows.arriving = Some(Box::new(scan));
        Ok(Some(rows))
    }

    /// The next bytes of a source opened with [`ArrowRows::open_head`]: the messages they
    /// complete are checked and their rows become readable.
    pub fn append(&mut self, chunk: &[u8]) -> Result<(), ArrowError> {
        if self.arriving.is_none() {
            return Err(ArrowError::Malformed("bytes after the end of the source"));
        }
        self.compact();
        crate::io::append_bytes(&mut self.bytes, chunk)?;
        if let Some(scan) = self.arriving.as_deref_mut() {
            scan.advance(&self.bytes, false)?;
        }
        self.take_scanned();
        Ok(())
    }

    /// Drops the bytes of the messages read already from the front of an arriving source's
    /// buffer, so that it holds what is not read yet instead of the whole source (1.7 GB for
    /// 10M contacts, which wasm32's 4 GB could not hold beside the table). Only once they are
    /// at least half of it and [`COMPACT_AT`] bytes: each byte is then moved once at most, on
    /// average.
    fn compact(&mut self) {
        let Some(scan) = self.arriving.as_deref_mut() else {
            return;
        };
        // The message being read (or the next to scan) and everything after it stay.
        let keep = self
            .msgs
            .get(self.next_msg)
            .map_or(scan.p, |m| m.meta.start.min(scan.p));
        if keep < COMPACT_AT || keep * 2 < self.bytes.len() {
            return;
        }
        self.bytes.drain(..keep);
        self.dropped += keep as u64;
        self.msgs.drain(..self.next_msg);
        self.next_msg = 0;
        for m in self.msgs.iter_mut() {
            m.meta = m.meta.start - keep..m.meta.end - keep;
            m.body = m.body.start - keep..m.body.end - keep;
        }
        scan.p -= keep;
    }

    /// The source opened with [`ArrowRows::open_head`] is complete: an error when it was cut
    /// short (a message not whole, a file without its footer).
    pub fn end(&mut self) -> Result<(), ArrowError> {
        if let Some(scan) = self.arriving.as_deref_mut() {
            scan.advance(&self.bytes, true)?;
            self.take_scanned();
            self.arriving = None;
        }
        Ok(())
    }

    /// True while the source is arriving (opened with [`ArrowRows::open_head`], not ended).
    pub fn arriving(&self) -> bool {
        self.arriving.is_some()
    }

    /// True when every row that has arrived is read, and more may come.
    pub fn waiting(&self) -> bool {
        self.arriving.is_some() && self.next_msg >= self.msgs.len()
    }

    /// Moves the messages the scanner found into the queue of messages to read.
    fn take_scanned(&mut self) {
        if let Some(scan) = self.arriving.as_deref_mut() {
            self.msgs.append(&mut scan.msgs);
            self.rows_total = scan.rows_total;
        }
    }

    /// A reader of the checked structure `layout`, taking the fastest `path` allowed.
    fn build(
        layout: Layout,
        mapping: Option<&Mapping>,
        tz: crate::zone::Zone,
        path: Path,
    ) -> R<ArrowRows> {
        let Layout {
            msgs,
            rows_total,
            types,
            dict_ids,
            value_types,
            headers,
        } = layout;
        let identity;
        let m = match mapping {
            Some(m) => m,
            None => {
                let t = detect_table(&headers).ok_or_else(|| ReadError::NotCanonical {
                    found: headers.join(", "),
                })?;
                identity = Mapping::identity(t);
                &identity
            }
        };
        let builder = RowBuilder::new(m, &headers, tz)?;
        let canonical = mapping.is_none() && detect_table(&headers) == Some(Tbl::Contacts);
        let fast = (path != Path::Text && canonical)
            .then(|| Fast::new(&headers))
            .flatten();
        let columnar = fast
            .as_ref()
            .filter(|_| path == Path::Columnar)
            .and_then(|f| Columnar::new(f, &types, &headers))
            .map(Box::new);
        let abandoned_col = canonical
            .then(|| {
                headers
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case("abandoned"))
            })
            .flatten();
        Ok(ArrowRows {
            dicts: vec![Vec::new(); dict_ids.len()],
            bytes: Vec::new(),
            msgs,
            next_msg: 0,
            next_row: 0,
            rows_total,
            types,
            dict_ids,
            value_types,
            builder,
            fast,
            columnar,
            headers,
            tz,
            line: 1,
            typed_rows: 0,
            columnar_rows: 0,
            arriving: None,
            dropped: 0,
            abandoned_col,
        })
    }

    /// The column names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Data rows in the source.
    pub fn rows_total(&self) -> u64 {
        self.rows_total
    }

    /// Size of the source in bytes.
    pub fn len_bytes(&self) -> u64 {
        self.dropped + self.bytes.len() as u64
    }

    /// Reads up to `max_rows` more rows (named `file` in the load report) into `loader`;
    /// returns the rows read and whether the source is done.
    pub fn step(&mut self, max_rows: usize, file: &str, loader: &mut Loader) -> (usize, bool) {
        // The batches borrow the bytes while the rows are read into `self`'s state.
        let bytes = std::mem::take(&mut self.bytes);
        let mut columnar = self.columnar.take();
        let out = self.step_in(&bytes, columnar.as_deref_mut(), max_rows, file, loader);
        self.bytes = bytes;
        self.columnar = columnar;
        out
    }

    fn step_in(
        &mut self,
        bytes: &[u8],
        mut columnar: Option<&mut Columnar>,
        max_rows: usize,
        file: &str,
        loader: &mut Loader,
    ) -> (usize, bool) {
        let mut n = 0usize;
        let mut scratch = RowScratch {
            cells: vec![String::new(); self.types.len()],
            present: vec![false; self.types.len()],
            text: String::new(),
        };
        while let Some(m) = self.msgs.get(self.next_msg) {
            if n >= max_rows {
                return (n, false);
            }
            let (Some(meta), Some(body)) = (bytes.get(m.meta.clone()), bytes.get(m.body.clone()))
            else {
                self.next_msg += 1;
                continue;
            };
            let Some(header) = Table::root(meta)
                .ok()
                .and_then(|msg| msg.table(2).ok().flatten())
            else {
                self.next_msg += 1;
                continue;
            };
            if m.kind == 2 {
                // Checked by `open`; an error here cannot happen and would skip the dictionary.
                let applied = apply_dictionary(
                    &header,
                    body,
                    &self.dict_ids,
                    &self.value_types,
                    &mut self.dicts,
                );
                if let Some(c) = columnar.as_deref_mut() {
                    match applied {
                        Ok((_, true)) => {}
                        Ok((slot, false)) => c.dictionary_replaced(Some(slot)),
                        Err(_) => c.dictionary_replaced(None),
                    }
                }
                self.next_msg += 1;
                continue;
            }
            let Ok((len, cols)) = decode_batch(&header, body, &self.types) else {
                self.next_msg += 1;
                continue;
            };
            while self.next_row < len && n < max_rows {
                let start = self.next_row;
                let end = len.min(start.saturating_add(max_rows - n));
                match columnar.as_deref_mut() {
                    Some(c) => {
                        self.columnar_rows_of(c, &cols, start..end, file, loader, &mut scratch)
                    }
                    None => {
                        for i in start..end {
                            self.line += 1;
                            self.row(&cols, i, self.line, file, loader, &mut scratch);
                        }
                    }
                }
                n += end - start;
                self.next_row = end;
            }
            if self.next_row >= len {
                self.next_msg += 1;
                self.next_row = 0;
            }
        }
        (n, self.arriving.is_none())
    }

    /// Rows `rows` of the batch `cols` through the columnar path; the rows it cannot take go
    /// through [`ArrowRows::row`] in their place.
    fn columnar_rows_of(
        &mut self,
        c: &mut Columnar,
        cols: &[Column],
        rows: std::ops::Range<usize>,
        file: &str,
        loader: &mut Loader,
        scratch: &mut RowScratch,
    ) {
        let line0 = self.line;
        let (start, end) = (rows.start, rows.end);
        c.decode(cols, &self.dicts, &self.tz, rows);
        let mut i = start;
        while i < end {
            let run_end = c.run_end(i, end);
            if run_end > i {
                let took = c.append(
                    cols,
                    &self.dicts,
                    loader,
                    file,
                    i..run_end,
                    &mut scratch.text,
                );
                self.columnar_rows += took as u64;
                i += took;
                if i == run_end {
                    continue;
                }
                // Row `i` repeats an id: the row path rejects it.
            }
            self.row(
                cols,
                i,
                line0 + (i - start) as u64 + 1,
                file,
                loader,
                scratch,
            );
            i += 1;
        }
        self.line = line0 + (end - start) as u64;
    }

    /// Row `i` of the batch `cols`, at `line`, through the typed path if it takes it, else the
    /// text path.
    fn row(
        &mut self,
        cols: &[Column],
        i: usize,
        line: u64,
        file: &str,
        loader: &mut Loader,
        s: &mut RowScratch,
    ) {
        if let Some(fp) = &self.fast {
            let row = fp.row(cols, i, &self.tz, &self.dicts, &mut s.text, &self.headers);
            if let Some(rec) = row {
                self.typed_rows += 1;
                loader.row(file, line, &String::new, Ok((rec, Vec::new())));
                return;
            }
        }
        for (j, c) in cols.iter().enumerate() {
            s.present[j] = c.text(i, &self.dicts, &mut s.cells[j]);
        }
        if let Some(j) = self.abandoned_col.filter(|&j| !s.present[j]) {
            s.cells[j].clear();
            s.cells[j].push_str(crate::io::ABANDON_UNKNOWN_CELL);
            s.present[j] = true;
        }
        let row: Vec<&str> = s
            .cells
            .iter()
            .zip(&s.present)
            .map(|(s, &ok)| if ok { s.as_str() } else { "" })
            .collect();
        let raw = || crate::io::join_raw(row.iter().copied(), b',');
        loader.record(file, line, &raw, self.builder.build(&row));
    }
}

/// Applies a dictionary batch (a replacement or a delta) to `dicts`; returns the slot it
/// changed and whether it was a delta.
fn apply_dictionary(
    header: &Table,
    body: &[u8],
    dict_ids: &[i64],
    value_types: &[(i64, Ty)],
    dicts: &mut [Vec<String>],
) -> R<(usize, bool)> {
    let id = header.i64(0, 0)?;
    let slot = dict_ids
        .iter()
        .position(|&d| d == id)
        .ok_or(ArrowError::Malformed("dictionary of no field"))?;
    let value_ty = value_types
        .iter()
        .find(|(d, _)| *d == id)
        .map(|&(_, t)| t)
        .ok_or(BAD)?;
    let data = header.table(1)?.ok_or(BAD)?;
    let (len, cols) = decode_batch(&data, body, &[(value_ty, None)])?;
    let col = cols.into_iter().next().ok_or(BAD)?;
    let dict = dicts.get_mut(slot).ok_or(BAD)?;
    let delta = header.u8(2, 0)? != 0;
    if !delta {
        dict.clear();
    }
    let mut s = String::new();
    for i in 0..len.min(col.len) {
        col.text(i, &[], &mut s);
        dict.push(s.clone());
    }
    Ok((slot, delta))
}

/// Reads an Arrow IPC file or stream into `loader`: the table is detected from the column
/// names (or given by `mapping`), every row mapped and validated like a CSV row. The whole
/// source is checked first: on error nothing is loaded.
pub fn read_into(
    loader: &mut Loader,
    name: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    tz: crate::zone::Zone,
) -> R<()> {
    read(loader, name, bytes, mapping, tz, Path::Columnar).map(|_| ())
}

/// [`read_into`] along `path`. Returns the rows the typed and the columnar path took.
fn read(
    loader: &mut Loader,
    name: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    tz: crate::zone::Zone,
    path: Path,
) -> R<(u64, u64)> {
    // Read in place: no copy of the source.
    let mut rows = ArrowRows::open_with(bytes, mapping, tz, path)?;
    let mut columnar = rows.columnar.take();
    rows.step_in(bytes, columnar.as_deref_mut(), usize::MAX, name, loader);
    Ok((rows.typed_rows, rows.columnar_rows))
}

/// Reads one Arrow IPC source into a new dataset.
pub fn load(
    name: &str,
    bytes: &[u8],
    mapping: Option<&Mapping>,
    tz: crate::zone::Zone,
) -> R<Dataset> {
    let mut loader = Loader::new();
    read_into(&mut loader, name, bytes, mapping, tz)?;
    Ok(loader.finish())
}

#[cfg(test)]
mod arriving_tests;
#[cfg(test)]
mod columnar_tests;
#[cfg(test)]
mod test_data;
#[cfg(test)]
mod test_writer;
#[cfg(test)]
mod tests;
