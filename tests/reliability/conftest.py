"""Fixtures of the reliability tests: real processes (`qa index`, `qa serve`, askers), real
stores, and a summary of what the long tests measured (printed at the end of the run).

Helpers shared by several test files live in rel_helpers.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rel_helpers import REPORTS


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print what the reliability tests measured (the load test's throughput and latency)."""
    if not REPORTS:
        return
    terminalreporter.section("reliability measurements")
    for name, values in REPORTS.items():
        terminalreporter.write_line(f"{name}: {json.dumps(values, sort_keys=True)}")


@pytest.fixture
def rel_tmp(tmp_path) -> Path:
    """A temporary folder that other users (and processes without privileges) can read."""
    tmp_path.chmod(0o755)
    return tmp_path
