"""Open311 output: XML with the spec's element names, and JSON by the Spark
convention (the same document, lists as arrays, no wrapper element).

Lists take their item name from the list's own name: `services` holds
`service` elements, `service_requests` holds `request`, `attributes` holds
`attribute` and so on. `true`/`false` are lower case; None is an empty
element in XML and null in JSON.
"""

import datetime as dt
import json
import re
from io import StringIO

from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from rest_framework.renderers import BaseRenderer
from rest_framework_xml.renderers import XMLRenderer

ITEM = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "errors": "error", "endpoints": "endpoint", "formats": "format", "notes": "note",
}
# Characters XML 1.0 cannot carry at all.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3(value):
    """A moment in the spec's w3 format with its offset: 2026-03-03T10:00:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3(value)
    return NOT_XML.sub("", str(value))


class Open311XMLRenderer(XMLRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root = getattr(view, "xml_root", None) or "errors"
        return to_xml(root, data)

    def _to_xml(self, xml, data, name=None):
        if isinstance(data, (list, tuple)):
            item = ITEM.get(name, "item")
            for value in data:
                xml.startElement(item, {})
                self._to_xml(xml, value, item)
                xml.endElement(item)
        elif isinstance(data, dict):
            for key, value in data.items():
                xml.startElement(key, {})
                self._to_xml(xml, value, key)
                xml.endElement(key)
        elif data is not None:
            xml.characters(scalar(data))


def to_xml(root, data):
    stream = StringIO()
    xml = SimplerXMLGenerator(stream, "utf-8")
    xml.startDocument()
    xml.startElement(root, {})
    Open311XMLRenderer()._to_xml(xml, data, root)
    xml.endElement(root)
    xml.endDocument()
    return stream.getvalue()


class Open311JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, ensure_ascii=False, default=lambda v: w3(v) if isinstance(v, dt.datetime) else str(v)).encode("utf-8")
