"""The mapping file: which column of an old system's export is which field,
and what its values mean. A small JSON file, so an export loads unchanged:

    {
      "source": "old12345",
      "columns": {"external_id": "工单编号", "created_at": "受理时间", "title": "标题",
                  "text": "诉求内容", "kind": "诉求类型", "lead_unit": "承办单位", ...},
      "values": {"kind": {"投诉举报": "complaint"}},
      "defaults": {"channel": "phone"},
      "datetime_formats": ["%Y-%m-%d %H:%M:%S"],
      "encoding": "utf-8-sig"
    }

docs/data-centre.md lists every field. Common Chinese labels (咨询, 投诉,
满意, 是/否 …) are understood without a "values" entry.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from huying.cases.models import Channel, Kind, Satisfaction, Urgency

REQUIRED = ["external_id", "created_at", "text"]
FIELDS = [
    "external_id", "created_at", "title", "text", "kind", "channel", "urgency", "category",
    "citizen_name", "citizen_phone", "address", "lat", "lng", "street", "community",
    "lead_unit", "dispatched_at", "accept_due", "accepted_at", "reply_due", "replied_at",
    "reply_text", "closed_at", "resolved", "satisfaction", "reopen_count",
]

# What old systems commonly write, besides Huying's own codes.
KNOWN_VALUES = {
    "kind": {"咨询": "consult", "求助": "help", "投诉": "complaint", "举报": "report", "建议": "suggestion",
             "表扬": "praise", "意见建议": "suggestion", "投诉举报": "complaint", "感谢表扬": "praise"},
    "channel": {"电话": "phone", "12345热线": "phone", "热线": "phone", "网站": "web", "网上留言": "web", "微信": "app",
                "APP": "app", "app": "app", "市12345": "city12345", "市平台": "city12345", "传感器": "sensor",
                "网格巡查": "patrol", "巡查": "patrol", "领导批示": "leader", "接口": "api"},
    "urgency": {"一般": "normal", "普通": "normal", "紧急": "urgent", "特急": "very_urgent", "加急": "urgent"},
    "satisfaction": {"满意": "satisfied", "非常满意": "satisfied", "基本满意": "basically", "不满意": "unsatisfied"},
    "resolved": {"是": True, "否": False, "已解决": True, "未解决": False, "解决": True, "true": True,
                 "false": False, "1": True, "0": False, "yes": True, "no": False, "y": True, "n": False},
}
CHOICES = {"kind": Kind.values, "channel": Channel.values, "urgency": Urgency.values, "satisfaction": Satisfaction.values}


class MappingError(ValueError):
    pass


@dataclass
class Mapping:
    columns: dict
    source: str = "import"
    values: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    datetime_formats: list = field(default_factory=lambda: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"])
    encoding: str = "utf-8-sig"

    def value_map(self, name):
        """Text in the file -> Huying value, for a coded field."""
        known = dict(KNOWN_VALUES.get(name, {}))
        known.update({v: v for v in CHOICES.get(name, [])})
        known.update(self.values.get(name, {}))
        return {str(k).strip(): v for k, v in known.items()}


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as error:
        raise MappingError(_("Cannot read the mapping file %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
    except json.JSONDecodeError as error:
        raise MappingError(_("The mapping file %(path)s is not valid JSON (line %(line)s): %(msg)s")
                           % {"path": path, "line": error.lineno, "msg": error.msg}) from None
    return from_dict(data)


def from_dict(data):
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise MappingError(_('The mapping needs a "columns" object naming the column of each field.'))
    unknown = set(data) - {"columns", "source", "values", "defaults", "datetime_formats", "encoding"}
    if unknown:
        raise MappingError(_("Unknown mapping keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    columns = data["columns"]
    bad = sorted(set(columns) - set(FIELDS)) + sorted(set(data.get("defaults", {})) - set(FIELDS))
    if bad:
        raise MappingError(_("Unknown fields in the mapping: %(fields)s. Known: %(known)s")
                           % {"fields": ", ".join(bad), "known": ", ".join(FIELDS)})
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise MappingError(_("The mapping must name the columns of: %(fields)s") % {"fields": ", ".join(missing)})
    for name, table in data.get("values", {}).items():
        if name not in KNOWN_VALUES or not isinstance(table, dict):
            raise MappingError(_('"values" can translate only %(fields)s.') % {"fields": ", ".join(KNOWN_VALUES)})
        for target in table.values():
            if name in CHOICES and target not in CHOICES[name]:
                raise MappingError(_("%(field)s has no value %(value)s; use one of %(choices)s")
                                   % {"field": name, "value": target, "choices": ", ".join(CHOICES[name])})
    source = str(data.get("source", "import")).strip()
    if not source or len(source) > 40:
        raise MappingError(_('"source" names the old system in 1 to 40 characters.'))
    mapping = Mapping(columns=columns, source=source, values=data.get("values", {}), defaults=data.get("defaults", {}))
    if "datetime_formats" in data:
        mapping.datetime_formats = list(data["datetime_formats"])
    if "encoding" in data:
        mapping.encoding = data["encoding"]
    return mapping
