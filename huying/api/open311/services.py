"""Categories as Open311 services, and the attributes every service takes.

A service is an active leaf of the category tree (`service_code` is the
category code, `group` its top-level class). The attributes carry what a
case has beyond the spec's own fields: its kind (诉求类型), urgency, a
title, the confidential flag of a report, and the client's own id.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying import memo
from huying.api.intake import service_type
from huying.api.open311.errors import BadRequest, NotFound
from huying.api.open311.parsing import clean
from huying.cases.models import Category, Kind, Urgency

DEFAULT_KIND = Kind.HELP


@dataclass
class Attribute:
    code: str
    datatype: str
    description: object
    datatype_description: object = ""
    values: list = field(default_factory=list)  # (key, name) for list datatypes
    required: bool = False
    limit: int = 200

    def as_dict(self, order):
        return {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": str(self.datatype_description) or None,
            "order": order,
            "description": str(self.description),
            "values": [{"key": key, "name": str(name)} for key, name in self.values],
        }

    def read(self, given):
        """Check the client's value(s); return the value for the case."""
        if self.datatype != "multivaluelist" and len(given) != 1:
            raise BadRequest(_("attribute[%(code)s] takes one value.") % {"code": self.code})
        chosen = given
        if self.values:
            keys = {key for key, _name in self.values}
            wrong = [v for v in chosen if v not in keys]
            if wrong:
                raise BadRequest(_("attribute[%(code)s] must be one of %(keys)s, not %(value)s.")
                                 % {"code": self.code, "keys": ", ".join(sorted(keys)), "value": wrong[0]})
        elif any(len(v) > self.limit for v in chosen):
            raise BadRequest(_("attribute[%(code)s] is limited to %(limit)s characters.") % {"code": self.code, "limit": self.limit})
        return chosen if self.datatype == "multivaluelist" else chosen[0]


ATTRIBUTES = [
    Attribute("kind", "singlevaluelist", gettext_lazy("What kind of request this is (诉求类型)."),
              gettext_lazy("Default: help."), [(k.value, k.label) for k in Kind]),
    Attribute("urgency", "singlevaluelist", gettext_lazy("How urgent it is; urgent requests are answered in hours."),
              gettext_lazy("Default: normal."), [(u.value, u.label) for u in Urgency]),
    Attribute("title", "string", gettext_lazy("A short title; by default the start of the description."), limit=200),
    Attribute("confidential", "singlevaluelist",
              gettext_lazy("For a report (举报) only: true keeps the reporter hidden from the units that handle it."),
              gettext_lazy("Default: false."), [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]),
    Attribute("external_id", "string",
              gettext_lazy("Your own id for this request. Sending the same id again returns the first request, never a second one."),
              limit=100),
]
BY_CODE = {a.code: a for a in ATTRIBUTES}
# All services by code, with their parents, read in one query (huying/memo.py):
# every POST names one.
SERVICES = memo.Memo("open311_services")


def services():
    """Active leaves of the tree, with their top class. A branch stays a
    branch when its children are retired: it never was a service."""
    return (
        Category.objects.filter(active=True, children__isnull=True)
        .select_related("parent__parent")
        .order_by("code")
    )


def service(code):
    category = SERVICES.get("all", lambda _key: {c.code: c for c in services()}).get(code)
    if category is None:
        raise NotFound(_("service_code %(code)s not found.") % {"code": code})
    return category


def as_service(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.path_label,
        "metadata": True,
        "type": service_type(),
        "keywords": ", ".join(k for k in category.keywords.split("|") if k),
        "group": category.top().name,
    }


def definition(category):
    return {
        "service_code": category.code,
        "attributes": [a.as_dict(order) for order, a in enumerate(ATTRIBUTES, start=1)],
    }


def read_attributes(data):
    """`attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` → {code: value}."""
    found = {}
    for name in data:
        if not name.startswith("attribute["):
            continue
        code = name[len("attribute["):].removesuffix("[]").removesuffix("]")
        if not name.endswith("]") or "[" in code or "]" in code:
            raise BadRequest(_("%(name)s is not an attribute[code] argument.") % {"name": name[:60]})
        attribute = BY_CODE.get(code)
        if attribute is None:
            raise BadRequest(_("Unknown attribute %(code)s; see the service definition.") % {"code": code[:60]})
        values = [v.strip() for v in data.getlist(name) if v.strip()]
        for value in values:
            clean(f"attribute[{code}]", value)
        if values:
            found[code] = attribute.read(found.get(code, []) + values if attribute.datatype == "multivaluelist" else values)
    for attribute in ATTRIBUTES:
        if attribute.required and attribute.code not in found:
            raise BadRequest(_("attribute[%(code)s] is required.") % {"code": attribute.code})
    return found
