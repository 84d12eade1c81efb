"""Prints how long each SQL engine took (make test-sql)."""

import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def pytest_terminal_summary(terminalreporter):
    import test_cube_sql as t
    if not t.TIMINGS:
        return
    terminalreporter.section("cube build times (input %s)" % os.path.relpath(t.INPUT))
    for name, (secs, cells) in t.TIMINGS.items():
        extra = "" if cells is None else ", %d cells" % cells
        terminalreporter.write_line("%-52s %7.1f s%s" % (name, secs, extra))
