"""make test-sql: the cube SQL (sql/cube.sql) on DuckDB and on Spark SQL (local mode) over the
demo data, then the engine's check (crates/engine/tests/cube_sql.rs): every cell equals the
native cube's and every catalog KPI of the test queries equals the engine's on the raw rows.

Environment: OMNIKPI_SQL_INPUT (contacts CSV, default public/data/demo.csv),
OMNIKPI_SQL_CONFIG (default public/config.json), OMNIKPI_SQL_ENGINES (default "duckdb,spark").
"""

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


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("cubes")


def build(engine, work):
    cfg = cube_runner.load_config(CONFIG)
    t0, c0 = time.perf_counter(), time.process_time()
    run = cube_runner.run_duckdb if engine == "duckdb" else cube_runner.run_spark
    cols, rows = run(INPUT, cfg)
    path = str(work / ("cube_%s.csv" % engine))
    cube_runner.write_cube(path, cols, rows)
    cpu = time.process_time() - c0
    if engine == "spark":
        cpu += cube_runner.LAST_JVM_CPU or 0
    TIMINGS[engine] = (time.perf_counter() - t0, cpu, len(rows))
    CUBES[engine] = path
    assert rows, "empty cube"
    assert cols[:2] == ["hour", "channel"]


@pytest.mark.skipif("duckdb" not in ENGINES, reason="OMNIKPI_SQL_ENGINES")
def test_cube_sql_runs_on_duckdb(work):
    build("duckdb", work)


@pytest.mark.skipif("spark" not in ENGINES, reason="OMNIKPI_SQL_ENGINES")
def test_cube_sql_runs_on_spark_local(work):
    build("spark", work)


def test_sql_cubes_equal_the_engine_on_the_raw_rows(work):
    missing = [e for e in ENGINES if e not in CUBES]
    assert not missing, "no cube from %s" % missing
    env = dict(os.environ)
    env["OMNIKPI_SQL_CUBES"] = ",".join("%s=%s" % kv for kv in CUBES.items())
    env["OMNIKPI_SQL_INPUT"] = INPUT
    env["OMNIKPI_SQL_CONFIG"] = CONFIG
    t0 = time.perf_counter()
    p = subprocess.run(
        ["cargo", "test", "--release", "-p", "omnikpi-engine", "--test", "cube_sql", "--", "--nocapture"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    TIMINGS["engine check (cargo test --release --test cube_sql)"] = (time.perf_counter() - t0, None, None)
    lines = [l for l in p.stdout.splitlines() if l.startswith(tuple(CUBES)) or "test result" in l]
    print("\n".join(lines))
    assert p.returncode == 0, p.stdout[-6000:]
