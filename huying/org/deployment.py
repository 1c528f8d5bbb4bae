"""Load a deployment: its unit tree, categories and responsibility rules.

A deployment is a folder of CSV files under `huying/org/deployments/NAME/`
(see the README there). Loading is an upsert by code, so loading the same
folder twice changes nothing.
"""

import csv
import json
from collections import Counter
from pathlib import Path

from django.db import transaction

from huying.cases.models import Category
from huying.org.models import Unit
from huying.routing.models import Rule
from huying.sla import calendar, deadlines

DEPLOYMENTS = Path(__file__).resolve().parent / "deployments"
TERRITORY = "territory"


class DeploymentError(ValueError):
    pass


def folder(name):
    path = DEPLOYMENTS / name
    if not (path / "deployment.json").exists():
        known = sorted(p.name for p in DEPLOYMENTS.iterdir() if (p / "deployment.json").exists())
        raise DeploymentError(f"unknown deployment {name!r}; known: {', '.join(known)}")
    return path


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def upsert(model, key, values, tally):
    """Create or update one row by its key; count what really changed."""
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        obj.save()
        tally["created"] += 1
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(obj, k, v)
        obj.save()
        tally["updated"] += 1
    return obj


@transaction.atomic
def load(name):
    path = folder(name)
    meta = json.loads((path / "deployment.json").read_text(encoding="utf-8"))
    tally = Counter(created=0, updated=0)
    units = load_divisions(path / "divisions.csv", tally)
    district = units[meta["district_code"]]
    upsert(Unit, {"code": meta["centre"]["code"]},
           {"name": meta["centre"]["name"], "short": meta["centre"]["short"], "kind": Unit.CENTRE, "parent": district}, tally)
    for row in rows(path / "departments.csv"):
        units[row["code"]] = upsert(Unit, {"code": row["code"]},
                                    {"name": row["name"], "short": row["short"], "kind": Unit.DEPARTMENT, "parent": district}, tally)
    load_categories(path / "categories.csv", units, tally)
    deadlines.install_defaults()
    calendar.load_national()
    return dict(tally)


def load_divisions(path, tally):
    kinds = {"district": Unit.DISTRICT, "street": Unit.STREET, "community": Unit.COMMUNITY, "grid": Unit.GRID}
    units = {}
    for row in rows(path):
        parent = units.get(row["parent_code"])
        if row["level"] != "district" and parent is None:
            raise DeploymentError(f"{path.name}: {row['code']} names an unknown parent {row['parent_code']}")
        units[row["code"]] = upsert(Unit, {"code": row["code"]}, {
            "name": row["name"], "short": row.get("short", ""), "kind": kinds[row["level"]], "parent": parent,
        }, tally)
    return units


def load_categories(path, units, tally):
    for row in rows(path):
        parts = row["code"].split(".")
        names = [row["level1"], row["level2"], row["level3"]]
        parent = None
        for depth in range(1, 4):
            code = ".".join(parts[:depth])
            values = {"name": names[depth - 1].strip(), "parent": parent, "level": depth}
            if depth == 3:
                values["keywords"] = row.get("keywords", "")
            parent = upsert(Category, {"code": code}, values, tally)
        owner = row["department"].strip()
        if owner != TERRITORY and owner not in units:
            raise DeploymentError(f"{path.name}: {row['code']} names an unknown department {owner!r}")
        upsert(Rule, {"category": parent}, {"unit": None if owner == TERRITORY else units[owner]}, tally)
