#!/usr/bin/env python3
"""Canonical contacts CSV -> Arrow IPC (file and/or stream), for omnikpi's Arrow input tests and
the benchmarks. Strings of low cardinality become dictionary-encoded, durations float32.

    python3 bench/make_arrow.py IN.csv OUT.arrow [--stream OUT.arrows] [--rows N] [--batch N]
                                [--variant plain|mixed]

`--variant bench` writes timestamps as naive UTC (the browser benchmark runs every engine in UTC).
`--variant mixed` (the test fixture) also uses large_string, int8, timestamp[ms] and a null-typed
column, so that the reader's type coverage is exercised.
"""

import argparse

import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.ipc as ipc

DICT = ["channel", "team", "topic", "segment", "region", "priority", "agent_id"]
DURATIONS = ["first_response_s", "handle_s", "handoff_s"]


def convert(t, variant):
    cols, fields = [], []
    for f, c in zip(t.schema, t.columns):
        name = f.name
        if name in DICT and pa.types.is_string(f.type):
            c = c.dictionary_encode()
        elif name in DURATIONS:
            c = c.cast(pa.float32())
        elif variant == "bench" and name in ("arrived_at", "closed_at"):
            # Naive UTC wall-clock times: every engine of the browser benchmark buckets in UTC.
            c = c.cast(pa.timestamp("s"))
        elif variant == "mixed":
            if name == "customer_id":
                c = c.cast(pa.large_string())
            elif name in ("csat", "nps", "ces"):
                c = c.cast(pa.int8())
            elif name == "closed_at":
                c = c.cast(pa.timestamp("ms", tz="UTC"))
            elif name == "cost":
                c = pa.chunked_array([pa.nulls(len(ch)) for ch in c.chunks], pa.null())
        cols.append(c)
        fields.append(pa.field(name, c.type))
    return pa.Table.from_arrays(cols, schema=pa.schema(fields))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--stream")
    ap.add_argument("--rows", type=int)
    ap.add_argument("--batch", type=int, default=65536)
    ap.add_argument("--variant", choices=["plain", "mixed", "bench"], default="plain")
    a = ap.parse_args()
    t = pc.read_csv(a.inp)
    if a.rows:
        t = t.slice(0, a.rows)
    t = convert(t, a.variant)
    with pa.OSFile(a.out, "wb") as f:
        with ipc.new_file(f, t.schema) as w:
            w.write_table(t, max_chunksize=a.batch)
    if a.stream:
        with pa.OSFile(a.stream, "wb") as f:
            with ipc.new_stream(f, t.schema) as w:
                w.write_table(t, max_chunksize=a.batch)
    print("%s: %d rows, %d columns" % (a.out, t.num_rows, t.num_columns))


if __name__ == "__main__":
    main()
