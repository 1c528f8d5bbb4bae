"""bench/intake: cases per second through Open311 `POST /open311/v2/requests.json`,
served by gunicorn on PostgreSQL, beside plain psycopg inserts of the same rows.

Each request goes the whole way: API key check, form parsing, the gazetteer
(address → street and community), the responsibility rules, the reply
deadline for the notice, the intake step (number, case row, first event of
the history), the submission row and the webhook outbox check. The baseline
then inserts the same case and event rows with plain psycopg, one
transaction per case with as many connections as the client used, in the
same run on the same database.

    .venv/bin/python bench/intake/run.py [--requests 3000] [--concurrency 8] [--workers 2] [--threads 1]

It makes (and drops) its own database `huying_bench` on the PostgreSQL of
PG_URL (default postgresql://postgres@127.0.0.1:5432/huying). The machine's
load average is printed before and after: other work on the machine shows
in the figures. So does the CPU time each side used per request (gunicorn's
processes, the PostgreSQL backends serving them, and this client), which
does not depend on what else runs: on a busy machine compare those.

The client shares the machine's cores with the server, so it is kept light:
each request is encoded before the clock starts and sent on a plain socket
(`Connection: close`, as gunicorn's sync workers close anyway); the status
line of every answer is read and checked.
"""

import argparse
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADDRESSES = ["洪桥街道登峰社区", "北京街道", "六榕街道", "东风中路268号", "越秀区流花街道", "光塔街道某小区", "人民街道", "大东街道",
             "白云街道", "华乐街道", "建设街道", "农林街道", "黄花岗街道", "矿泉街道", "梅花村街道", "珠光街道", "大塘街道", "登峰街道"]
TEXTS = ["楼下垃圾堆放三天无人清运，气味难闻", "夜间施工噪音扰民，凌晨两点还在作业", "路灯不亮，晚上出行不便", "小区门口占道经营，行人难以通行",
         "老楼加装电梯邻居意见不一，请协调", "下水道堵塞污水外溢"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(base, name):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(base, sql):
    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def huying(env, *args):
    return subprocess.run([str(BIN / "huying"), *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


def forms(n, codes, key, seed=7):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        out.append(urlencode({
            "api_key": key, "service_code": rnd.choice(codes), "address_string": rnd.choice(ADDRESSES),
            "description": f"{rnd.choice(TEXTS)}（第{i}号）", "phone": f"138{rnd.randrange(10**8):08d}",
            "first_name": "某", "last_name": rnd.choice("张王李赵陈"), "attribute[kind]": rnd.choice(["complaint", "help", "consult"]),
        }).encode())
    return out


def http_request(port, body):
    head = (f"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode("ascii") + body


def send(port, request):
    """One request on its own connection; the answer's HTTP status."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    status_line = b"".join(chunks).split(b"\r\n", 1)[0].split()
    return int(status_line[1]) if len(status_line) > 1 and status_line[1].isdigit() else 0


def fire(port, bodies, concurrency):
    """POST every body with `concurrency` client threads; returns (seconds,
    statuses, this process's CPU seconds while sending)."""
    queue, statuses, lock = [http_request(port, b) for b in reversed(bodies)], [], threading.Lock()

    def client():
        while True:
            with lock:
                if not queue:
                    return
                request = queue.pop()
            status = send(port, request)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    cpu, start = time.process_time(), time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, statuses, time.process_time() - cpu


def cpu_seconds(pids):
    """User + system CPU seconds of these processes so far (Linux /proc); None elsewhere."""
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def children(pid):
    """The pids whose parent is `pid` (gunicorn's workers)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def backends(url):
    """Pids of the PostgreSQL backends connected to the bench database (the workers' connections)."""
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(
            "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")]


def per_request_ms(seconds, n):
    return f"{seconds / n * 1000:.2f} ms" if seconds is not None else "n/a"


def raw_inserts(url, concurrency):
    """Insert copies of the API's case and event rows with plain psycopg."""
    with psycopg.connect(url) as conn:
        cols = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_name = 'cases_case' and column_name <> 'id' order by ordinal_position")]
        cases = conn.execute(f"select {', '.join(cols)} from cases_case order by id").fetchall()
        ecols = [r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_name = 'cases_event' "
            "and column_name not in ('id', 'case_id') order by ordinal_position")]
        first_events = conn.execute(f"select {', '.join(ecols)} from cases_event where seq = 1 order by case_id").fetchall()
    number = cols.index("number")
    rows = [(list(c), e) for c, e in zip(cases, first_events)]
    for i, (case, _event) in enumerate(rows):
        case[number] = f"RAW{i:09d}"
    case_sql = f"insert into cases_case ({', '.join(cols)}) values ({', '.join(['%s'] * len(cols))}) returning id"
    event_sql = f"insert into cases_event (case_id, {', '.join(ecols)}) values (%s, {', '.join(['%s'] * len(ecols))})"
    queue, lock = list(rows), threading.Lock()
    from psycopg.types.json import Jsonb

    def adapt(values):
        return [Jsonb(v) if isinstance(v, (dict, list)) else v for v in values]

    def writer():
        with psycopg.connect(url) as conn:
            while True:
                with lock:
                    if not queue:
                        return
                    case, event = queue.pop()
                with conn.transaction():
                    case_id = conn.execute(case_sql, adapt(case)).fetchone()[0]
                    conn.execute(event_sql, [case_id, *adapt(event)])

    threads = [threading.Thread(target=writer) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(rows), time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    # One sync worker per core: a third added CPU per request (idle workers
    # wake for every connection) and no throughput on 2 cores (docs/api.md).
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (more than 1: gthread workers)")
    parser.add_argument("--keep", action="store_true", help="keep the database huying_bench")
    args = parser.parse_args()
    base = os.getenv("PG_URL", "postgresql://postgres@127.0.0.1:5432/huying")
    url = database_url(base, "huying_bench")
    admin(base, "drop database if exists huying_bench")
    admin(base, "create database huying_bench")
    env = os.environ | {"DATABASE_URL": url, "DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "ERROR"}
    server = None
    try:
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
        huying(env, "migrate", "-v0")
        huying(env, "load-deployment", "yuexiu")
        key = huying(env, "api-key", "create", "--name", "bench", "--channel", "city12345").strip()
        with psycopg.connect(url) as conn:
            codes = [r[0] for r in conn.execute(
                "select code from cases_category c where active and not exists (select 1 from cases_category k where k.parent_id = c.id)")]
        port = free_port()
        gunicorn = ["-w", str(args.workers), "--threads", str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        print(f"gunicorn {' '.join(gunicorn)} ({'gthread' if args.threads > 1 else 'sync'} workers)")
        server = subprocess.Popen([str(BIN / "gunicorn"), "huying.wsgi", *gunicorn], env=env, cwd=ROOT)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        warm = forms(args.workers * 20, codes, key, seed=1)
        fire(port, warm, args.concurrency)  # every worker loads code, gazetteer and connection first
        bodies = forms(args.requests, codes, key)
        server_pids, db_pids = [server.pid, *children(server.pid)], backends(url)
        server_cpu, db_cpu = cpu_seconds(server_pids), cpu_seconds(db_pids)
        seconds, statuses, client_cpu = fire(port, bodies, args.concurrency)
        load_during = os.getloadavg()
        if server_cpu is not None:
            server_cpu = cpu_seconds(server_pids) - server_cpu
        if db_cpu is not None:
            db_cpu = cpu_seconds(db_pids) - db_cpu
        bad = [s for s in statuses if s != 200]
        with psycopg.connect(url) as conn:
            made = conn.execute("select count(*), count(street_id) from cases_case").fetchone()
            events = conn.execute("select count(*) from cases_event").fetchone()[0]
        api_rate = args.requests / seconds
        print(f"API:  {args.requests} POST requests.json in {seconds:.2f} s = {api_rate:.0f} cases/s "
              f"(gunicorn {args.workers} workers x {args.threads} threads, {args.concurrency} client connections at once; "
              f"{len(bad)} not 200)")
        print(f"      CPU per request: gunicorn {per_request_ms(server_cpu, args.requests)}, PostgreSQL backends "
              f"{per_request_ms(db_cpu, args.requests)} ({len(db_pids)}), client {per_request_ms(client_cpu, args.requests)}")
        print(f"      cases in the database: {made[0]} ({made[1]} with a street from the gazetteer), events: {events}")
        n, raw_seconds = raw_inserts(url, args.concurrency)
        print(f"raw:  {n} case + event rows with plain psycopg in {raw_seconds:.2f} s = {n / raw_seconds:.0f} cases/s "
              f"({args.concurrency} connections, one transaction per case)")
        print(f"API / raw: {api_rate / (n / raw_seconds):.2f}")
        print(f"load average during: {' '.join(f'{x:.2f}' for x in load_during)}; after: "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if bad:
            sys.exit(1)
    finally:
        if server:
            server.terminate()
            server.wait(10)
        if not args.keep:
            admin(base, "drop database if exists huying_bench with (force)")


if __name__ == "__main__":
    main()
