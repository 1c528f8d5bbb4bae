"""Benchmark of the data centre's queries at a million cases.

    .venv/bin/python -m bench.dashboard                 # 1,000,000 cases, PostgreSQL and SQLite
    .venv/bin/python -m bench.dashboard --smoke         # 3,000 cases, a few seconds
    .venv/bin/python -m bench.dashboard --db postgresql --rows 200000

For each database it makes a fresh database (PostgreSQL: `huying_bench_dashboard`
next to PG_URL's; SQLite: var/bench-dashboard.sqlite3), loads the Yuexiu
deployment, writes the cases and their summaries straight into the tables
(bench/dashboard/generate.py), then runs every dashboard query `--repeat`
times and prints its median and 95th-percentile time beside the same figure
computed by a plain GROUP BY over the cases table, in the same run. The machine's
load average is printed with the figures: other work on the machine slows both.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.getenv("PG_URL", "postgresql://postgres@127.0.0.1:5432/huying")
GOALS = {"postgresql": 300.0, "sqlite": 1000.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="3,000 cases, 5 repetitions: checks that it runs")
    parser.add_argument("--db", default="postgresql,sqlite", help="postgresql, sqlite or both (comma-separated)")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per query and side: stop repeating after this (at least 5 runs)")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run if it holds --rows cases")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.repeat = 3000, 5
    if args.child:
        return child(args)
    results = {}
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        env = os.environ | {"DATABASE_URL": database_url(db), "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "bench.dashboard", "--child", db, "--rows", str(args.rows), "--repeat", str(args.repeat),
               "--budget", str(args.budget)] + (["--reuse"] if args.reuse else [])
        print(f"== {db}: {args.rows:,} cases", flush=True)
        proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        if proc.returncode:
            sys.exit(f"{db} run failed")
        results[db] = json.loads(proc.stdout.strip().splitlines()[-1])
    report(results, args)


def database_url(db):
    if db == "postgresql":
        return PG_URL.rsplit("/", 1)[0] + "/huying_bench_dashboard"
    if db == "sqlite":
        return f"sqlite:///{ROOT / 'var' / 'bench-dashboard.sqlite3'}"
    sys.exit(f"unknown database {db}")


def fresh_database(db):
    url = os.environ["DATABASE_URL"]
    if db == "sqlite":
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(exist_ok=True)
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def log(text):
    print(text, file=sys.stderr, flush=True)


def child(args):
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huying.settings")
    if not args.reuse:
        fresh_database(args.child)
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from huying.analytics.models import DailyStat
    from huying.cases.models import Case

    from .generate import generate, summarise
    from .queries import Context, queries

    load = [os.getloadavg()[0]]
    if args.reuse and not reusable(args.rows):
        sys.exit(f"nothing to reuse: the {args.child} database does not hold {args.rows:,} cases; run without --reuse")
    if args.reuse:
        leader = User.objects.get(username="bench")
        generated = summarised = 0.0
        log(f"  reusing the database of the last run ({args.rows:,} cases)")
    else:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_deployment", "yuexiu", verbosity=0)
        leader = User.objects.create_superuser("bench", password=None)
        log(f"  schema and Yuexiu loaded in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        generate(args.rows, log=log)
        generated = time.perf_counter() - t0
        t0 = time.perf_counter()
        summarise()
        summarised = time.perf_counter() - t0
        log(f"  cases written in {generated:.0f} s, summaries built in {summarised:.1f} s")
    assert Case.objects.count() == args.rows

    ctx = Context(leader)
    rows = {}
    for name, (product, baseline) in queries(ctx).items():
        rows[name] = {"product": timed(product, args.repeat, args.budget), "baseline": timed(baseline, args.repeat, args.budget)}
        log(f"  {name:<42} p95 {rows[name]['product']['p95']:8.1f} ms   plain GROUP BY p95 {rows[name]['baseline']['p95']:9.1f} ms")
        load.append(os.getloadavg()[0])
    print(json.dumps({
        "rows": args.rows, "vendor": connection.vendor, "queries": rows, "generated_s": generated, "summarised_s": summarised,
        "stat_rows": DailyStat.objects.count(), "load": [min(load), max(load)],
    }))


def reusable(rows):
    from django.db import DatabaseError

    from huying.cases.models import Case

    try:
        return Case.objects.count() == rows
    except DatabaseError:
        return False


def timed(fn, repeat, budget):
    """Median and 95th percentile of `repeat` runs (at least 5; fewer than
    `repeat` when they take longer than `budget` seconds in all)."""
    fn(0)  # warm caches, as a server that has been up for a while
    times, start = [], time.perf_counter()
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - t) * 1000)
        if i >= 4 and time.perf_counter() - start > budget:
            break
    times.sort()
    return {"p50": percentile(times, 50), "p95": percentile(times, 95), "max": times[-1], "runs": len(times)}


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def report(results, args):
    dbs = list(results)
    print()
    print(f"Dashboard queries at {args.rows:,} cases, up to {args.repeat} runs each (ms; p95, with p50 in brackets; "
          f"slow plain queries stop after {args.budget:.0f} s and at least 5 runs)")
    head = f"{'query':<42}" + "".join(f"{db + ' product':>24}{db + ' plain GROUP BY':>28}" for db in dbs)
    print(head)
    print("-" * len(head))
    names = list(next(iter(results.values()))["queries"])
    for name in names:
        line = f"{name:<42}"
        for db in dbs:
            p, b = results[db]["queries"][name]["product"], results[db]["queries"][name]["baseline"]
            line += f"{p['p95']:>14.1f} ({p['p50']:6.1f}){b['p95']:>18.1f} ({b['p50']:7.1f})"
        print(line)
    print()
    for db in dbs:
        r = results[db]
        worst = max(q["product"]["p95"] for q in r["queries"].values())
        goal = GOALS[db]
        print(f"{db}: slowest dashboard query p95 {worst:.1f} ms (goal ≤ {goal:.0f} ms: {'met' if worst <= goal else 'NOT met'}); "
              f"{r['stat_rows']:,} summary rows; cases written in {r['generated_s']:.0f} s, summaries built in {r['summarised_s']:.1f} s; "
              f"load average during the run {r['load'][0]:.1f}–{r['load'][1]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
