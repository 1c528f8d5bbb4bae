"""Units, categories, the person's inbox and figures, their tokens, and the
deployment's webhooks (administrators only)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from huying.api.models import PersonalToken, WebhookEndpoint
from huying.api.rest import figures as figures_of
from huying.api.rest import inbox as inbox_of
from huying.api.rest import serializers as s
from huying.api.rest.cases import Pages
from huying.cases.models import Category, Notification
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit


def is_admin(user):
    return user.is_superuser or people.has_role(user, M.ADMIN)


class IsAdmin(permissions.BasePermission):
    message = _("Only an administrator can manage webhooks.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and is_admin(request.user))


class HasUnit(permissions.BasePermission):
    """Figures are for people who work in a unit (and administrators)."""

    message = _("Figures are for people who work in a unit.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (is_admin(user) or people.memberships(user)))


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """The unit tree: dispatch targets and places. Everyone signed in may read it."""

    serializer_class = s.UnitSerializer
    queryset = Unit.objects.select_related("parent").order_by("path")
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = Pages


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.CategorySerializer
    queryset = Category.objects.select_related("parent__parent").order_by("code")
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    pagination_class = Pages


class Inbox(APIView):
    @extend_schema(responses={200: s.InboxSerializer}, summary="What waits for you")
    def get(self, request):
        data = {"todo": inbox_of.todo_of(request.user), "notifications": inbox_of.notifications_of(request.user)}
        return Response(s.InboxSerializer(data, context={"request": request}).data)


class NotificationRead(APIView):
    @extend_schema(request=None, responses={200: s.NotificationSerializer}, summary="Mark a notification read")
    def post(self, request, pk):
        units = [m.unit_id for m in people.memberships(request.user)]
        note = Notification.objects.filter(pk=pk, unit_id__in=units).select_related("unit", "case").first()
        if note is None:
            return Response({"detail": _("No such notification for your units."), "code": "not_found"}, status=404)
        if note.read_at is None:
            note.read_at = timezone.now()
            note.save(update_fields=["read_at"])
        return Response(s.NotificationSerializer(note).data)


FIRST_YEAR, LAST_YEAR = 1970, 9998


class FiguresQuery(serializers.Serializer):
    start = serializers.DateTimeField(required=False, help_text="Default: 30 days ago.")
    end = serializers.DateTimeField(required=False, help_text="Default: now.")

    def validate(self, data):
        for name in ("start", "end"):
            # Before 1970 no hotline kept cases; such years also come back
            # with local mean time offsets (+08:05:43) that are not ISO 8601.
            if data.get(name) and not FIRST_YEAR <= data[name].year <= LAST_YEAR:
                raise serializers.ValidationError({name: _("Give a time between %(first)d and %(last)d.") % {
                    "first": FIRST_YEAR, "last": LAST_YEAR}})
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise serializers.ValidationError(_("end must be after start."))
        return data


class Figures(APIView):
    permission_classes = [HasUnit]

    @extend_schema(parameters=[FiguresQuery], responses={200: s.FiguresSerializer}, summary="Counts and the three rates")
    def get(self, request):
        query = FiguresQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        end = query.validated_data.get("end", now)
        start = query.validated_data.get("start", end - dt.timedelta(days=30))
        return Response(s.FiguresSerializer(figures_of.figures(request.user, start, end, now)).data)


class Me(APIView):
    @extend_schema(responses={200: s.MeSerializer}, summary="Who you are, your units and roles")
    def get(self, request):
        user = request.user
        data = {
            "username": user.get_username(), "name": user.get_full_name() or user.get_username(), "is_admin": is_admin(user),
            "memberships": [{"unit": m.unit, "role": m.role} for m in people.memberships(user)],
        }
        return Response(s.MeSerializer(data).data)


class TokenViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Your own API tokens. The token is shown once, when it is made."""

    serializer_class = s.TokenSerializer
    queryset = PersonalToken.objects.none()

    def get_queryset(self):
        return PersonalToken.objects.filter(user=self.request.user, revoked_at__isnull=True).order_by("-created_at")

    @extend_schema(request=s.TokenSerializer, responses={201: s.NewTokenSerializer})
    def create(self, request, *args, **kwargs):
        given = s.TokenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        token = PersonalToken(user=request.user, name=given.validated_data["name"])
        secret = token.issue()
        token.save()
        data = s.NewTokenSerializer(token).data | {"token": secret}
        return Response(data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        instance.revoke()


class WebhookViewSet(viewsets.ModelViewSet):
    serializer_class = s.WebhookEndpointSerializer
    permission_classes = [IsAdmin]
    queryset = WebhookEndpoint.objects.order_by("pk")
    pagination_class = Pages

    @extend_schema(responses={200: s.DeliverySerializer(many=True)}, summary="Recent deliveries and every try")
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        endpoint = self.get_object()
        rows = endpoint.deliveries.select_related("event__case").prefetch_related("tries")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.DeliverySerializer(page, many=True).data)
