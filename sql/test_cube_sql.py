"""make test-sql: the cube SQL (sql/cube.sql) on DuckDB and on Spark SQL (local mode) over the
demo data, then the engine's check (crates/engine/tests/cube_sql.rs): every cell equals the
native cube's and every catalog KPI of the test queries equals the engine's on the raw rows.

Environment: OMNIKPI_SQL_INPUT (contacts CSV, default public/data/demo.csv),
OMNIKPI_SQL_CONFIG (default public/config.json), OMNIKPI_SQL_ENGINES (default "duckdb,spark").
"""

import csv
import os
import subprocess
import time

import pytest

import cube_runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INPUT = os.path.abspath(os.environ.get("OMNIKPI_SQL_INPUT", os.path.join(ROOT, "public/data/demo.csv")))
CONFIG = os.path.abspath(os.environ.get("OMNIKPI_SQL_CONFIG", os.path.join(ROOT, "public/config.json")))
ENGINES = [e for e in os.environ.get("OMNIKPI_SQL_ENGINES", "duckdb,spark").split(",") if e]

TIMINGS = {}
CUBES = {}
SPARK = []


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    yield tmp_path_factory.mktemp("cubes")
    for s in SPARK:
        s.stop()


def run_on(engine, input_csv, cfg):
    if engine == "duckdb":
        return cube_runner.run_duckdb(input_csv, cfg)
    # One Spark session for every input: starting one is most of a small run's time.
    if not SPARK:
        SPARK.append(cube_runner.spark_session(cfg["timezone"]))
    return cube_runner.run_spark(input_csv, cfg, SPARK[0])


def build(engine, work, input_csv=INPUT, tag=""):
    cfg = cube_runner.load_config(CONFIG)
    t0, c0 = time.perf_counter(), time.process_time()
    cols, rows = run_on(engine, input_csv, cfg)
    path = str(work / ("cube_%s%s.csv" % (engine, tag)))
    cube_runner.write_cube(path, cols, rows)
    cpu = time.process_time() - c0
    if engine == "spark":
        cpu += cube_runner.LAST_JVM_CPU or 0
    if not tag:
        TIMINGS[engine] = (time.perf_counter() - t0, cpu, len(rows))
        CUBES[engine] = path
    assert rows, "empty cube"
    assert cols[:2] == ["hour", "channel"]
    return path


def engine_check(cubes, input_csv):
    """The engine's check (crates/engine/tests/cube_sql.rs) of `cubes` (engine -> path) built
    from `input_csv`; returns cargo's output."""
    env = dict(os.environ)
    env["OMNIKPI_SQL_CUBES"] = ",".join("%s=%s" % kv for kv in cubes.items())
    env["OMNIKPI_SQL_INPUT"] = input_csv
    env["OMNIKPI_SQL_CONFIG"] = CONFIG
    p = subprocess.run(
        ["cargo", "test", "--release", "-p", "omnikpi-engine", "--test", "cube_sql", "--", "--nocapture"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = [l for l in p.stdout.splitlines() if l.startswith(tuple(cubes)) or "test result" in l]
    print("\n".join(lines))
    assert p.returncode == 0, p.stdout[-6000:]
    return p.stdout


@pytest.mark.skipif("duckdb" not in ENGINES, reason="OMNIKPI_SQL_ENGINES")
def test_cube_sql_runs_on_duckdb(work):
    build("duckdb", work)


@pytest.mark.skipif("spark" not in ENGINES, reason="OMNIKPI_SQL_ENGINES")
def test_cube_sql_runs_on_spark_local(work):
    build("spark", work)


def test_sql_cubes_equal_the_engine_on_the_raw_rows(work):
    missing = [e for e in ENGINES if e not in CUBES]
    assert not missing, "no cube from %s" % missing
    t0 = time.perf_counter()
    engine_check(CUBES, INPUT)
    TIMINGS["engine check (cargo test --release --test cube_sql)"] = (time.perf_counter() - t0, None, None)


def test_unknown_abandonment_is_null_on_both_engines(work):
    """An `abandoned` cell saying "unknown" (any case; what the engine's writers put where the
    source did not say) is NULL in the warehouse: outside the abandonment rate, as the engine
    reads it. A copy of the input's first 20,000 rows with every fourth such cell: both cubes
    count exactly those rows as `abandon_unknown` and give the engine's KPIs on the rows."""
    src = str(work / "unknown.csv")
    unknown = abandoned = 0
    with open(INPUT, newline="") as f, open(src, "w", newline="") as g:
        r, w = csv.reader(f), csv.writer(g)
        head = next(r)
        k = [h.strip() for h in head].index("abandoned")
        w.writerow(head)
        for i, row in enumerate(r):
            if i >= 20000:
                break
            if i % 4 == 0:
                row[k] = ("unknown", " Unknown ", "UNKNOWN")[i // 4 % 3]
                unknown += 1
            elif row[k].strip().lower() in ("true", "yes", "y", "1", "t"):
                abandoned += 1
            w.writerow(row)
    assert unknown == 5000 and abandoned > 0
    cubes = {e: build(e, work, src, "_unknown") for e in ENGINES}
    for e, path in cubes.items():
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        got = (sum(int(x["abandon_unknown"] or 0) for x in rows),
               sum(int(x["abandoned"] or 0) for x in rows))
        assert got == (unknown, abandoned), (e, got)
    engine_check(cubes, src)
