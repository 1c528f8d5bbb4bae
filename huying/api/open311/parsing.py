"""Reading Open311 input strictly: UTF-8 only, w3 dates with a time zone,
numbers that are numbers, no control characters.

Django decodes bad UTF-8 into replacement characters without a word; the
spec says input is UTF-8, so anything else is refused with 400 rather than
stored garbled.
"""

import datetime as dt
import math
import re
from urllib.parse import parse_qsl

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from huying.api.open311.errors import BadRequest

MAX_FIELDS = 200
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
W3 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})$"
)


def parse_form(raw):
    """bytes of `a=1&b=2` → MultiValueDict; ValueError when not UTF-8."""
    text = raw.decode("utf-8")
    pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    data = MultiValueDict()
    for key, value in pairs:
        data.appendlist(key, value)
    return data


class Open311FormParser(BaseParser):
    """`application/x-www-form-urlencoded`, UTF-8 only, as the spec sends it."""

    media_type = "application/x-www-form-urlencoded"

    def parse(self, stream, media_type=None, parser_context=None):
        charset = charset_of(media_type or "")
        if charset and charset not in ("utf-8", "utf8"):
            raise ParseError(_("Only UTF-8 is accepted, not %(charset)s.") % {"charset": charset})
        raw = stream.read() if stream is not None else b""
        try:
            return parse_form(raw)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid UTF-8.")) from None
        except ValueError as error:
            raise ParseError(str(error)) from None


def charset_of(media_type):
    for part in media_type.split(";")[1:]:
        name, _sep, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


def query_of(request):
    """The query string, decoded strictly (the WSGI server hands it over as latin-1)."""
    raw = request.META.get("QUERY_STRING", "")
    try:
        return parse_form(raw.encode("latin-1"))
    except (UnicodeDecodeError, UnicodeEncodeError):
        raise BadRequest(_("The query string is not valid UTF-8.")) from None
    except ValueError as error:
        raise BadRequest(str(error)) from None


class Params:
    """One request's arguments; an empty value is the same as none (spec: Optional Arguments)."""

    def __init__(self, data):
        self.data = data

    def text(self, name, *, limit=None, lines=False):
        values = [v for v in self.data.getlist(name) if v.strip()]
        if len(values) > 1:
            raise BadRequest(_("%(name)s was given more than once.") % {"name": name})
        value = values[0].strip() if values else ""
        clean(name, value, lines=lines)
        if limit and len(value) > limit:
            raise BadRequest(_("%(name)s is limited to %(limit)s characters.") % {"name": name, "limit": f"{limit:,}"})
        return value

    def many(self, name):
        """Comma-delimited values, also when the argument is given more than once."""
        out = []
        for value in self.data.getlist(name):
            clean(name, value)
            out += [v.strip() for v in value.split(",") if v.strip()]
        return out

    def number(self, name):
        value = self.text(name, limit=40)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise BadRequest(_("%(name)s must be a number, not %(value)s.") % {"name": name, "value": value}) from None
        if not math.isfinite(number):
            raise BadRequest(_("%(name)s must be a finite number.") % {"name": name})
        return number

    def integer(self, name, default, low, high):
        value = self.text(name, limit=12)
        if not value:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            raise BadRequest(_("%(name)s must be a whole number from %(low)s to %(high)s.") % {"name": name, "low": low, "high": high})
        return int(value)

    def moment(self, name):
        return parse_w3(name, self.text(name, limit=40))

    def flag(self, name):
        value = self.text(name, limit=10).lower()
        if value in ("", "false", "0", "no"):
            return False
        if value in ("true", "1", "yes"):
            return True
        raise BadRequest(_("%(name)s must be true or false.") % {"name": name})


def clean(name, value, lines=False):
    bad = CONTROL.search(value.replace("\n", "").replace("\r", "").replace("\t", "") if lines else value)
    if bad:
        raise BadRequest(_("%(name)s contains a control character.") % {"name": name})


def parse_w3(name, value):
    """2010-01-01T00:00:00Z or …+08:00; the spec requires the time zone."""
    if not value:
        return None
    # A "+" not percent-encoded in a URL arrives as a space.
    value = re.sub(r" (\d{2}:\d{2})$", r"+\1", value)
    match = W3.match(value)
    if not match:
        raise BadRequest(_("%(name)s must be a w3 date-time with a time zone, e.g. 2010-01-01T00:00:00Z, not %(value)s.")
                         % {"name": name, "value": value[:40]})
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(_("%(name)s is not a real date and time: %(value)s.") % {"name": name, "value": value}) from None
