"""Who may talk to Huying from outside, what came in, and who is told.

- `ApiKey`: one per client system (city 12345 platform, sensor network,
  mobile app); Open311 `POST requests` needs one.
- `PersonalToken`: a person's token for `/api/v1/`; it acts as that person,
  within their units' scope.
- `Submission`: one intake through an API, with the keys that make a retry
  return the first result instead of a second case.
- `WebhookEndpoint`, `WebhookDelivery`, `WebhookAttempt`: the outbox of case
  events for other systems, and every try at delivering them.

Only digests of keys and tokens are stored (see `keys.py`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huying import memo
from huying.api import keys
from huying.cases.models import Case, Channel, Event

CLIENT_CHANNELS = [(c.value, c.label) for c in (Channel.API, Channel.SENSOR, Channel.CITY)]


class ActiveSecretQuerySet(models.QuerySet):
    def by_secret(self, secret):
        """The unrevoked row the secret belongs to, or None."""
        if not secret or len(secret) > 200:
            return None
        return self.filter(key_hash=keys.digest(secret), revoked_at__isnull=True).first()


class Secret(models.Model):
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveSecretQuerySet.as_manager()
    KIND = ""

    class Meta:
        abstract = True

    def issue(self):
        """Give this row a new secret; returns it. Only its digest is kept."""
        secret = keys.new_secret(self.KIND)
        self.prefix, self.key_hash = keys.prefix(secret), keys.digest(secret)
        return secret

    @property
    def active(self):
        return self.revoked_at is None

    def revoke(self, now=None):
        if self.revoked_at is None:
            self.revoked_at = now or timezone.now()
            self.save(update_fields=["revoked_at"])


class ApiKey(Secret):
    KIND = "hyk"
    channel = models.CharField(max_length=12, choices=CLIENT_CHANNELS, default=Channel.API,
                               help_text=_("The channel its cases arrive by."))

    class Meta:
        verbose_name = _("API key")
        constraints = [models.UniqueConstraint(fields=["name"], name="api_key_name_unique")]

    def __str__(self):
        return self.name

    @classmethod
    def by_secret_cached(cls, secret):
        """`by_secret` through the process's cache: one lookup per key per
        LOOKUP_CACHE_SECONDS, so a revoked key stops working on other web
        processes within that time (at once on this one)."""
        if not secret or len(secret) > 200:
            return None
        return ACTIVE_KEYS.get(keys.digest(secret), active_key)


ACTIVE_KEYS = memo.Memo("api_keys")


def active_key(digest):
    return ApiKey.objects.filter(key_hash=digest, revoked_at__isnull=True).first()


class PersonalToken(Secret):
    KIND = "hyt"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("personal API token")

    def __str__(self):
        return f"{self.user} · {self.name}"


def new_token():
    return secrets.token_hex(16)


class Submission(models.Model):
    """One case received through an API.

    `idempotency_key` (the `Idempotency-Key` header) and `external_id` (the
    client's own id for the request) are unique per client, so a retry finds
    this row and gets its case back. `token` answers Open311 `tokens/{token}`;
    in batch mode the case is made later by the worker from `payload`.
    """

    client = models.ForeignKey(ApiKey, models.PROTECT, null=True, blank=True, related_name="submissions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    idempotency_key = models.CharField(max_length=255, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    case = models.OneToOneField(Case, models.PROTECT, null=True, blank=True, related_name="submission")
    payload = models.JSONField(default=dict)
    media_url = models.URLField(max_length=500, blank=True)
    # Contact details Open311 clients may send; kept for the centre, never published.
    email = models.EmailField(blank=True)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True, help_text=_("How the place and the responsible unit were found."))
    created_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="client_idempotency_key_once",
                                    condition=Q(client__isnull=False) & ~Q(idempotency_key="")),
            models.UniqueConstraint(fields=["user", "idempotency_key"], name="user_idempotency_key_once",
                                    condition=Q(user__isnull=False) & ~Q(idempotency_key="")),
            models.UniqueConstraint(fields=["client", "external_id"], name="client_external_id_once",
                                    condition=Q(client__isnull=False) & ~Q(external_id="")),
        ]
        indexes = [models.Index(fields=["processed_at"], name="submission_pending")]

    def __str__(self):
        return self.token


def new_webhook_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    """A URL told about case events, signed with its own secret."""

    name = models.CharField(max_length=100)
    url = models.URLField(max_length=500)
    # Needed in clear to sign each delivery (HMAC), unlike API keys.
    secret = models.CharField(max_length=100, default=new_webhook_secret)
    # Comma-separated event actions (intake, dispatch, reply, close …); empty means all.
    events = models.CharField(max_length=500, blank=True, help_text=_("Comma-separated actions; empty for all."))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")

    def __str__(self):
        return self.name

    def wants(self, action):
        wanted = {a.strip() for a in self.events.split(",") if a.strip()}
        return not wanted or action in wanted


class WebhookDelivery(models.Model):
    """One event for one endpoint; tried until it succeeds or runs out of tries."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    STATES = [(PENDING, _("Pending")), (DELIVERED, _("Delivered")), (FAILED, _("Failed"))]

    endpoint = models.ForeignKey(WebhookEndpoint, models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=STATES, default=PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"{self.endpoint} · {self.event}"


class WebhookAttempt(models.Model):
    """One HTTP try at a delivery, kept for the record."""

    delivery = models.ForeignKey(WebhookDelivery, models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    response = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def ok(self):
        return self.status_code is not None and 200 <= self.status_code < 300
