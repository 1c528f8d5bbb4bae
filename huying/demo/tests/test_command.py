"""`huying demo --no-serve`: what `make demo` serves, built in a file of its own."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_demo_builds_a_working_deployment(tmp_path):
    path = tmp_path / "demo.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{path}"
    done = subprocess.run([str(Path(sys.executable).parent / "huying"), "demo", "--no-serve", "--cases", "300"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "huying-operator" in done.stdout and "is now active" in done.stdout
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM cases_case").fetchone()[0] == 300
        assert db.execute("SELECT count(*) FROM routing_model WHERE active").fetchone()[0] == 1
        users = {name for (name,) in db.execute("SELECT username FROM auth_user")}
    assert {"operator", "dispatcher", "supervisor", "street", "community", "grid", "department", "leader", "admin"} <= users
