"""A retry never makes a second case: Idempotency-Key (Open311 and REST) and
the client's external id; the same key with another request is refused;
two identical requests at the same moment make one case."""

import threading
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase

from huying.api import intake
from huying.api.models import ApiKey, Submission
from huying.api.tests.base import ApiTestCase, as_json
from huying.cases.actors import Actor
from huying.cases.models import Case
from huying.test import Actors, forget_caches


class Open311IdempotencyTest(ApiTestCase):
    def test_same_key_same_case(self):
        first = self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        again = self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        self.assertEqual(as_json(first), as_json(again))
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertNotIn("Idempotent-Replayed", first)
        self.assertEqual(Case.objects.count(), 1)

    def test_replay_in_the_other_format(self):
        first = as_json(self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report()))
        again = self.o311_post("xml", headers={"Idempotency-Key": "k-1"}, **self.report())
        self.assertIn(first[0]["service_request_id"].encode(), again.content)
        self.assertEqual(Case.objects.count(), 1)

    def test_other_key_other_case(self):
        self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        self.o311_post(headers={"Idempotency-Key": "k-2"}, **self.report())
        self.assertEqual(Case.objects.count(), 2)

    def test_no_key_no_protection(self):
        self.o311_post(**self.report())
        self.o311_post(**self.report())
        self.assertEqual(Case.objects.count(), 2)

    def test_same_key_different_request_is_refused(self):
        self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        response = self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report(description="另一件事"))
        self.assertEqual(response.status_code, 400)
        [error] = as_json(response)
        self.assertEqual(error["code"], 409)
        self.assertIn("k-1", error["description"])
        self.assertEqual(Case.objects.count(), 1)

    def test_keys_belong_to_one_client(self):
        other = ApiKey(name="other")
        secret = other.issue()
        other.save()
        self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report(api_key=secret))
        self.assertEqual(Case.objects.count(), 2)

    def test_external_id(self):
        first = as_json(self.o311_post(**self.report(**{"attribute[external_id]": "GZ12345-0001"})))
        # The city platform sends it again, even with a newer text: still one case.
        again = as_json(self.o311_post(**self.report(**{"attribute[external_id]": "GZ12345-0001", "description": "补充"})))
        self.assertEqual(first[0]["service_request_id"], again[0]["service_request_id"])
        self.assertEqual(Case.objects.get().external_id, "GZ12345-0001")

    def test_failed_request_can_be_retried_with_the_same_key(self):
        self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report(phone="bad phone"))
        self.assertEqual(Submission.objects.count(), 0)
        response = self.o311_post(headers={"Idempotency-Key": "k-1"}, **self.report())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Case.objects.count(), 1)

    def test_overlong_key(self):
        self.assertEqual(self.o311_post(headers={"Idempotency-Key": "k" * 256}, **self.report()).status_code, 400)


class RestIdempotencyTest(ApiTestCase):
    body = {"kind": "complaint", "channel": "phone", "title": "噪音", "text": "夜间施工噪音"}

    def test_same_key_same_case(self):
        api = self.api("operator")
        first = api.post("/api/v1/cases/", self.body, format="json", headers={"Idempotency-Key": "abc"})
        again = api.post("/api/v1/cases/", self.body, format="json", headers={"Idempotency-Key": "abc"})
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json()["number"], again.json()["number"])
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Case.objects.count(), 1)

    def test_key_reused_for_another_request(self):
        api = self.api("operator")
        api.post("/api/v1/cases/", self.body, format="json", headers={"Idempotency-Key": "abc"})
        response = api.post("/api/v1/cases/", self.body | {"title": "别的"}, format="json", headers={"Idempotency-Key": "abc"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["code"], "conflict")

    def test_keys_are_per_person(self):
        self.api("operator").post("/api/v1/cases/", self.body, format="json", headers={"Idempotency-Key": "abc"})
        self.api("dispatcher").post("/api/v1/cases/", self.body, format="json", headers={"Idempotency-Key": "abc"})
        self.assertEqual(Case.objects.count(), 2)


class ConcurrentRetryTest(Actors, TransactionTestCase):
    """Two identical requests racing on real threads and connections."""

    def setUp(self):
        forget_caches()
        self.build_world()
        self.key = ApiKey(name="sensors", channel="sensor")
        self.key.issue()
        self.key.save()

    def test_one_case(self):
        data = {"kind": "help", "channel": "sensor", "title": "井盖移位", "text": "传感器报警", "category": "02.01.01"}
        barrier = threading.Barrier(2)
        results, errors = [], []
        real_earlier = intake.earlier
        calls = []

        def slow_earlier(*args):
            found = real_earlier(*args)
            calls.append(found)
            if len(calls) <= 2:
                barrier.wait(timeout=10)  # both have looked and found nothing
            return found

        def send():
            try:
                results.append(intake.submit(Actor.integration("sensors"), data, client=self.key, key="same"))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connection.close()

        with mock.patch.object(intake, "earlier", side_effect=slow_earlier):
            threads = [threading.Thread(target=send) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(Case.objects.count(), 1)
        self.assertEqual({r.case.pk for r in results}, {Case.objects.get().pk})
        self.assertEqual(sorted(r.replayed for r in results), [False, True])
        self.assertEqual(calls[:2], [None, None], "both requests raced past the first look")
