//! A small Arrow IPC stream writer for the tests: typed columns (strings, integers of any
//! width, floats, booleans, timestamps, null columns), dictionary-encoded strings with
//! dictionary batches (deltas, replacements, one dictionary shared by several columns) and any
//! number of record batches. Enough to write the files the readers must take, and the dirty ones
//! they must not take wrongly.

/// A column's type in the schema. `Dict`: strings encoded with dictionary `id` (indices of
/// `bytes` bytes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Type {
    Utf8,
    LargeUtf8,
    Int {
        bytes: usize,
        signed: bool,
    },
    F32,
    F64,
    Bool,
    /// `unit`: 0 s, 1 ms, 2 µs, 3 ns.
    Ts {
        unit: i16,
        utc: bool,
    },
    Null,
    Dict {
        id: i64,
        bytes: usize,
    },
}

/// One column of a record batch (for a `Dict` column: its indices, as `Int`).
#[derive(Debug, Clone)]
pub(super) enum Values {
    /// Raw bytes (not necessarily UTF-8).
    Utf8(Vec<Option<Vec<u8>>>),
    Int(Vec<Option<i64>>),
    F32(Vec<Option<f32>>),
    F64(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Null(usize),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::Utf8(v) => v.len(),
            Values::Int(v) => v.len(),
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Null(n) => *n,
        }
    }

    fn valid(&self) -> Vec<bool> {
        match self {
            Values::Utf8(v) => v.iter().map(Option::is_some).collect(),
            Values::Int(v) => v.iter().map(Option::is_some).collect(),
            Values::F32(v) => v.iter().map(Option::is_some).collect(),
            Values::F64(v) => v.iter().map(Option::is_some).collect(),
            Values::Bool(v) => v.iter().map(Option::is_some).collect(),
            Values::Null(n) => vec![false; *n],
        }
    }
}

/// A message after the schema.
#[derive(Debug, Clone)]
pub(super) enum Msg {
    /// A dictionary batch of string values (`None`: a null entry).
    Dict {
        id: i64,
        values: Vec<Option<String>>,
        delta: bool,
    },
    /// A record batch: one `Values` per field.
    Batch(Vec<Values>),
}

/// A minimal flatbuffers tree.
enum Node {
    Table(Vec<Option<Val>>),
    Tables(Vec<Node>),
    Str(String),
    /// A vector of structs: element count and their bytes.
    Structs(usize, Vec<u8>),
}

enum Val {
    U8(u8),
    I16(i16),
    I32(i32),
    I64(i64),
    Ref(Node),
}

/// Writes `node` at the end of `buf` (children after their parents, so that every offset
/// points forward); returns its position.
fn write_node(buf: &mut Vec<u8>, node: &Node) -> usize {
    match node {
        Node::Table(fields) => {
            let mut inline = Vec::new();
            let mut offs = Vec::new();
            for f in fields {
                let at = 4 + inline.len() as u16;
                match f {
                    None => offs.push(0u16),
                    Some(Val::U8(v)) => {
                        offs.push(at);
                        inline.push(*v);
                    }
                    Some(Val::I16(v)) => {
                        offs.push(at);
                        inline.extend(v.to_le_bytes());
                    }
                    Some(Val::I32(v)) => {
                        offs.push(at);
                        inline.extend(v.to_le_bytes());
                    }
                    Some(Val::I64(v)) => {
                        offs.push(at);
                        inline.extend(v.to_le_bytes());
                    }
                    Some(Val::Ref(_)) => {
                        offs.push(at);
                        inline.extend([0u8; 4]);
                    }
                }
            }
            let vt_pos = buf.len();
            buf.extend((4 + 2 * offs.len() as u16).to_le_bytes());
            buf.extend((4 + inline.len() as u16).to_le_bytes());
            for o in &offs {
                buf.extend(o.to_le_bytes());
            }
            let t_pos = buf.len();
            buf.extend(((t_pos - vt_pos) as i32).to_le_bytes());
            buf.extend(&inline);
            for (f, o) in fields.iter().zip(&offs) {
                if let Some(Val::Ref(child)) = f {
                    let slot = t_pos + *o as usize;
                    let c = write_node(buf, child);
                    buf[slot..slot + 4].copy_from_slice(&((c - slot) as u32).to_le_bytes());
                }
            }
            t_pos
        }
        Node::Tables(items) => {
            let pos = buf.len();
            buf.extend((items.len() as u32).to_le_bytes());
            buf.extend(vec![0u8; 4 * items.len()]);
            for (k, item) in items.iter().enumerate() {
                let slot = pos + 4 + 4 * k;
                let c = write_node(buf, item);
                buf[slot..slot + 4].copy_from_slice(&((c - slot) as u32).to_le_bytes());
            }
            pos
        }
        Node::Str(s) => {
            let pos = buf.len();
            buf.extend((s.len() as u32).to_le_bytes());
            buf.extend(s.as_bytes());
            pos
        }
        Node::Structs(n, bytes) => {
            let pos = buf.len();
            buf.extend((*n as u32).to_le_bytes());
            buf.extend(bytes);
            pos
        }
    }
}

fn flatbuffer(node: &Node) -> Vec<u8> {
    let mut buf = vec![0u8; 4];
    let root = write_node(&mut buf, node);
    buf[0..4].copy_from_slice(&(root as u32).to_le_bytes());
    buf
}

fn message(header_type: u8, header: Node, body: &[u8]) -> Vec<u8> {
    let mut meta = flatbuffer(&Node::Table(vec![
        Some(Val::I16(4)),
        Some(Val::U8(header_type)),
        Some(Val::Ref(header)),
        Some(Val::I64(body.len() as i64)),
    ]));
    meta.resize(meta.len().div_ceil(8) * 8, 0);
    let mut out = vec![0xff; 4];
    out.extend((meta.len() as i32).to_le_bytes());
    out.extend(meta);
    out.extend(body);
    out
}

fn int_type(bytes: usize, signed: bool) -> Node {
    Node::Table(vec![
        Some(Val::I32(8 * bytes as i32)),
        Some(Val::U8(signed as u8)),
    ])
}

fn field(name: &str, ty: Type) -> Node {
    let (tt, t) = match ty {
        Type::Utf8 | Type::Dict { .. } => (5, Node::Table(vec![])),
        Type::LargeUtf8 => (20, Node::Table(vec![])),
        Type::Int { bytes, signed } => (2, int_type(bytes, signed)),
        Type::F32 => (3, Node::Table(vec![Some(Val::I16(1))])),
        Type::F64 => (3, Node::Table(vec![Some(Val::I16(2))])),
        Type::Bool => (6, Node::Table(vec![])),
        Type::Ts { unit, utc } => (
            10,
            Node::Table(vec![
                Some(Val::I16(unit)),
                utc.then(|| Val::Ref(Node::Str("UTC".into()))),
            ]),
        ),
        Type::Null => (1, Node::Table(vec![])),
    };
    let dict = match ty {
        Type::Dict { id, bytes } => Some(Val::Ref(Node::Table(vec![
            Some(Val::I64(id)),
            Some(Val::Ref(int_type(bytes, true))),
            Some(Val::U8(0)),
        ]))),
        _ => None,
    };
    Node::Table(vec![
        Some(Val::Ref(Node::Str(name.to_string()))),
        Some(Val::U8(1)),
        Some(Val::U8(tt)),
        Some(Val::Ref(t)),
        dict,
    ])
}

/// The body and metadata of a record batch of `cols` typed `types`.
fn batch(types: &[Type], cols: &[Values]) -> (Node, Vec<u8>) {
    let n = cols.first().map_or(0, Values::len);
    let (mut body, mut nodes, mut bufs) = (Vec::new(), Vec::new(), Vec::new());
    let mut n_bufs = 0;
    let mut buffer = |body: &mut Vec<u8>, bytes: &[u8]| {
        bufs.extend((body.len() as i64).to_le_bytes());
        bufs.extend((bytes.len() as i64).to_le_bytes());
        body.extend(bytes);
        body.resize(body.len().div_ceil(8) * 8, 0);
        n_bufs += 1;
    };
    for (&ty, col) in types.iter().zip(cols) {
        assert_eq!(col.len(), n, "every column of a batch has its rows");
        let valid = col.valid();
        let nulls = valid.iter().filter(|v| !**v).count();
        nodes.extend((n as i64).to_le_bytes());
        nodes.extend((nulls as i64).to_le_bytes());
        if ty == Type::Null {
            continue;
        }
        let mut bitmap = vec![0u8; n.div_ceil(8)];
        for (i, _) in valid.iter().enumerate().filter(|(_, v)| **v) {
            bitmap[i / 8] |= 1 << (i % 8);
        }
        buffer(&mut body, if nulls > 0 { &bitmap } else { &[] });
        match (ty, col) {
            (Type::Utf8 | Type::LargeUtf8, Values::Utf8(v)) => {
                let large = ty == Type::LargeUtf8;
                let (mut offsets, mut data) = (Vec::new(), Vec::new());
                let mut off = |o: usize| match large {
                    true => offsets.extend((o as i64).to_le_bytes()),
                    false => offsets.extend((o as i32).to_le_bytes()),
                };
                off(0);
                for c in v {
                    data.extend(c.as_deref().unwrap_or(&[]));
                    off(data.len());
                }
                buffer(&mut body, &offsets);
                buffer(&mut body, &data);
            }
            (Type::Int { bytes, .. } | Type::Dict { bytes, .. }, Values::Int(v)) => {
                let mut out = Vec::new();
                for x in v {
                    out.extend(&x.unwrap_or(0).to_le_bytes()[..bytes]);
                }
                buffer(&mut body, &out);
            }
            (Type::Ts { .. }, Values::Int(v)) => {
                let out: Vec<u8> = v
                    .iter()
                    .flat_map(|x| x.unwrap_or(0).to_le_bytes())
                    .collect();
                buffer(&mut body, &out);
            }
            (Type::F32, Values::F32(v)) => {
                let out: Vec<u8> = v
                    .iter()
                    .flat_map(|x| x.unwrap_or(0.0).to_le_bytes())
                    .collect();
                buffer(&mut body, &out);
            }
            (Type::F64, Values::F64(v)) => {
                let out: Vec<u8> = v
                    .iter()
                    .flat_map(|x| x.unwrap_or(0.0).to_le_bytes())
                    .collect();
                buffer(&mut body, &out);
            }
            (Type::Bool, Values::Bool(v)) => {
                let mut out = vec![0u8; n.div_ceil(8)];
                for (i, x) in v.iter().enumerate() {
                    if *x == Some(true) {
                        out[i / 8] |= 1 << (i % 8);
                    }
                }
                buffer(&mut body, &out);
            }
            (ty, col) => panic!("values {col:?} do not fit type {ty:?}"),
        }
    }
    let n_fields = types.len();
    let header = Node::Table(vec![
        Some(Val::I64(n as i64)),
        Some(Val::Ref(Node::Structs(n_fields, nodes))),
        Some(Val::Ref(Node::Structs(n_bufs, bufs))),
    ]);
    (header, body)
}

/// An Arrow IPC stream: the schema of `fields`, then `msgs`, then the end marker.
pub(super) fn stream(fields: &[(&str, Type)], msgs: &[Msg]) -> Vec<u8> {
    let schema = Node::Table(vec![
        None,
        Some(Val::Ref(Node::Tables(
            fields.iter().map(|(n, t)| field(n, *t)).collect(),
        ))),
    ]);
    let mut out = message(1, schema, &[]);
    let types: Vec<Type> = fields.iter().map(|f| f.1).collect();
    for m in msgs {
        match m {
            Msg::Dict { id, values, delta } => {
                let vals = Values::Utf8(
                    values
                        .iter()
                        .map(|v| v.as_ref().map(|s| s.as_bytes().to_vec()))
                        .collect(),
                );
                let (data, body) = batch(&[Type::Utf8], &[vals]);
                let header = Node::Table(vec![
                    Some(Val::I64(*id)),
                    Some(Val::Ref(data)),
                    Some(Val::U8(*delta as u8)),
                ]);
                out.extend(message(2, header, &body));
            }
            Msg::Batch(cols) => {
                let (header, body) = batch(&types, cols);
                out.extend(message(3, header, &body));
            }
        }
    }
    out.extend([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    out
}
