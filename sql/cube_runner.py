#!/usr/bin/env python3
"""Builds an omnikpi cube (docs/cube.md) from a canonical contacts CSV with DuckDB or Spark SQL.

    python3 sql/cube_runner.py --engine duckdb|spark --input contacts.csv \
        [--config public/config.json] --out cube.csv

The SQL is sql/cube.sql (portable) after sql/prepare_<engine>.sql (parsing, time zone) and the
parameter views made from the config (SLA thresholds, cost rates, business hours). In a
warehouse, run the same three steps on the `contacts` table on a schedule and publish the CSV.
"""

import argparse
import csv
import json
import math
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

CONTACT_FIELDS = [
    "id", "case_id", "customer_id", "channel", "arrived_at", "first_response_s", "abandoned",
    "handle_s", "closed_at", "resolved", "agent_id", "team", "topic", "segment", "region",
    "priority", "bot", "handed_off", "handoff_s", "transfers", "cost", "revenue", "csat", "nps",
    "ces", "sentiment", "qa_accuracy", "qa_professionalism", "qa_problem_solving", "qa_compliance",
]

CHANNELS = ["voice", "chat", "email", "social", "messaging", "sms", "web", "other"]

# The engine's Config::default() (crates/engine/src/config.rs), for keys a config file leaves out.
DEFAULT_CONFIG = {
    "timezone": "UTC",
    "business_hours": [{"open": 8.0, "close": 18.0}] * 5 + [None, None],
    "sla": {
        "voice": {"threshold_s": 20.0, "business_hours": False},
        "chat": {"threshold_s": 30.0, "business_hours": False},
        "email": {"threshold_s": 14400.0, "business_hours": True},
        "social": {"threshold_s": 3600.0, "business_hours": False},
        "messaging": {"threshold_s": 300.0, "business_hours": False},
        "sms": {"threshold_s": 900.0, "business_hours": False},
        "web": {"threshold_s": 28800.0, "business_hours": True},
        "other": {"threshold_s": 3600.0, "business_hours": False},
    },
    "cost_rates": {"voice": 10.0, "chat": 4.0, "email": 3.5, "social": 4.5, "messaging": 3.0,
                   "sms": 2.5, "web": 3.0, "other": 5.0},
}

# CPU seconds of the last Spark run's JVM (the driver and its executors run in one local JVM).
LAST_JVM_CPU = None


def jvm_cpu_seconds(spark):
    """User + system CPU seconds of the local Spark JVM so far (Linux /proc), or None."""
    try:
        pid = spark.sparkContext._gateway.proc.pid
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except Exception:  # noqa: BLE001 - only for the timing report
        return None


def load_config(path):
    cfg = json.loads(json.dumps(DEFAULT_CONFIG))
    if path:
        with open(path) as f:
            user = json.load(f)
        for k in ("timezone", "business_hours", "sla", "cost_rates"):
            if k in user:
                cfg[k] = user[k]
    return cfg


def _secs(h):
    """Seconds of day of an `Hours` entry, like business.rs `secs`."""
    o = int(math.floor(min(max(float(h["open"]), 0.0), 24.0) * 3600.0 + 0.5))
    c = int(math.floor(min(max(float(h["close"]), 0.0), 24.0) * 3600.0 + 0.5))
    return o, max(c, o)


def params_sql(cfg, temp_view):
    """The parameter views of sql/cube.sql for one config, as portable SQL statements."""
    def num(x):
        return "CAST(%r AS DOUBLE)" % float(x)

    sla_rows = []
    for ch, t in sorted(cfg["sla"].items()):
        sla_rows.append("('%s', %s, %s)" % (ch, num(t["threshold_s"]),
                                            "TRUE" if t.get("business_hours") else "FALSE"))
    cost_rows = ["('%s', %s)" % (ch, num(r)) for ch, r in sorted(cfg["cost_rates"].items())]
    week = []
    cum = 0
    for wd in range(7):
        h = cfg["business_hours"][wd]
        o, c = _secs(h) if h else (0, 0)
        week.append((wd, o, c, cum))
        cum += c - o
    week_rows = ["(%d, %d, %d, %d, %d)" % (wd, o, c, cm, cum) for wd, o, c, cm in week]
    if not sla_rows:
        sla_rows = ["('none', CAST(0 AS DOUBLE), FALSE)"]
    if not cost_rows:
        cost_rows = ["('none', CAST(0 AS DOUBLE))"]
    v = "CREATE OR REPLACE %s VIEW" % temp_view
    return [
        "%s sla_params AS SELECT * FROM (VALUES %s) AS t(channel, threshold_s, business_hours)"
        % (v, ", ".join(sla_rows)),
        "%s cost_params AS SELECT * FROM (VALUES %s) AS t(channel, rate)" % (v, ", ".join(cost_rows)),
        "%s business_week AS SELECT * FROM (VALUES %s) AS t(wd, open_s, close_s, cum_s, week_s)"
        % (v, ", ".join(week_rows)),
    ]


def statements(path, tz):
    with open(path) as f:
        text = f.read().replace("${TZ}", tz)
    text = "\n".join(l for l in text.splitlines() if not l.strip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def cube_statements():
    """cube.sql: the `cube_rows` view, then the cube query."""
    rows_view, query = statements(os.path.join(HERE, "cube.sql"), "")
    return rows_view, query


def header_of(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [h.strip() for h in next(csv.reader(f))]


def contacts_select(header, source):
    """`contacts` with every canonical column (absent ones NULL) and `row_no`."""
    cols = []
    for fname in CONTACT_FIELDS:
        cols.append(fname if fname in header else "CAST(NULL AS STRING) AS %s" % fname)
    return "SELECT %s, row_no FROM %s" % (", ".join(cols), source)


def run_duckdb(input_csv, cfg):
    import duckdb
    con = duckdb.connect()
    con.execute("SET TimeZone = '%s'" % cfg["timezone"])
    con.execute("SET threads = 2")
    src = input_csv.replace("'", "''")
    con.execute("CREATE TABLE contacts_raw AS SELECT * FROM read_csv('%s', header = true, "
                "all_varchar = true)" % src)
    con.execute("CREATE TEMP VIEW contacts AS %s" % contacts_select(
        header_of(input_csv), "(SELECT *, rowid AS row_no FROM contacts_raw)"))
    for s in params_sql(cfg, "TEMP"):
        con.execute(s)
    for s in statements(os.path.join(HERE, "prepare_duckdb.sql"), cfg["timezone"]):
        con.execute(s)
    rows_view, query = cube_statements()
    con.execute(rows_view)
    # Materialize the rows every part of the cube reads.
    con.execute("CREATE TEMP TABLE cube_rows_m AS SELECT * FROM cube_rows")
    con.execute("CREATE OR REPLACE TEMP VIEW cube_rows AS SELECT * FROM cube_rows_m")
    cur = con.execute(query)
    cols = [d[0] for d in cur.description]
    return cols, cur.fetchall()


def spark_session(tz):
    from pyspark.sql import SparkSession
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Small local runs: 2 threads, 2 shuffle partitions, no whole-stage code generation (Janino
    # compiling ~60 aggregates costs more than it saves on 10^5 rows) and the JVM's quick JIT.
    # Measured on the demo data: 48 instead of 75 CPU seconds. A cluster wants the defaults.
    return (SparkSession.builder.master("local[2]").appName("omnikpi-cube")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", tz)
            .config("spark.driver.memory", "1g")
            .getOrCreate())


def run_spark(input_csv, cfg, spark=None):
    from pyspark.sql.functions import monotonically_increasing_id
    own = spark is None
    if own:
        spark = spark_session(cfg["timezone"])
    try:
        spark.conf.set("spark.sql.session.timeZone", cfg["timezone"])
        raw = spark.read.option("header", "true").csv(input_csv)
        raw = raw.toDF(*[c.strip() for c in raw.columns])
        raw.withColumn("row_no", monotonically_increasing_id()).createOrReplaceTempView("contacts_raw")
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW contacts AS %s"
                  % contacts_select(raw.columns, "contacts_raw"))
        for s in params_sql(cfg, "TEMPORARY"):
            spark.sql(s)
        for s in statements(os.path.join(HERE, "prepare_spark.sql"), cfg["timezone"]):
            spark.sql(s)
        rows_view, query = cube_statements()
        spark.sql(rows_view)
        spark.sql("CACHE TABLE cube_rows")
        df = spark.sql(query)
        cols = df.columns
        rows = [tuple(r) for r in df.collect()]
        spark.sql("UNCACHE TABLE cube_rows")
        return cols, rows
    finally:
        global LAST_JVM_CPU
        LAST_JVM_CPU = jvm_cpu_seconds(spark)
        if own:
            spark.stop()


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v == 0.0:
            return ""
        return repr(v)
    if isinstance(v, int):
        return "" if v == 0 else str(v)
    return str(v)


def write_cube(path, cols, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([fmt(v) for v in r])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["duckdb", "spark"], required=True)
    ap.add_argument("--input", required=True, help="canonical contacts CSV")
    ap.add_argument("--config", help="config.json (defaults for missing keys)")
    ap.add_argument("--out", required=True, help="cube CSV to write")
    a = ap.parse_args(argv)
    cfg = load_config(a.config)
    t0, c0 = time.perf_counter(), time.process_time()
    cols, rows = (run_duckdb if a.engine == "duckdb" else run_spark)(os.path.abspath(a.input), cfg)
    write_cube(a.out, cols, rows)
    cpu = time.process_time() - c0 + (LAST_JVM_CPU or 0 if a.engine == "spark" else 0)
    print("%s: %d cells in %.2f s (%.1f CPU s) -> %s"
          % (a.engine, len(rows), time.perf_counter() - t0, cpu, a.out))


if __name__ == "__main__":
    main()
