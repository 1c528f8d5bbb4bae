"""The per-process caches of the intake path (huying/memo.py): a change made
in this process counts at once, one made elsewhere within
LOOKUP_CACHE_SECONDS, and 0 turns the caches off."""

from unittest import mock

from django.contrib.admin.sites import site
from django.test import override_settings

from huying import memo
from huying.api import places
from huying.api.admin import revoke
from huying.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from huying.api.tests.base import ApiTestCase
from huying.cases.models import Case, Category
from huying.routing.models import Rule


class LookupCacheTests(ApiTestCase):
    def post(self, **extra):
        return self.o311_post(**self.report(**extra))

    def revoke_elsewhere(self):
        """As another process would: no signal reaches this one."""
        ApiKey.objects.filter(pk=self.client_key.pk).update(revoked_at=self.now)

    def test_a_key_revoked_here_is_refused_at_once(self):
        self.assertEqual(self.post().status_code, 200)
        ApiKey.objects.get(pk=self.client_key.pk).revoke()
        self.assertEqual(self.post().status_code, 403)

    def test_the_admin_revoke_action_is_refused_at_once(self):
        self.assertEqual(self.post().status_code, 200)
        with mock.patch("huying.api.admin.admin.ModelAdmin.message_user"):
            revoke(site._registry[ApiKey], None, ApiKey.objects.filter(pk=self.client_key.pk))
        self.assertEqual(self.post().status_code, 403)

    def test_a_key_revoked_elsewhere_is_refused_once_the_cache_expires(self):
        self.assertEqual(self.post().status_code, 200)
        self.revoke_elsewhere()
        with mock.patch("huying.memo.time.monotonic", return_value=memo.time.monotonic() + 3600):
            self.assertEqual(self.post().status_code, 403)

    @override_settings(LOOKUP_CACHE_SECONDS=0)
    def test_no_cache_at_zero(self):
        self.assertEqual(self.post().status_code, 200)
        self.revoke_elsewhere()
        self.assertEqual(self.post().status_code, 403)

    def test_an_unknown_key_is_not_remembered(self):
        key = ApiKey(name="new client", channel="city12345")
        secret = key.issue()
        self.assertEqual(self.post(api_key=secret).status_code, 403)
        ApiKey.objects.bulk_create([key])  # as another process would: no signal
        self.assertEqual(self.post(api_key=secret).status_code, 200)

    def test_a_new_webhook_endpoint_gets_the_next_event(self):
        self.assertEqual(self.post().status_code, 200)  # the empty list of endpoints is cached now
        endpoint = WebhookEndpoint.objects.create(name="city", url="http://127.0.0.1:9/hook", events="intake")
        self.assertEqual(self.post(description="另一处垃圾堆放").status_code, 200)
        self.assertEqual(WebhookDelivery.objects.filter(endpoint=endpoint).count(), 1)

    def test_an_endpoint_deleted_or_switched_off_elsewhere_gets_nothing_and_breaks_nothing(self):
        gone = WebhookEndpoint.objects.create(name="gone", url="http://127.0.0.1:9/gone")
        off = WebhookEndpoint.objects.create(name="off", url="http://127.0.0.1:9/off")
        kept = WebhookEndpoint.objects.create(name="kept", url="http://127.0.0.1:9/kept")
        self.assertEqual(self.post().status_code, 200)  # all three are cached now
        # As another process would: no signal reaches this one's cache.
        WebhookEndpoint.objects.filter(pk=off.pk).update(active=False)
        WebhookDelivery.objects.filter(endpoint=gone)._raw_delete(WebhookDelivery.objects.db)
        WebhookEndpoint.objects.filter(pk=gone.pk)._raw_delete(WebhookEndpoint.objects.db)
        before = Case.objects.count()
        self.assertEqual(self.post(description="另一处垃圾堆放").status_code, 200)
        self.assertEqual(Case.objects.count(), before + 1)
        latest = Case.objects.latest("pk").events.get(seq=1)
        self.assertEqual(list(WebhookDelivery.objects.filter(event=latest).values_list("endpoint", flat=True)), [kept.pk])

    def test_a_retired_service_is_refused_at_once(self):
        self.assertEqual(self.post().status_code, 200)
        rubbish = Category.objects.get(pk=self.rubbish.pk)
        rubbish.active = False
        rubbish.save()
        self.assertEqual(self.post().status_code, 404)

    def test_a_changed_rule_counts_at_once(self):
        self.post()
        rule = Rule.objects.get(category=self.rubbish)
        rule.unit = self.housing
        rule.save()
        self.assertEqual(self.post(description="另一处垃圾堆放").status_code, 200)
        submission = Case.objects.latest("pk").submission
        self.assertIn(self.housing.label, submission.note)

    def test_a_place_code_with_a_nul_is_unknown_on_every_database(self):
        self.assertEqual(places.unit_by_code(self.street.code), self.street)
        self.assertIsNone(places.unit_by_code(self.street.code + "\x00"))
