"""Cases and every step of their life.

`GET /cases/` lists what the person may see (`scope.visible_cases`), newest
first; a case outside it is 404, as if it did not exist. `POST /cases/` is
intake (with `Idempotency-Key`); `POST /cases/{number}/{step}/` calls the
step function of the same name, so the rules are the console's: a refusal
is 400 (bad input), 403 (not allowed) or 409 (wrong state, or someone else
changed the case first).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, pagination, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from huying.api import intake
from huying.api.rest import serializers as s
from huying.api.rest.attachments import AttachmentsMixin
from huying.cases import steps
from huying.cases.errors import BadInput, Conflict
from huying.cases.models import OPEN_STATUSES, Case, Channel, Kind, Status
from huying.cases.scope import visible_cases


class Pages(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CaseFilter(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=Status.choices, required=False)
    kind = serializers.ChoiceField(Kind.choices, required=False)
    channel = serializers.ChoiceField(Channel.choices, required=False)
    category = serializers.CharField(required=False, max_length=20, help_text="A category code; its sub-categories count too.")
    lead_unit = serializers.CharField(required=False, max_length=32)
    street = serializers.CharField(required=False, max_length=32)
    open = serializers.BooleanField(required=False, allow_null=True, default=None)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    created_after = serializers.DateTimeField(required=False)
    created_before = serializers.DateTimeField(required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="Number, or words of the title.")


def filtered(qs, params):
    p = params
    if p.get("status"):
        qs = qs.filter(status__in=p["status"])
    for name in ("kind", "channel"):
        if p.get(name):
            qs = qs.filter(**{name: p[name]})
    if p.get("category"):
        qs = qs.filter(category__code__startswith=p["category"])
    if p.get("lead_unit"):
        qs = qs.filter(lead_unit__code=p["lead_unit"])
    if p.get("street"):
        qs = qs.filter(street__code=p["street"])
    if p.get("open") is not None:
        qs = qs.filter(status__in=OPEN_STATUSES) if p["open"] else qs.exclude(status__in=OPEN_STATUSES)
    if p.get("overdue"):
        qs = qs.filter(status__in=OPEN_STATUSES, reply_due__lt=timezone.now())
    if p.get("created_after"):
        qs = qs.filter(created_at__gte=p["created_after"])
    if p.get("created_before"):
        qs = qs.filter(created_at__lt=p["created_before"])
    if p.get("q"):
        qs = qs.filter(number=p["q"]) | qs.filter(title__contains=p["q"])
    return qs


def run(name, serializer_class, call):
    """A step endpoint: check the input, call the step, return the case."""

    def step(self, request, number=None):
        case = self.get_object()
        given = serializer_class(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if data.get("version") not in (None, case.version):
            raise Conflict(_("Case %(number)s changed since you read it (version %(seen)s, now %(now)s).")
                           % {"number": case.number, "seen": data["version"], "now": case.version})
        call(case, request.user, data)
        return Response(self.get_serializer(self.get_queryset().get(pk=case.pk)).data)

    # "step_dispatch", not "dispatch": that name is the view's own entry
    # point. Named before `action` records the name for the router.
    step.__name__ = attribute(name)
    step = action(detail=True, methods=["post"], url_path=name, url_name=name)(step)
    return extend_schema(request=serializer_class, responses={200: s.CaseSerializer}, summary=_step_summary(name), tags=["steps"])(step)


def attribute(name):
    return "step_" + name.replace("-", "_")


def _step_summary(name):
    return f"Step: {name.replace('-', ' ')}"


def merge_into(case, user, d):
    into = visible_cases(user).filter(number=d["into"]).first()
    if into is None:
        raise BadInput(_("No case %(number)s that you can see.") % {"number": d["into"]})
    steps.merge(case, user, into=into, reason=d.get("reason", ""))


STEPS = {
    "dispatch": (s.DispatchIn, lambda c, u, d: steps.dispatch(c, u, lead=d["lead"], co_units=d.get("co_units", []), reason=d.get("reason", ""))),
    "dispatch-down": (s.DispatchDownIn, lambda c, u, d: steps.dispatch_down(c, u, to=d["to"], reason=d.get("reason", ""))),
    "accept": (s.VersionIn, lambda c, u, d: steps.accept(c, u)),
    "return": (s.ReasonIn, lambda c, u, d: steps.request_return(c, u, reason=d.get("reason", ""))),
    "approve-return": (s.ReasonIn, lambda c, u, d: steps.approve_return(c, u, reason=d.get("reason", ""))),
    "reject-return": (s.ReasonIn, lambda c, u, d: steps.reject_return(c, u, reason=d.get("reason", ""))),
    "request-extension": (s.ExtensionIn, lambda c, u, d: steps.request_extension(c, u, days=d["days"], reason=d.get("reason", ""))),
    "approve-extension": (s.ReasonIn, lambda c, u, d: steps.approve_extension(c, u, reason=d.get("reason", ""))),
    "reject-extension": (s.ReasonIn, lambda c, u, d: steps.reject_extension(c, u, reason=d.get("reason", ""))),
    "reply": (s.TextIn, lambda c, u, d: steps.reply(c, u, text=d["text"])),
    "contribute": (s.TextIn, lambda c, u, d: steps.contribute(c, u, text=d["text"])),
    "follow-up": (s.FollowUpIn, lambda c, u, d: steps.follow_up(c, u, resolved=d["resolved"], satisfaction=d["satisfaction"],
                                                                note=d.get("note", ""))),
    "reopen": (s.ReasonIn, lambda c, u, d: steps.reopen(c, u, reason=d.get("reason", ""))),
    "review": (s.ReviewIn, lambda c, u, d: steps.review(c, u, reasonable=d["reasonable"], reason=d.get("reason", ""))),
    "close": (s.ReasonIn, lambda c, u, d: steps.close(c, u, reason=d.get("reason", ""))),
    "urge": (s.MessageIn, lambda c, u, d: steps.urge(c, u, message=d.get("message", ""))),
    "supervise": (s.SuperviseIn, lambda c, u, d: steps.supervise(c, u, message=d.get("message", ""),
                                                                 **({"days": d["days"]} if "days" in d else {}))),
    "merge": (s.MergeIn, merge_into),
}

IDEMPOTENCY = OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
                               description="A retry with the same key returns the first case, never a second one.")


@extend_schema_view(
    list=extend_schema(parameters=[CaseFilter], summary="Cases you may see"),
    retrieve=extend_schema(summary="One case"),
    create=extend_schema(request=s.IntakeSerializer, responses={201: s.CaseSerializer}, parameters=[IDEMPOTENCY], summary="Intake"),
)
class CaseViewSet(AttachmentsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    lookup_field = "number"
    lookup_value_regex = "[A-Za-z0-9]+"
    pagination_class = Pages
    queryset = Case.objects.none()

    def get_queryset(self):
        qs = Case.objects.select_related(
            "category__parent__parent", "lead_unit", "street", "community", "grid", "dispatched_by", "main_case",
        ).prefetch_related("co_units")
        return visible_cases(self.request.user, qs).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return s.CaseBrief if self.action == "list" else s.CaseSerializer

    def list(self, request, *args, **kwargs):
        params = CaseFilter(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(filtered(self.get_queryset(), params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        given = s.IntakeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 255:
            raise ValidationError({"Idempotency-Key": _("At most 255 characters.")})
        with transaction.atomic():
            got = intake.submit(request.user, given.as_payload(), user=request.user, key=key)
        case = self.get_queryset().filter(pk=got.case.pk).first() or got.case
        response = Response(s.CaseSerializer(case, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)
        if got.replayed:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(responses={200: s.EventSerializer(many=True)}, summary="The case's history")
    # The whole history in one list: a case has tens of events, not thousands.
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, number=None):
        case = self.get_object()
        rows = case.events.select_related("actor_unit").order_by("seq")
        return Response(s.EventSerializer(rows, many=True, context={"request": request, "case": case}).data)


for _name, (_serializer, _call) in STEPS.items():
    setattr(CaseViewSet, attribute(_name), run(_name, _serializer, _call))
