"""`huying orders extract|confirm`: a work report's targets, proposed and then
confirmed by a person before any order exists."""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from huying.cases.errors import Refused
from huying.orders import proposals
from huying.orders.extract import extract, to_json
from huying.orders.models import Report
from huying.org.models import Unit


class Command(BaseCommand):
    help = "Read a work report's targets (extract) and turn the ones a leader confirms into orders (confirm)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser("extract", help="propose orders from a report; creates nothing")
        ex.add_argument("report", help="the report as UTF-8 text")
        ex.add_argument("--json", action="store_true", help="print one JSON list")
        ex.add_argument("--all", action="store_true", help="include past achievements (is_target false)")
        co = sub.add_parser("confirm", help="create the orders a leader confirms")
        co.add_argument("report", help="the report as UTF-8 text")
        co.add_argument("--by", required=True, help="username of the leader confirming")
        co.add_argument("--title", help="the report's title (default: its first line)")
        co.add_argument("--plan", help="JSON list of picks: key, lead_unit (code), and optional title, "
                                        "target, measure, deadline (YYYY-MM-DD), co_units (codes)")
        co.add_argument("--yes", action="store_true", help="do not ask before creating the planned orders")

    def handle(self, *args, action, **options):
        text = read(options["report"])
        if action == "extract":
            return self.extract(text, options)
        return self.confirm(text, options)

    # ------------------------------------------------------------------

    def extract(self, text, options):
        found = extract(text, include_past=options["all"])
        if options["json"]:
            now = timezone.now()
            year = proposals.report_year("", text)
            rows = []
            for (key, p), row in zip(proposals.keyed(found), to_json(found)):
                s = proposals.suggest(key, p, year, now)
                rows.append({"key": key, "title": s.title, "project": s.project} | row)
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for key, p in proposals.keyed(found):
            mark = "令" if p.is_target else "  "
            self.stdout.write(f"{mark} {key:<7} {p.verb} {p.quantity_text}\t{p.subject}\t[{p.section}]")

    def confirm(self, text, options):
        leader = get_user_model().objects.filter(username=options["by"]).first()
        if leader is None:
            raise CommandError(f"no user named {options['by']}")
        now = timezone.now()
        title = options["title"] or first_line(text)
        with transaction.atomic():
            # The report is kept only together with the orders made from it.
            report = Report.objects.filter(text=text).first() or Report.objects.create(
                title=title[:200], year=proposals.report_year(title, text), text=text, uploaded_by=leader, uploaded_at=now)
            offered = proposals.proposals_of(report, now)
            picks = plan(options["plan"], offered) if options["plan"] else self.ask_each(offered)
            if not picks:
                self.stdout.write("Nothing chosen; no order created.")
                transaction.set_rollback(True)
                return
            self.stdout.write(f"{len(picks)} order(s) to create:")
            for pick in picks:
                self.stdout.write(f"  {pick['key']:<7} {pick.get('title') or by_key(offered, pick['key']).title} "
                                  f"→ {pick['lead_unit'].name if pick.get('lead_unit') else '?'}")
            if not options["yes"] and ask("Create them? [y/N] ").lower() not in ("y", "yes"):
                self.stdout.write("Nothing created.")
                transaction.set_rollback(True)
                return
            try:
                orders = proposals.confirm(report, picks, leader, now=now)
            except proposals.ConfirmErrors as error:
                transaction.set_rollback(True)
                raise CommandError("nothing created:\n" + "\n".join(f"  {k}: {m}" for k, m in error.errors.items())) from None
            except Refused as error:
                transaction.set_rollback(True)
                raise CommandError(f"nothing created: {error}") from None
        self.stdout.write(f"Created {len(orders)} order(s) from “{report.title}”.")

    def ask_each(self, offered):
        """One question per proposal; then the order's fields, suggestion as default."""
        picks = []
        for s in offered:
            if s.order is not None:
                continue
            p = s.proposal
            self.stdout.write(f"\n[{s.key}] {p.section}\n  {p.sentence}\n  → {p.verb} {p.quantity_text} {p.subject}")
            if s.twins:
                self.stdout.write(f"  (the same target also at {', '.join(s.twins)})")
            answer = ask("Create an order? [y/N/q] ").lower()
            if answer == "q":
                break
            if answer not in ("y", "yes"):
                continue
            pick = {"key": s.key, "lead_unit": ask_unit("  Lead unit code: ")}
            for name, default in (("title", s.title), ("target", s.target), ("measure", s.measure),
                                  ("deadline", s.deadline.isoformat())):
                pick[name] = ask(f"  {name.capitalize()} [{default}]: ") or default
            picks.append(pick)
        return picks


def read(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {path}: {error}") from None


def first_line(text):
    return next((line.strip() for line in text.splitlines() if line.strip()), "report")


def ask(prompt):
    try:
        return input(prompt).strip()
    except EOFError:
        return ""


def ask_unit(prompt):
    while True:
        code = ask(prompt)
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            return unit
        if not code:
            raise CommandError("no lead unit given; nothing created")
        sys.stdout.write(f"  no unit with code {code}\n")


def by_key(offered, key):
    return next(s for s in offered if s.key == key)


def plan(path, offered):
    try:
        rows = json.loads(read(path))
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not JSON: {error}") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CommandError(f"{path} must hold a JSON list of objects")
    keys = {s.key for s in offered}
    codes = {u.code: u for u in Unit.objects.all()}
    picks, problems = [], []
    for n, row in enumerate(rows, start=1):
        key = str(row.get("key", ""))
        unknown = [c for c in [row.get("lead_unit"), *row.get("co_units", [])] if c not in codes]
        if key not in keys:
            problems.append(f"item {n}: the report has no proposal {key!r}")
        elif unknown:
            problems.append(f"item {n} ({key}): no unit with code {', '.join(map(str, unknown))}")
        else:
            picks.append(row | {"key": key, "lead_unit": codes[row["lead_unit"]],
                                "co_units": [codes[c] for c in row.get("co_units", [])]})
    if problems:
        raise CommandError("nothing created:\n  " + "\n  ".join(problems))
    return picks
