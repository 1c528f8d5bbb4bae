"""Benchmark of `huying import-cases` into PostgreSQL, beside a plain COPY.

    .venv/bin/python -m bench.import                 # 1,000,000 rows
    .venv/bin/python -m bench.import --rows 50000

Writes an old system's export (Chinese column names, the Yuexiu streets,
communities and departments, closed and open cases, ratings) to
var/bench-import/old.csv, makes a fresh database `huying_bench_import` next to
PG_URL's, loads the Yuexiu deployment, then times the whole import (read,
check, build cases with their intake and import events, COPY them, facts and
summaries) and, in the same run, a plain `COPY … FROM STDIN (FORMAT csv)` of
the same file into a table of text columns. Prints rows per second for both
and the machine's load average.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.getenv("PG_URL", "postgresql://postgres@127.0.0.1:5432/huying")
DB_URL = PG_URL.rsplit("/", 1)[0] + "/huying_bench_import"
OUT = ROOT / "var" / "bench-import"
HEADER = ["工单编号", "受理时间", "标题", "诉求内容", "诉求类型", "来源渠道", "事项分类", "所属街道", "所属社区", "承办单位",
          "签收时间", "答复时间", "答复内容", "是否解决", "满意度", "联系电话", "地址"]
MAPPING = {
    "source": "old12345",
    "columns": {"external_id": "工单编号", "created_at": "受理时间", "title": "标题", "text": "诉求内容", "kind": "诉求类型",
                "channel": "来源渠道", "category": "事项分类", "street": "所属街道", "community": "所属社区", "lead_unit": "承办单位",
                "accepted_at": "签收时间", "replied_at": "答复时间", "reply_text": "答复内容", "resolved": "是否解决",
                "satisfaction": "满意度", "citizen_phone": "联系电话", "address": "地址"},
}
TEXTS = ["小区楼下垃圾堆放多日无人清运，气味难闻，请尽快处理。", "夜间施工噪音扰民，影响休息，希望有关部门查处。",
         "老旧小区加装电梯申请进度咨询，想了解审批需要多长时间。", "人行道上共享单车乱停放，行人通行困难。",
         "路灯损坏多日不亮，夜间出行不安全。", "餐馆油烟直排，居民楼窗户不敢打开。", "公司拖欠工资三个月，请劳动部门协助追讨。"]


def log(text):
    print(text, file=sys.stderr, flush=True)


def write_csv(path, n, streets, departments, categories):
    """An export of n work orders over 2020, as an old system would write it."""
    rnd = random.Random(6)
    start = dt.datetime(2020, 1, 1, 8, 0)
    kinds = ["咨询", "求助", "投诉", "举报", "建议"]
    channels = ["电话", "网站", "微信", "市12345"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(n):
            created = start + dt.timedelta(seconds=int(i * 366 * 86400 / n) + rnd.randint(0, 600))
            street, communities = rnd.choice(streets)
            community = rnd.choice(communities) if communities and rnd.random() < 0.7 else ""
            lead = street if rnd.random() < 0.7 else rnd.choice(departments)
            state = rnd.random()
            accepted = created + dt.timedelta(hours=rnd.choice([1, 2, 3, 5, 30]))
            replied = accepted + dt.timedelta(days=rnd.choice([1, 2, 3, 5, 8, 20]))
            rated = state < 0.85
            text = TEXTS[i % len(TEXTS)]
            w.writerow([
                f"GZ{2020000000 + i}", created.strftime("%Y-%m-%d %H:%M:%S"), text[:12], text, rnd.choice(kinds),
                rnd.choice(channels), rnd.choice(categories), street, community, lead,
                accepted.strftime("%Y-%m-%d %H:%M:%S") if state < 0.97 else "",
                replied.strftime("%Y-%m-%d %H:%M:%S") if state < 0.93 else "",
                "已处理并答复市民" if state < 0.93 else "",
                ("是" if rnd.random() < 0.88 else "否") if rated else "",
                rnd.choice(["满意", "满意", "满意", "基本满意", "不满意"]) if rated else "",
                f"13{rnd.randint(100000000, 999999999)}", f"某路{rnd.randint(1, 300)}号",
            ])


def backend_cpu(connection):
    """CPU seconds the database server's process for this connection has used,
    when the server runs on this machine (else None)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fresh_database():
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS huying_bench_import")
        conn.execute("CREATE DATABASE huying_bench_import")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = DB_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huying.settings")
    fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from huying.analytics.imports import mapping as mappings
    from huying.analytics.imports.load import import_file
    from huying.cases.models import Case, Category
    from huying.org.models import Unit

    load = [os.getloadavg()[0]]
    call_command("migrate", verbosity=0)
    call_command("load_deployment", "yuexiu", verbosity=0)
    streets = [(s.name, list(s.children.filter(kind=Unit.COMMUNITY).values_list("name", flat=True)))
               for s in Unit.objects.filter(kind=Unit.STREET)]
    departments = list(Unit.objects.filter(kind=Unit.DEPARTMENT).values_list("name", flat=True))
    categories = list(Category.objects.filter(level=3).values_list("code", flat=True))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "old.csv"
    t = time.perf_counter()
    write_csv(path, args.rows, streets, departments, categories)
    log(f"  wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s")
    (OUT / "mapping.json").write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")

    server = backend_cpu(connection)
    t, cpu = time.perf_counter(), time.process_time()
    report = import_file(path, mappings.from_dict(MAPPING), batch=args.batch)
    ours, ours_cpu = time.perf_counter() - t, time.process_time() - cpu
    server = backend_cpu(connection) - server if server is not None else None
    load.append(os.getloadavg()[0])
    assert report.added == args.rows and not report.bad, report.bad[:5]
    assert Case.objects.count() == args.rows
    log(f"  huying import-cases: {ours:.1f} s")

    t = time.perf_counter()
    again = import_file(path, mappings.from_dict(MAPPING), batch=args.batch)
    rerun = time.perf_counter() - t
    assert again.added == 0 and again.existing == args.rows

    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE plain_copy ({columns})")
    t = time.perf_counter()
    with connection.cursor() as cursor, open(path, "rb") as f:
        with cursor.cursor.copy("COPY plain_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
    plain = time.perf_counter() - t
    load.append(os.getloadavg()[0])
    print(f"\nImport of {args.rows:,} rows into PostgreSQL (same file, same run)")
    print(f"  huying import-cases   {args.rows / ours:>10,.0f} rows/s  ({ours:.1f} s: cases + 2 events + key + fact each, then summaries)")
    print(f"    CPU used: importing process {ours_cpu:.1f} s ({1e6 * ours_cpu / args.rows:.0f} µs a row, reading and building "
          f"in one thread while another sends COPY)")
    if server is not None:
        print(f"              PostgreSQL backend {server:.1f} s ({1e6 * server / args.rows:.0f} µs a row: parsing, index entries, "
              f"foreign-key checks, summaries)")
    print(f"  plain COPY            {args.rows / plain:>10,.0f} rows/s  ({plain:.1f} s: text columns, no checks, no indexes)")
    print(f"  re-run of the file    {args.rows / rerun:>10,.0f} rows/s  ({rerun:.1f} s: every row already loaded, nothing added)")
    goal = 20_000
    print(f"  goal ≥ {goal:,} rows/s: {'met' if args.rows / ours >= goal else 'NOT met'}; "
          f"load average {min(load):.1f}–{max(load):.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
