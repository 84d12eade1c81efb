"""Prints how long each SQL engine took (make test-sql)."""

import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_terminal_summary(terminalreporter):
    import test_cube_sql as t
    if not t.TIMINGS:
        return
    terminalreporter.section("cube build times (input %s)" % os.path.relpath(t.INPUT))
    load = os.getloadavg()[0]
    for name, (secs, cpu, cells) in t.TIMINGS.items():
        extra = "" if cpu is None else ", %.1f CPU s" % cpu
        extra += "" if cells is None else ", %d cells" % cells
        terminalreporter.write_line("%-52s %7.1f s wall%s" % (name, secs, extra))
    terminalreporter.write_line("(1-minute load average at the end: %.1f on %d CPUs)" % (load, os.cpu_count()))
