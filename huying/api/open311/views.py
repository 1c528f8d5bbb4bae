"""Open311 GeoReport v2 endpoints, each in XML and JSON (`.xml` / `.json`).

discovery, services, services/{code}, requests (GET and POST),
requests/{id}, tokens/{token}; plus the common extensions: `page` and
`page_size`, `updated_after` and `updated_before`, `extensions=true`.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.api import intake
from huying.api.models import ApiKey, Submission
from huying.api.open311 import requests as found
from huying.api.open311 import services
from huying.api.open311.errors import BadKey, BadRequest, NotFound, Open311Error, error_response
from huying.api.open311.parsing import Open311FormParser, Params, query_of
from huying.api.open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from huying.cases.actors import Actor
from huying.cases.errors import Refused

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01T00:00:00+08:00"
FORMATS = ["text/xml", "application/json"]
DESCRIPTION_LIMIT = 4000
FORMAT = OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["json", "xml"], description="json or xml")
# The spec's lists (services, service requests, receipts) are arrays of objects.
ARRAY = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
JURISDICTION = OpenApiParameter("jurisdiction_id", OpenApiTypes.STR, description="Optional: this endpoint serves one jurisdiction.")


class BySuffix(BaseContentNegotiation):
    """The format is the URL's suffix, whatever the Accept header says."""

    def select_parser(self, request, parsers):
        media_type = request.content_type.split(";")[0].strip().lower()
        return next((p for p in parsers if p.media_type == media_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = next((r for r in renderers if r.format == format_suffix), renderers[0])
        return renderer, f"{renderer.media_type}; charset=utf-8"


class Open311View(APIView):
    authentication_classes = []
    permission_classes = []
    renderer_classes = [Open311XMLRenderer, Open311JSONRenderer]
    parser_classes = [Open311FormParser]
    content_negotiation_class = BySuffix
    xml_root = ""

    def get_format_suffix(self, **kwargs):
        # Named "fmt", not "format": schema generators skip ".{format}" paths.
        return kwargs.get("fmt")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.params = Params(query_of(request))
        given = self.argument("jurisdiction_id")
        if given and given != settings.OPEN311_JURISDICTION_ID:
            raise NotFound(_("jurisdiction_id %(value)s not found.") % {"value": given[:100]})

    def argument(self, name):
        """A query argument, or for a POST a form argument."""
        if self.request.method == "POST" and name in self.request.data:
            return Params(self.request.data).text(name, limit=200)
        return self.params.text(name, limit=200)

    def handle_exception(self, exc):
        if isinstance(exc, Open311Error):
            status, errors = exc.status, exc.errors
        elif isinstance(exc, exceptions.NotFound):
            status, errors = 404, [(404, exc.detail)]
        elif isinstance(exc, exceptions.APIException):
            status, errors = 400, [(exc.status_code, exc.detail)]
        elif isinstance(exc, Refused):
            status, errors = 400, [(exc.status, str(exc))]
        else:
            raise exc
        return error_response(self.request.path, errors, status)


class Discovery(Open311View):
    xml_root = "discovery"

    @extend_schema(tags=["Open311"], parameters=[FORMAT], responses={200: OpenApiTypes.OBJECT}, summary="Service discovery")
    def get(self, request, fmt):
        return Response({
            "changeset": CHANGESET,
            "contact": settings.OPEN311_CONTACT,
            "key_service": settings.OPEN311_KEY_SERVICE,
            "endpoints": [{
                "specification": SPEC,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }],
        })


class ServiceList(Open311View):
    xml_root = "services"

    @extend_schema(tags=["Open311"], parameters=[FORMAT, JURISDICTION], responses={200: ARRAY}, summary="GET Service List")
    def get(self, request, fmt):
        return Response([services.as_service(c) for c in services.services()])


class ServiceDefinition(Open311View):
    xml_root = "service_definition"

    @extend_schema(tags=["Open311"], parameters=[FORMAT, JURISDICTION], responses={200: OpenApiTypes.OBJECT}, summary="GET Service Definition")
    def get(self, request, service_code, fmt):
        return Response(services.definition(services.service(service_code)))


POST_FIELDS = [
    OpenApiParameter(name, OpenApiTypes.STR) for name in (
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email", "device_id",
        "account_id", "first_name", "last_name", "phone", "description", "media_url")
]


class Requests(Open311View):
    xml_root = "service_requests"

    @extend_schema(tags=["Open311"], summary="GET Service Requests", responses={200: ARRAY}, parameters=[FORMAT, JURISDICTION] + [
        OpenApiParameter(name, OpenApiTypes.STR) for name in (
            "service_request_id", "service_code", "start_date", "end_date", "status", "updated_after", "updated_before",
            "page", "page_size", "extensions")
    ])
    def get(self, request, fmt):
        extensions = self.params.flag("extensions")
        qs, page, size = found.search(self.params, timezone.now())
        if extensions:
            qs = found.with_notes(qs)
        names = found.unit_names() if extensions else None
        rows = qs[(page - 1) * size: page * size]
        return Response([found.as_request(c, extensions=extensions, unit_names=names) for c in rows])

    @extend_schema(tags=["Open311"], summary="POST Service Request", request={"application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
                   responses={200: ARRAY}, parameters=[FORMAT])
    def post(self, request, fmt):
        form = Params(request.data)
        client = self.client(form)
        data, extras, category = read_request(form, client)
        batch = intake.service_type() == "batch"
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 255:
            raise BadRequest(_("The Idempotency-Key is longer than 255 characters."))
        got = intake.submit(Actor.integration(client.name), data, client=client, key=key, extras=extras, batch=batch,
                            category=category)
        response = Response([self.receipt(got, extras)])
        if got.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    def client(self, form):
        secret = form.text("api_key", limit=200) or self.params.text("api_key", limit=200)
        if not secret:
            raise BadKey(_("Missing api_key -- can't proceed with create_request."))
        client = ApiKey.by_secret_cached(secret)
        if client is None:
            raise BadKey(_("Invalid api_key received -- can't proceed with create_request."))
        return client

    def receipt(self, got, extras):
        row = {"service_notice": notice(got), "account_id": extras.get("account_id") or None}
        if got.case is not None:
            return {"service_request_id": got.case.number} | row
        return {"token": got.submission.token} | row


def notice(got):
    case = got.case
    if case is None:
        return _("Received; the request id will be ready shortly under this token.")
    text = _("Received as case %(number)s.") % {"number": case.number}
    decision = got.decision
    if decision is not None and case.is_open and case.lead_unit_id is None:
        text = then(text, _("Expected to be handled by %(unit)s.") % {"unit": decision.unit.name})
    if case.is_open:
        due = intake.expected_reply(case, got.submission.created_at)
        text = then(text, _("A reply is due by %(due)s.") % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")})
    return text


def then(first, second):
    # English puts a space between sentences, Chinese does not.
    return pgettext("two sentences in a row", "%(first)s %(second)s") % {"first": first, "second": second}


def read_request(form, client):
    """The POST form → the case fields and the extras kept on the submission."""
    code = form.text("service_code", limit=20)
    if not code:
        raise BadRequest(_("service_code was not provided."))
    category = services.service(code)
    attributes = services.read_attributes(form.data)
    lat, lng = form.number("lat"), form.number("long")
    address, address_id = form.text("address_string", limit=200), form.text("address_id", limit=32)
    if (lat is None) != (lng is None):
        raise BadRequest(_("lat and long must be sent together."))
    if lat is None and not address and not address_id:
        raise BadRequest(_("A location is required: lat and long, address_string or address_id."))
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise BadRequest(_("lat must be within ±90 and long within ±180."))
    description = form.text("description", limit=DESCRIPTION_LIMIT, lines=True)
    title = attributes.get("title") or first_line(description) or category.name
    data = {
        "kind": attributes.get("kind", services.DEFAULT_KIND),
        "urgency": attributes.get("urgency", "normal"),
        "confidential": attributes.get("confidential") == "true",
        "channel": client.channel,
        "category": category.code,
        "title": title,
        "text": description or f"{category.path_label}: {address or address_id or f'{lat}, {lng}'}",
        "citizen_name": citizen_name(form),
        "citizen_phone": form.text("phone", limit=20),
        "address": address,
        "lat": lat,
        "lng": lng,
        "external_id": attributes.get("external_id", ""),
    }
    if address_id:
        unit = intake.places.unit_by_code(address_id)
        if unit is None:
            raise BadRequest(_("address_id %(value)s is not a known street, community or grid code.") % {"value": address_id})
        data[unit.kind] = unit.code
    return data, extras_of(form), category


def extras_of(form):
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

    extras = {
        "media_url": form.text("media_url", limit=500), "email": form.text("email", limit=254),
        "device_id": form.text("device_id", limit=100), "account_id": form.text("account_id", limit=100),
    }
    try:
        if extras["media_url"]:
            URLValidator(schemes=["http", "https"])(extras["media_url"])
    except ValidationError:
        raise BadRequest(_("media_url must be an http or https URL.")) from None
    try:
        if extras["email"]:
            EmailValidator()(extras["email"])
    except ValidationError:
        raise BadRequest(_("email is not a valid e-mail address.")) from None
    return extras


def first_line(text):
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:60]


def citizen_name(form):
    first, last = form.text("first_name", limit=50), form.text("last_name", limit=50)
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"  # Chinese order: family name first
    return " ".join(p for p in (first, last) if p)


class RequestDetail(Open311View):
    xml_root = "service_requests"

    @extend_schema(tags=["Open311"], summary="GET Service Request", responses={200: ARRAY},
                   parameters=[FORMAT, JURISDICTION, OpenApiParameter("extensions", OpenApiTypes.STR)])
    def get(self, request, service_request_id, fmt):
        extensions = self.params.flag("extensions")
        qs = found.base_queryset().filter(number=service_request_id)
        case = (found.with_notes(qs) if extensions else qs).first()
        if case is None:
            raise NotFound(_("service_request_id %(value)s not found.") % {"value": service_request_id[:40]})
        names = found.unit_names() if extensions else None
        return Response([found.as_request(case, extensions=extensions, unit_names=names)])


class Token(Open311View):
    xml_root = "service_requests"

    @extend_schema(tags=["Open311"], summary="GET service_request_id from a token", responses={200: ARRAY},
                   parameters=[FORMAT, JURISDICTION])
    def get(self, request, token, fmt):
        row = Submission.objects.filter(token=token).select_related("case").first() if len(token) <= 32 else None
        if row is None:
            raise NotFound(_("token %(value)s not found.") % {"value": token[:40]})
        if row.error:
            raise BadRequest(_("The request could not be made into a case: %(error)s") % {"error": row.error})
        return Response([{"service_request_id": row.case.number if row.case_id else None, "token": row.token}])


def invalid_url(request, rest=""):
    return error_response(request.path, [(400, _("The URL request is invalid; see /open311/v2/discovery.xml."))], 400)

