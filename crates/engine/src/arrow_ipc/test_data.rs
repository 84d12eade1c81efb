//! The files of the columnar path's tests: dirty canonical contacts (every kind of row the
//! columnar path must leave to the row path) in three layouts of column types, and canonical
//! Arrow of any dataset's contacts; written with [`super::test_writer`].

use super::test_writer::{stream, Msg, Type, Values};
use crate::model::Dataset;

/// xorshift64*, deterministic.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// True with probability `pct` %.
    pub(super) fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    pub(super) fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// Every field of a dirty canonical file, in one of three layouts of types (`variant`).
pub(super) fn fields(variant: u64) -> Vec<(&'static str, Type)> {
    let ts = |utc| match variant {
        1 => Type::Ts { unit: 1, utc },
        _ => Type::Ts { unit: 0, utc },
    };
    let i8s = Type::Int {
        bytes: 1,
        signed: true,
    };
    let i32s = Type::Int {
        bytes: 4,
        signed: true,
    };
    let i64s = Type::Int {
        bytes: 8,
        signed: true,
    };
    let u16s = Type::Int {
        bytes: 2,
        signed: false,
    };
    let dict = |id| Type::Dict { id, bytes: 4 };
    let mut f = vec![
        ("id", if variant == 2 { dict(5) } else { Type::Utf8 }),
        ("case_id", Type::Utf8),
        (
            "customer_id",
            if variant == 2 {
                dict(6)
            } else {
                Type::LargeUtf8
            },
        ),
        ("channel", if variant == 1 { Type::Utf8 } else { dict(4) }),
        ("arrived_at", ts(variant == 1)),
        (
            "first_response_s",
            if variant == 1 { Type::F64 } else { Type::F32 },
        ),
        ("abandoned", Type::Bool),
        ("handle_s", if variant == 1 { i32s } else { Type::F32 }),
        (
            "closed_at",
            if variant == 2 {
                Type::Null
            } else {
                ts(variant == 1)
            },
        ),
        ("resolved", Type::Bool),
        ("agent_id", dict(0)),
        ("team", dict(1)),
        ("topic", dict(1)),
        ("segment", dict(2)),
        ("region", Type::Utf8),
        ("priority", if variant == 1 { i32s } else { Type::Utf8 }),
        ("bot", Type::Bool),
        ("handed_off", Type::Bool),
        ("handoff_s", Type::F32),
        ("transfers", i64s),
        ("cost", if variant == 2 { Type::Null } else { Type::F64 }),
        ("revenue", Type::F64),
        ("csat", if variant == 1 { Type::F64 } else { i8s }),
        ("nps", i64s),
        ("ces", u16s),
        ("sentiment", Type::F64),
        ("qa_accuracy", i64s),
        ("qa_professionalism", Type::F64),
        ("qa_problem_solving", i8s),
        ("qa_compliance", i64s),
    ];
    if variant != 1 {
        f.extend([("shop", dict(3)), ("note", Type::Utf8), ("level", i32s)]);
    }
    f
}

/// One cell before encoding.
#[derive(Clone)]
pub(super) enum Cell {
    S(Option<Vec<u8>>),
    I(Option<i64>),
    F(Option<f64>),
    B(Option<bool>),
}

pub(super) fn s(x: &str) -> Cell {
    Cell::S(Some(x.as_bytes().to_vec()))
}

/// The cells of `n` dirty rows for `fields`: mostly clean contacts, and every kind of row the
/// columnar path must leave to the row path (nulls where a value is required, blank and
/// repeated ids, ids out of sequence, invalid UTF-8, unknown and blank channels, values out of
/// range, NaN and infinities, fractional scores, closed before arrival or before the first
/// response, negative or huge transfers, dictionary indices out of range, ...).
pub(super) fn dirty_rows(
    rng: &mut Rng,
    n: usize,
    fields: &[(&str, Type)],
    ms: bool,
) -> Vec<Vec<Cell>> {
    let mut ids: Vec<String> = Vec::new();
    let (mut seq, mut case) = (1u64, 1u64);
    let mut rows = Vec::new();
    for r in 0..n {
        let base = 1_767_225_600 + r as i64 * 97 + rng.below(20_000) as i64 - 10_000;
        // Around the spring DST change in Berlin now and then (naive times in a gap).
        let arrived = if rng.pct(3) {
            1_774_746_000 + rng.below(7200) as i64
        } else {
            base
        };
        let fr = match rng.below(100) {
            0..=64 => Some(rng.below(3600) as f64),
            65..=69 => Some(rng.below(3600) as f64 + 0.1),
            70..=89 => None,
            90..=92 => Some(-5.0),
            93..=94 => Some(3.0e6),
            95..=96 => Some(f64::NAN),
            _ => Some(f64::INFINITY),
        };
        let closed = match rng.below(100) {
            0..=69 => Some(arrived + rng.below(7200) as i64),
            70..=89 => None,
            90..=93 => Some(arrived - 100),
            94..=96 => Some(arrived + 40 * 86_400),
            _ => Some(arrived + 1),
        };
        let mut row = Vec::new();
        for &(name, ty) in fields {
            let cell = match name {
                "id" => {
                    let id = match rng.below(100) {
                        0..=79 => {
                            seq += 1;
                            format!("C{:06}", seq - 1)
                        }
                        80..=84 if !ids.is_empty() => {
                            ids[rng.below(ids.len() as u64) as usize].clone()
                        }
                        85..=86 => "  ".into(),
                        87..=89 => {
                            seq += 1;
                            format!(" C{:06} ", seq - 1)
                        }
                        90..=92 => format!("X{r}"),
                        93..=94 => {
                            seq += 5;
                            format!("C{:06}", seq)
                        }
                        95 => {
                            row.push(Cell::S(Some(b"\xff\xfeC1".to_vec())));
                            continue;
                        }
                        96..=97 => {
                            row.push(Cell::S(None));
                            continue;
                        }
                        _ => format!("C{:06}", seq.saturating_sub(1)),
                    };
                    ids.push(id.clone());
                    s(&id)
                }
                "case_id" => match rng.below(100) {
                    0..=59 => {
                        if rng.pct(50) {
                            case += 1;
                        }
                        s(&format!("K{case:05}"))
                    }
                    60..=79 => s(&format!("K{:05}", 1 + rng.below(case))),
                    80..=89 => Cell::S(None),
                    90..=94 => s(""),
                    _ => s(" K00001 "),
                },
                "customer_id" => match rng.below(100) {
                    0..=84 => s(&format!("U{:04}", rng.below(400))),
                    85..=89 => Cell::S(None),
                    90..=94 => s(""),
                    _ => s(" U0001 "),
                },
                "channel" => match rng.below(100) {
                    0..=1 => Cell::S(None),
                    _ => s(rng.pick(&[
                        "voice",
                        "chat",
                        "email",
                        "sms",
                        " Web ",
                        "SOCIAL",
                        "messaging",
                        "other",
                        "voice",
                        "chat",
                        "pigeon",
                        "",
                    ])),
                },
                "arrived_at" | "closed_at" => {
                    let t = if name == "arrived_at" {
                        (!rng.pct(2)).then_some(arrived)
                    } else {
                        closed
                    };
                    Cell::I(t.map(|t| {
                        if ms {
                            t * 1000 + rng.below(1000) as i64
                        } else {
                            t
                        }
                    }))
                }
                "first_response_s" => Cell::F(fr),
                "handle_s" => Cell::F(match rng.below(100) {
                    0..=69 => Some(rng.below(2000) as f64),
                    70..=89 => None,
                    90..=94 => Some(-1.0),
                    _ => Some(0.25),
                }),
                "handoff_s" => Cell::F(rng.pct(10).then(|| rng.below(100) as f64)),
                "abandoned" | "resolved" | "bot" | "handed_off" => Cell::B(match rng.below(10) {
                    0..=4 => Some(true),
                    5..=8 => Some(false),
                    _ => None,
                }),
                "agent_id" | "team" | "topic" | "segment" | "shop" => s(rng.pick(&[
                    "A1", "A2", " A3 ", "T1", "T2", "", "north", "South", "A1", "T1",
                ])),
                "region" => match rng.below(10) {
                    0 => Cell::S(None),
                    _ => s(rng.pick(&["north", " south ", "", "west"])),
                },
                "priority" => match ty {
                    Type::Utf8 => s(rng.pick(&["high", "low", ""])),
                    _ => Cell::I(rng.pct(5).then(|| rng.below(3) as i64)),
                },
                "transfers" => Cell::I(match rng.below(100) {
                    0..=79 => Some(rng.below(4) as i64),
                    80..=84 => Some(300),
                    85..=87 => Some(-1),
                    88..=89 => Some(1_000_000),
                    _ => None,
                }),
                "cost" => Cell::F(match rng.below(100) {
                    0..=8 => Some(rng.below(50) as f64 / 4.0),
                    9 => Some(-2.0),
                    _ => None,
                }),
                "revenue" => Cell::F(rng.pct(10).then(|| rng.below(10_000) as f64 / 100.0)),
                "csat" => match ty {
                    Type::F64 => Cell::F(match rng.below(100) {
                        0..=19 => Some(1.0 + rng.below(5) as f64),
                        20..=21 => Some(3.5),
                        22..=23 => Some(9.0),
                        _ => None,
                    }),
                    _ => Cell::I(match rng.below(100) {
                        0..=19 => Some(1 + rng.below(5) as i64),
                        20..=22 => Some(9),
                        23 => Some(0),
                        _ => None,
                    }),
                },
                "nps" => Cell::I(match rng.below(100) {
                    0..=14 => Some(rng.below(11) as i64),
                    15..=16 => Some(11),
                    _ => None,
                }),
                "ces" => Cell::I(match rng.below(100) {
                    0..=9 => Some(1 + rng.below(7) as i64),
                    10 => Some(8),
                    _ => None,
                }),
                "sentiment" => Cell::F(rng.pct(15).then(|| (rng.below(25) as f64 - 12.0) / 10.0)),
                "qa_accuracy" | "qa_compliance" | "qa_problem_solving" => {
                    Cell::I(rng.pct(8).then(|| rng.below(121) as i64))
                }
                "qa_professionalism" => Cell::F(rng.pct(8).then(|| rng.below(1010) as f64 / 10.0)),
                "note" => match rng.below(4) {
                    0 => Cell::S(None),
                    1 => s(" "),
                    _ => s(&format!("n{}", rng.below(5))),
                },
                "level" => Cell::I(rng.pct(50).then(|| rng.below(4) as i64)),
                other => panic!("no cells for {other}"),
            };
            row.push(cell);
        }
        rows.push(row);
    }
    rows
}

/// Encodes `rows` as a stream of record batches of random sizes (at most `max_batch` rows),
/// dictionary-encoded columns through dictionaries that grow by deltas before the batches that
/// need new values; dictionary 2 (segment) is replaced by a reordered one now and then, and
/// (`bad_indices`) a few dictionary indices point past the end.
pub(super) fn encode(
    rng: &mut Rng,
    fields: &[(&str, Type)],
    rows: &[Vec<Cell>],
    max_batch: usize,
    bad_indices: bool,
) -> Vec<u8> {
    let mut dicts: std::collections::BTreeMap<i64, Vec<Option<String>>> = Default::default();
    let mut msgs = Vec::new();
    let mut at = 0;
    while at < rows.len() {
        let len = (1 + rng.below(max_batch as u64) as usize).min(rows.len() - at);
        let chunk = &rows[at..at + len];
        at += len;
        // A replacement of dictionary 2, in another order (streams allow it).
        if let Some(d) = dicts.get_mut(&2).filter(|_| rng.pct(30)) {
            d.reverse();
            msgs.push(Msg::Dict {
                id: 2,
                values: d.clone(),
                delta: false,
            });
        }
        let mut cols = Vec::new();
        let mut deltas: std::collections::BTreeMap<i64, Vec<Option<String>>> = Default::default();
        for (j, &(_, ty)) in fields.iter().enumerate() {
            let cells = chunk.iter().map(|r| r[j].clone());
            let col = match ty {
                Type::Dict { id, .. } => {
                    let entries = dicts.entry(id).or_insert_with(|| vec![None]);
                    let mut idx = Vec::new();
                    for c in cells {
                        let Cell::S(v) = c else {
                            panic!("a string cell")
                        };
                        let v = v.map(|b| String::from_utf8_lossy(&b).into_owned());
                        let k = match &v {
                            None if rng.pct(50) => None,
                            None => Some(0), // the null entry
                            Some(v) => {
                                Some(match entries.iter().position(|e| e.as_ref() == Some(v)) {
                                    Some(k) => k,
                                    None => {
                                        entries.push(Some(v.clone()));
                                        deltas.entry(id).or_default().push(Some(v.clone()));
                                        entries.len() - 1
                                    }
                                })
                            }
                        };
                        let bad = bad_indices && k.is_some() && rng.pct(1);
                        idx.push(k.map(|k| {
                            if bad {
                                entries.len() as i64 + 3
                            } else {
                                k as i64
                            }
                        }));
                    }
                    Values::Int(idx)
                }
                Type::Null => Values::Null(len),
                ty => plain_values(ty, cells),
            };
            cols.push(col);
        }
        // Dictionaries first seen now are sent whole, the others as deltas.
        for (id, vals) in deltas {
            let whole = dicts[&id].len() == vals.len() + 1;
            msgs.push(Msg::Dict {
                id,
                values: if whole { dicts[&id].clone() } else { vals },
                delta: !whole,
            });
        }
        for (&id, d) in dicts.iter() {
            if d.len() == 1
                && !msgs
                    .iter()
                    .any(|m| matches!(m, Msg::Dict { id: i, .. } if *i == id))
            {
                msgs.push(Msg::Dict {
                    id,
                    values: d.clone(),
                    delta: false,
                });
            }
        }
        msgs.push(Msg::Batch(cols));
    }
    stream(fields, &msgs)
}

/// A dirty file: `n` rows in layout `variant`, batches of at most `max_batch` rows.
pub(super) fn dirty_file(seed: u64, variant: u64, n: usize, max_batch: usize) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let f = fields(variant);
    let rows = dirty_rows(&mut rng, n, &f, variant == 1);
    encode(&mut rng, &f, &rows, max_batch, true)
}

/// A canonical Arrow stream of the contacts of `ds` (as read back from its columns): the
/// dimensions dictionary-encoded (dictionaries growing by deltas over batches of 997 rows),
/// ids and customers as plain strings, times as UTC timestamps, durations as float32.
pub(super) fn canonical_stream(ds: &Dataset) -> Vec<u8> {
    let c = &ds.contacts;
    let recs: Vec<crate::ContactRecord> = (0..c.len()).filter_map(|i| c.record(i)).collect();
    let extras: Vec<String> = c
        .dims
        .iter()
        .skip(crate::model::STANDARD_DIMS.len())
        .map(|d| d.name.clone())
        .collect();
    let mut f: Vec<(&str, Type)> = vec![
        ("id", Type::Utf8),
        ("case_id", Type::Utf8),
        ("customer_id", Type::Utf8),
        ("channel", Type::Dict { id: 0, bytes: 1 }),
        ("arrived_at", Type::Ts { unit: 0, utc: true }),
        ("first_response_s", Type::F32),
        ("abandoned", Type::Bool),
        ("handle_s", Type::F32),
        ("closed_at", Type::Ts { unit: 0, utc: true }),
        ("resolved", Type::Bool),
        ("agent_id", Type::Dict { id: 1, bytes: 2 }),
        ("team", Type::Dict { id: 2, bytes: 4 }),
        ("topic", Type::Dict { id: 3, bytes: 4 }),
        ("segment", Type::Dict { id: 2, bytes: 4 }),
        ("region", Type::Utf8),
        ("priority", Type::Utf8),
        ("bot", Type::Bool),
        ("handed_off", Type::Bool),
        ("handoff_s", Type::F32),
        (
            "transfers",
            Type::Int {
                bytes: 4,
                signed: true,
            },
        ),
        ("cost", Type::F64),
        ("revenue", Type::F64),
        (
            "csat",
            Type::Int {
                bytes: 1,
                signed: false,
            },
        ),
        (
            "nps",
            Type::Int {
                bytes: 1,
                signed: false,
            },
        ),
        (
            "ces",
            Type::Int {
                bytes: 1,
                signed: false,
            },
        ),
        ("sentiment", Type::F64),
        ("qa_accuracy", Type::F64),
        ("qa_professionalism", Type::F64),
        ("qa_problem_solving", Type::F64),
        ("qa_compliance", Type::F64),
    ];
    for e in &extras {
        f.push((e.as_str(), Type::Utf8));
    }
    let text = |v: &Option<String>| Cell::S(v.as_ref().map(|s| s.as_bytes().to_vec()));
    let rows: Vec<Vec<Cell>> = recs
        .iter()
        .map(|r| {
            let mut row = vec![
                s(&r.id),
                text(&r.case_id),
                text(&r.customer_id),
                s(r.channel.map_or("", |c| c.as_str())),
                Cell::I(Some(r.arrived_at)),
                Cell::F(r.first_response_s),
                // Null where the source did not say, as a warehouse writes it.
                Cell::B((!r.abandoned_unknown).then_some(r.abandoned)),
                Cell::F(r.handle_s),
                Cell::I(r.closed_at),
                Cell::B(Some(r.resolved)),
                text(&r.agent_id),
                text(&r.team),
                text(&r.topic),
                text(&r.segment),
                text(&r.region),
                text(&r.priority),
                Cell::B(Some(r.bot)),
                Cell::B(Some(r.handed_off)),
                Cell::F(r.handoff_s),
                Cell::I(Some(r.transfers as i64)),
                Cell::F(r.cost),
                Cell::F(r.revenue),
                Cell::I(r.csat.map(i64::from)),
                Cell::I(r.nps.map(i64::from)),
                Cell::I(r.ces.map(i64::from)),
                Cell::F(r.sentiment),
                Cell::F(r.qa_accuracy),
                Cell::F(r.qa_professionalism),
                Cell::F(r.qa_problem_solving),
                Cell::F(r.qa_compliance),
            ];
            for e in &extras {
                let v = r.extra.iter().find(|(n, _)| n == e).map(|(_, v)| v.clone());
                row.push(text(&v));
            }
            row
        })
        .collect();
    // Contacts whose source had no `abandoned` field are written without that column, so that
    // reading the file back says the same (a column of falses would say "not abandoned").
    let (f, rows) = match !recs.is_empty() && recs.iter().all(|r| r.abandoned_unknown) {
        false => (f, rows),
        true => {
            let k = f.iter().position(|(n, _)| *n == "abandoned").unwrap_or(6);
            let mut f = f;
            f.remove(k);
            let rows = rows
                .into_iter()
                .map(|mut r| {
                    r.remove(k);
                    r
                })
                .collect();
            (f, rows)
        }
    };
    // Fixed batch sizes: the writer's random sizes come from a generator seeded here.
    encode_fixed(&f, &rows, 997)
}

/// [`encode`] with batches of exactly `batch` rows (the last one shorter) and no dirt.
pub(super) fn encode_fixed(fields: &[(&str, Type)], rows: &[Vec<Cell>], batch: usize) -> Vec<u8> {
    let mut dicts: std::collections::BTreeMap<i64, Vec<Option<String>>> = Default::default();
    let mut msgs = Vec::new();
    for chunk in rows.chunks(batch) {
        let mut cols = Vec::new();
        let mut new: std::collections::BTreeMap<i64, (bool, Vec<Option<String>>)> =
            Default::default();
        for (j, &(_, ty)) in fields.iter().enumerate() {
            let cells = chunk.iter().map(|r| r[j].clone());
            cols.push(match ty {
                Type::Dict { id, .. } => {
                    let first = !dicts.contains_key(&id);
                    let entries = dicts.entry(id).or_default();
                    let mut idx = Vec::new();
                    for c in cells {
                        let Cell::S(v) = c else {
                            panic!("a string cell")
                        };
                        idx.push(v.map(|b| {
                            let v = String::from_utf8(b).unwrap();
                            match entries.iter().position(|e| e.as_deref() == Some(&v)) {
                                Some(k) => k as i64,
                                None => {
                                    entries.push(Some(v.clone()));
                                    new.entry(id).or_insert((first, Vec::new())).1.push(Some(v));
                                    entries.len() as i64 - 1
                                }
                            }
                        }));
                    }
                    if first {
                        new.entry(id).or_insert((true, Vec::new()));
                    }
                    Values::Int(idx)
                }
                ty => plain_values(ty, cells),
            });
        }
        for (id, (first, vals)) in new {
            msgs.push(Msg::Dict {
                id,
                values: if first { dicts[&id].clone() } else { vals },
                delta: !first,
            });
        }
        msgs.push(Msg::Batch(cols));
    }
    stream(fields, &msgs)
}

/// The values of a column of `ty` that is not dictionary-encoded, from its cells (an integer
/// cell in a float column and a float cell in an integer column are converted).
fn plain_values(ty: Type, cells: impl Iterator<Item = Cell>) -> Values {
    match ty {
        Type::Utf8 | Type::LargeUtf8 => Values::Utf8(
            cells
                .map(|c| match c {
                    Cell::S(v) => v,
                    _ => panic!("a string cell"),
                })
                .collect(),
        ),
        Type::Int { .. } | Type::Ts { .. } => Values::Int(
            cells
                .map(|c| match c {
                    Cell::I(v) => v,
                    Cell::F(v) => v.map(|x| x as i64),
                    _ => panic!("an integer cell"),
                })
                .collect(),
        ),
        Type::F32 => Values::F32(
            cells
                .map(|c| match c {
                    Cell::F(v) => v.map(|x| x as f32),
                    _ => panic!("a float cell"),
                })
                .collect(),
        ),
        Type::F64 => Values::F64(
            cells
                .map(|c| match c {
                    Cell::F(v) => v,
                    Cell::I(v) => v.map(|x| x as f64),
                    _ => panic!("a float cell"),
                })
                .collect(),
        ),
        Type::Bool => Values::Bool(
            cells
                .map(|c| match c {
                    Cell::B(v) => v,
                    _ => panic!("a flag cell"),
                })
                .collect(),
        ),
        other => panic!("no plain encoding for {other:?}"),
    }
}
