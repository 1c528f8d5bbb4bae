"""bench/dispatch: smart dispatch on a database of its own.

1. Duplicates at intake: 10,000 open cases of the last 7 days spread over
   Yuexiu's streets; `huying.routing.duplicates.similar` for each of a few
   hundred new messages (place first, then text), beside a baseline measured
   in the same run: the same text comparison against every open case,
   without the place narrowing the candidates.
2. Routing per intake: `route(case)` as a whole (place, classifier, rules,
   duplicates, suggestions and events written), in ms.
3. Automatic dispatch on a test set: demo cases (huying/demo) are generated
   through the real steps, a model is trained from the closed ones
   (`--from-cases`), then fresh demo messages are routed as they would come
   in from the API, with only the title, text, address and map point (no
   category, no street); for each threshold, the share dispatched
   automatically and the share of those that went to the unit the demo
   meant. A second run gives the operator's category too, as at the phone.

    .venv/bin/python bench/dispatch/run.py [--open 10000] [--demo 1500] [--tests 400] [--pg]

SQLite in var/ by default; --pg makes (and drops) `huying_bench_dispatch` on
PG_URL (default postgresql://postgres@127.0.0.1:5432/huying). The message
texts of part 1 are the TipDM set in ../shared/data when present (the
project ships none of them), else the demo's own wording.
"""

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "tipdm2020"
THRESHOLDS = [0.5, 0.6, 0.7, 0.8, 0.9, 0.95]


def setup(pg):
    if pg:
        import psycopg

        base = os.getenv("PG_URL", "postgresql://postgres@127.0.0.1:5432/huying")
        parts = urlsplit(base)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS huying_bench_dispatch")
            conn.execute("CREATE DATABASE huying_bench_dispatch")
        url = urlunsplit(parts._replace(path="/huying_bench_dispatch"))
    else:
        path = ROOT / "var" / f"bench-dispatch-{os.getpid()}.sqlite3"
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huying.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_deployment", "yuexiu", stdout=open(os.devnull, "w"))
    return url


def cleanup(url, pg):
    from django.db import connections

    connections.close_all()
    if pg:
        import psycopg

        admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS huying_bench_dispatch")
    else:
        path = Path(urlsplit(url).path)
        for p in path.parent.glob(path.name + "*"):
            p.unlink()


def shared_texts():
    texts = []
    for name in ("messages_unlabelled.csv", "messages_with_votes.csv", "messages_with_replies.csv", "messages_labelled.csv"):
        path = SHARED / name
        if path.exists():
            with open(path, encoding="utf-8", newline="") as f:
                texts += [(r["title"], r["body"][:1000]) for r in csv.DictReader(f)]
    return texts


def demo_texts(count, seed):
    from django.utils import timezone

    from huying.demo.generator import Planner, World

    planner = Planner(World(), random.Random(seed), timezone.now())
    return [(p.title, p.text) for p in (planner.plan("normal") for _ in range(count))]


def ms(values):
    values = sorted(values)
    return f"mean {statistics.mean(values):6.1f} ms, median {values[len(values) // 2]:6.1f} ms, p95 {values[int(len(values) * 0.95)]:6.1f} ms"


# --- 1. duplicates -----------------------------------------------------------------------------


def open_cases(count, texts, rng):
    from django.utils import timezone

    from huying.cases.models import Case, Channel, Kind, Status
    from huying.org.models import Unit

    streets = list(Unit.objects.filter(kind=Unit.STREET))
    communities = {s.pk: list(Unit.objects.filter(parent=s, kind=Unit.COMMUNITY)) for s in streets}
    now = timezone.now()
    statuses = [Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.REPLIED]
    rows = []
    for n in range(count):
        title, body = texts[n % len(texts)]
        street = rng.choice(streets)
        rows.append(Case(
            number=f"BENCH{n:08d}", channel=Channel.WEB, kind=Kind.COMPLAINT, title=title[:200], text=body or title,
            street=street, community=rng.choice(communities[street.pk]) if communities[street.pk] else None,
            status=rng.choice(statuses), created_at=now - dt.timedelta(minutes=rng.randint(1, 7 * 24 * 60 - 60)),
        ))
    Case.objects.bulk_create(rows, batch_size=1000)
    return streets


def everything(text, since):
    """Baseline: the same comparison against every open case of the window."""
    from huying.cases.models import Case
    from huying.routing.duplicates import JOINABLE, text_scores

    rows = list(Case.objects.filter(status__in=JOINABLE, created_at__gte=since).values_list("title", "text"))
    return text_scores(text, [f"{t} {x}" for t, x in rows])


def bench_duplicates(n_open, n_new, texts, rng):
    from django.utils import timezone

    from huying.routing.duplicates import similar

    started = time.perf_counter()
    streets = open_cases(n_open, texts[: len(texts) - n_new], rng)
    print(f"{n_open} open cases made in {time.perf_counter() - started:.1f} s")
    fresh = texts[len(texts) - n_new:]
    now = timezone.now()
    ours, base, ours_cpu, base_cpu, found = [], [], [], [], 0
    similar({"title": "预热", "text": "预热", "street": streets[0]}, now=now)  # imports, first query
    for title, body in fresh:
        fields = {"title": title, "text": body, "street": rng.choice(streets)}
        t0, c0 = time.perf_counter(), time.process_time()
        found += bool(similar(fields, now=now))
        ours.append((time.perf_counter() - t0) * 1000)
        ours_cpu.append((time.process_time() - c0) * 1000)
        t0, c0 = time.perf_counter(), time.process_time()
        everything(f"{title} {body}", now - dt.timedelta(days=7))
        base.append((time.perf_counter() - t0) * 1000)
        base_cpu.append((time.process_time() - c0) * 1000)
    print(f"duplicate check per intake, {n_new} new messages against {n_open} open cases (wall clock; CPU of this process):")
    print(f"  huying (same street, then text)    {ms(ours)}; CPU mean {statistics.mean(ours_cpu):.1f} ms   ({found} with a suggestion)")
    print(f"  baseline (text against all open)   {ms(base)}; CPU mean {statistics.mean(base_cpu):.1f} ms")


# --- 2 and 3. routing --------------------------------------------------------------------------


def demo_and_model(n_demo, seed):
    from django.core.management import call_command

    from huying.routing.models import Model

    started = time.perf_counter()
    call_command("generate_cases", n_demo, seed=seed, verbosity=0)
    print(f"{n_demo} demo cases generated through the steps in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    out = open(os.devnull, "w")
    call_command("router", "train", "--from-cases", "--no-progress", stdout=out)
    model = Model.objects.get(active=True)
    print(f"model v{model.version} trained from {model.n_train} closed cases in {time.perf_counter() - started:.1f} s: "
          f"{len(model.labels)} labels, held-out macro-F1 {model.metrics['macro_f1']:.3f}, accuracy {model.metrics['accuracy']:.3f} "
          f"({model.n_held_out} held out)")


def test_set(count, seed):
    from django.utils import timezone

    from huying.demo.generator import Planner, World

    planner = Planner(World(), random.Random(seed), timezone.now())
    return [planner.plan("normal") for _ in range(count)]


def bench_routing(plans, with_category):
    from django.test import override_settings

    from huying.cases import steps
    from huying.cases.actors import Actor
    from huying.cases.models import Channel
    from huying.routing import intake

    api = Actor.integration("bench")
    decided, timings = [], []
    with override_settings(ROUTING_AUTO_DISPATCH=2):  # decide, never dispatch: every threshold is read off the plans
        for plan in plans:
            case = steps.intake(api, kind=plan.kind, channel=Channel.API, title=plan.title, text=plan.text,
                                address=plan.place["address"], lat=plan.place["lat"], lng=plan.place["lng"],
                                category=plan.category if with_category else None)
            t0 = time.perf_counter()
            routing = intake.route(case)
            timings.append((time.perf_counter() - t0) * 1000)
            top = case.suggestions.filter(kind="dispatch", rank=1).first()
            held = case.suggestions.filter(kind="merge").exists()
            decided.append((routing.confidence or 0.0, top.unit_id if top else None, plan.lead.pk, held))
            case.suggestions.all().delete()
            # Leave no open case behind for the next test message to duplicate.
            steps.close(case, api_closer(), reason="bench", now=None)
    label = "operator's category given" if with_category else "title, text, address and map point only"
    print(f"route() per intake ({label}): {ms(timings)}")
    n = len(decided)
    right_top = sum(1 for _, unit, lead, _ in decided if unit == lead)
    print(f"  first suggestion is the demo's unit for {right_top}/{n} ({right_top / n:.1%}); "
          f"{sum(1 for d in decided if d[3])} held as possible duplicates")
    print("  threshold  auto-dispatched  of which right unit")
    for limit in THRESHOLDS:
        auto = [(unit, lead) for conf, unit, lead, held in decided if conf >= limit and not held]
        right = sum(1 for unit, lead in auto if unit == lead)
        share = f"{right / len(auto):.1%}" if auto else "-"
        print(f"  {limit:>9.2f}  {len(auto):>5} ({len(auto) / n:5.1%})   {share}")


def api_closer():
    from django.contrib.auth.models import User

    from huying.org.models import Membership, Unit

    user = User.objects.filter(username="bench-operator").first()
    if user is None:
        user = User.objects.create_user("bench-operator")
        Membership.objects.create(user=user, unit=Unit.objects.get(kind=Unit.CENTRE), role=Membership.OPERATOR)
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=10_000, help="open cases for the duplicate check")
    parser.add_argument("--new", type=int, default=300, help="new messages checked for duplicates")
    parser.add_argument("--demo", type=int, default=1500, help="demo cases to train from")
    parser.add_argument("--tests", type=int, default=400, help="messages in the dispatch test set")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    url = setup(args.pg)
    try:
        from django.db import connection

        print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.2f}")
        rng = random.Random(args.seed)
        demo_and_model(args.demo, args.seed)
        plans = test_set(args.tests, args.seed + 1)
        bench_routing(plans, with_category=False)
        bench_routing(plans, with_category=True)
        texts = shared_texts()
        source = "TipDM messages (../shared/data)"
        if len(texts) < args.open + args.new:
            texts, source = demo_texts(args.open + args.new, args.seed + 2), "demo wording"
        rng.shuffle(texts)
        print(f"duplicate check texts: {source}")
        bench_duplicates(args.open, args.new, texts[: args.open + args.new], rng)
        print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        cleanup(url, args.pg)


if __name__ == "__main__":
    main()
