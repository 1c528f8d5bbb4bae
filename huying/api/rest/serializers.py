"""What the REST API reads and writes.

Units and categories are named by their codes (official division codes for
streets and communities), cases by their numbers. A citizen's name and
phone are shown as `privacy.person` allows the person asking.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huying.api.models import PersonalToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from huying.cases import attachments, privacy
from huying.cases.models import Attachment, Case, Category, Channel, Event, Kind, Notification, Satisfaction, Urgency
from huying.org.models import Unit

PERSONAL_CHANGES = ("citizen_name", "citizen_phone")


VERSION_HELP = gettext_lazy("The case version you saw; refused with 409 if it changed.")


class UnitRef(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind"]


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "short", "kind", "parent", "active"]


class CategoryRef(serializers.ModelSerializer):
    path = serializers.CharField(source="path_label", read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "path"]


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    path = serializers.CharField(source="path_label", read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "path", "level", "parent", "keywords", "active"]


class PersonMixin(serializers.Serializer):
    citizen_name = serializers.SerializerMethodField()
    citizen_phone = serializers.SerializerMethodField()

    def person(self, case):
        cache = self.context.setdefault("_people", {})
        if case.pk not in cache:
            cache[case.pk] = privacy.person(self.context["request"].user, case)
        return cache[case.pk]

    def get_citizen_name(self, case) -> str:
        return self.person(case)[0]

    def get_citizen_phone(self, case) -> str:
        return self.person(case)[1]


class CaseBrief(PersonMixin, serializers.ModelSerializer):
    category = CategoryRef(read_only=True, allow_null=True)
    lead_unit = UnitRef(read_only=True, allow_null=True)
    street = UnitRef(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = ["number", "status", "kind", "channel", "urgency", "category", "title", "citizen_name", "citizen_phone",
                  "address", "street", "lead_unit", "created_at", "accept_due", "reply_due", "version"]


class CaseSerializer(CaseBrief):
    community = UnitRef(read_only=True, allow_null=True)
    grid = UnitRef(read_only=True, allow_null=True)
    co_units = UnitRef(many=True, read_only=True)
    dispatched_by = UnitRef(read_only=True, allow_null=True)
    main_case = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = CaseBrief.Meta.fields + [
            "text", "lat", "lng", "community", "grid", "confidential", "co_units", "dispatched_by",
            "dispatched_at", "accepted_at", "replied_at", "closed_at", "urge_at", "supervise_at", "followup_due",
            "urge_count", "supervised", "supervise_due", "reopen_count", "extension_days", "extension_reason",
            "extension_count", "return_reason", "reply_text", "resolved", "satisfaction", "rating_excluded",
            "main_case", "external_id",
        ]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    actor_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["seq", "at", "action", "actor", "actor_unit", "reason", "changes"]

    def get_actor(self, event) -> str:
        """Who did it; a citizen acting on their own case is 'citizen', as in the console."""
        return privacy.actor_shown(self.context["case"], event)

    def get_changes(self, event) -> dict:
        """The change as recorded, with the citizen masked as for the case."""
        changes = dict(event.changes)
        if any(k in changes for k in PERSONAL_CHANGES):
            name, phone = privacy.person(self.context["request"].user, self.context["case"])
            for key, value in (("citizen_name", name), ("citizen_phone", phone)):
                if changes.get(key):
                    changes[key] = value
        return changes


class AttachmentSerializer(serializers.ModelSerializer):
    """A photo of a case: what it is, which event brought it, where to get it."""

    event = serializers.IntegerField(source="event.seq", allow_null=True, read_only=True,
                                     help_text=gettext_lazy("The seq of the case event that brought the photo."))
    action = serializers.CharField(source="event.action", allow_null=True, read_only=True,
                                   help_text=gettext_lazy("intake, reply, or attach (a photo added on its own)."))
    note = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "event", "action", "note", "download_url"]

    def get_note(self, attachment) -> str:
        """The note given with a photo added on its own; empty otherwise."""
        event = attachment.event
        return event.reason if event is not None and event.action == attachments.ATTACH else ""

    def get_download_url(self, attachment) -> str:
        path = reverse("api:case-attachment-download", args=[attachment.case.number, attachment.pk])
        return self.context["request"].build_absolute_uri(path)


class AttachmentIn(serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("One photo: JPEG, PNG or WebP, at most UPLOAD_MAX_BYTES."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=attachments.MAX_NOTE)
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class CodeField(serializers.SlugRelatedField):
    """A unit or category by its code. A code with a NUL character names
    nothing (PostgreSQL cannot even compare such a string)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\0")[:40])
        return super().to_internal_value(data)


def unit_field(**kwargs):
    return CodeField(slug_field="code", queryset=Unit.objects.filter(active=True), **kwargs)


class IntakeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(Kind.choices)
    channel = serializers.ChoiceField(Channel.choices)
    category = CodeField(slug_field="code", queryset=Category.objects.all(), required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=4000)
    citizen_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    citizen_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    street = unit_field(required=False, allow_null=True)
    community = unit_field(required=False, allow_null=True)
    grid = unit_field(required=False, allow_null=True)
    urgency = serializers.ChoiceField(Urgency.choices, required=False)
    confidential = serializers.BooleanField(required=False)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, data):
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise serializers.ValidationError(_("lat and lng must be given together."))
        return data

    def as_payload(self):
        """Plain JSON values (codes), as `huying.api.intake.submit` takes them."""
        out = {}
        for key, value in self.validated_data.items():
            out[key] = value.code if isinstance(value, (Unit, Category)) else value
        return out


class VersionIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class ReasonIn(VersionIn):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DispatchIn(ReasonIn):
    lead = unit_field()
    co_units = unit_field(many=True, required=False)


class DispatchDownIn(ReasonIn):
    to = unit_field()


class ExtensionIn(ReasonIn):
    days = serializers.IntegerField(min_value=1, max_value=365)


class TextIn(VersionIn):
    text = serializers.CharField(max_length=4000)


class FollowUpIn(VersionIn):
    resolved = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(Satisfaction.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewIn(ReasonIn):
    reasonable = serializers.BooleanField()


class MessageIn(VersionIn):
    message = serializers.CharField(required=False, allow_blank=True, max_length=300)


class SuperviseIn(MessageIn):
    days = serializers.IntegerField(required=False, min_value=1, max_value=365)


class MergeIn(ReasonIn):
    into = serializers.CharField(max_length=20)


class NotificationSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "unit", "case", "text", "created_at", "read_at"]


class TodoSerializer(serializers.Serializer):
    todo = serializers.CharField()
    case = CaseBrief()


class InboxSerializer(serializers.Serializer):
    todo = TodoSerializer(many=True)
    notifications = NotificationSerializer(many=True)


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text=gettext_lazy("Shown once; only its digest is kept."))

    class Meta(TokenSerializer.Meta):
        fields = TokenSerializer.Meta.fields + ["token"]


class MembershipOut(serializers.Serializer):
    unit = UnitRef()
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    is_admin = serializers.BooleanField()
    memberships = MembershipOut(many=True)


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "events", "active", "secret", "created_at"]
        read_only_fields = ["secret", "created_at"]

    def validate_url(self, value):
        if not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError(_("Only http and https URLs can be called."))
        return value


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["at", "status_code", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="event.case.number")
    action = serializers.CharField(source="event.action")
    tries = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = ["id", "case", "action", "state", "attempts", "next_attempt_at", "created_at", "delivered_at", "tries"]


class RatesSerializer(serializers.Serializer):
    unit = UnitRef()
    cases = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rated = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    resolution_rate = serializers.FloatField(allow_null=True)
    satisfaction_rate = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)


@extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
class CountsField(serializers.DictField):
    pass


class FiguresSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    total = serializers.IntegerField()
    by_status = CountsField()
    by_channel = CountsField()
    units = RatesSerializer(many=True)
