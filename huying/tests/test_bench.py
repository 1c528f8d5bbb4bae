"""A tiny run of every benchmark in bench/, so a change that breaks one is
seen at once. Nothing here is timed: the figures are for people to read.

The benchmarks make databases of their own on PostgreSQL (and SQLite files
in var/), whatever DATABASE_URL says, so they run once, in the PostgreSQL
pass of `make test`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.getenv("DATABASE_URL", "").startswith("postgres"),
    reason="the benchmarks make their own PostgreSQL databases: run in the PostgreSQL pass",
)


def run(*args, timeout=300):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["PG_URL"] = os.environ["DATABASE_URL"]
    done = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_dashboard():
    out = run("-m", "bench.dashboard", "--smoke")
    assert "plain GROUP BY" in out and "postgresql: slowest dashboard query" in out and "sqlite: slowest" in out


def test_import():
    out = run("-m", "bench.import", "--rows", "300", "--batch", "100")
    assert "huying import-cases" in out and "plain COPY" in out


def test_intake():
    out = run("bench/intake/run.py", "--requests", "40", "--concurrency", "2", "--workers", "1")
    assert "cases/s" in out and "raw:" in out


def test_dispatch():
    out = run("bench/dispatch/run.py", "--open", "300", "--new", "20", "--demo", "300", "--tests", "30", "--pg")
    assert "threshold" in out and "baseline (text against all open)" in out
