"""Outgoing webhooks against a local HTTP server on 127.0.0.1: every case
event queued in its own transaction, signed with HMAC-SHA256, retried with
exponential back-off, every try recorded; never the citizen's name or phone."""

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import transaction
from django.test import override_settings

from huying.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from huying.api.webhooks import signing
from huying.api.webhooks.deliver import backoff, claim, deliver_webhooks
from huying.sla import worker
from huying.test import BaseTestCase


class Receiver:
    """A tiny HTTP server that records what it is sent and answers with `statuses` in turn."""

    def __init__(self, statuses=(200,), location=None):
        self.statuses, self.received, self.location = list(statuses), [], location
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                if outer.location:
                    self.send_header("Location", outer.location)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OutboxTest(BaseTestCase):
    def test_every_event_is_queued_for_matching_endpoints(self):
        everything = WebhookEndpoint.objects.create(name="all", url="http://127.0.0.1:9/")
        closes = WebhookEndpoint.objects.create(name="closes", url="http://127.0.0.1:9/", events="close, reply")
        WebhookEndpoint.objects.create(name="off", url="http://127.0.0.1:9/", active=False)
        case = self.replied_case()
        self.assertEqual(WebhookDelivery.objects.filter(endpoint=everything).count(), 4)
        self.assertEqual([d.event.action for d in WebhookDelivery.objects.filter(endpoint=closes)], ["reply"])
        self.assertEqual(WebhookDelivery.objects.filter(endpoint__active=False).count(), 0)
        self.assertTrue(all(d.next_attempt_at == self.now for d in WebhookDelivery.objects.all()))
        self.assertEqual(case.status, "replied")

    def test_a_rolled_back_event_is_never_announced(self):
        WebhookEndpoint.objects.create(name="all", url="http://127.0.0.1:9/")
        try:
            with transaction.atomic():
                self.new_case()
                raise RuntimeError("undo")
        except RuntimeError:
            pass
        self.assertEqual(WebhookDelivery.objects.count(), 0)

    def test_no_endpoints_no_rows(self):
        self.new_case()
        self.assertEqual(WebhookDelivery.objects.count(), 0)


class DeliveryTest(BaseTestCase):
    def endpoint(self, url):
        return WebhookEndpoint.objects.create(name="city", url=url, events="dispatch")

    def test_signed_delivery(self):
        with Receiver() as receiver:
            endpoint = self.endpoint(receiver.url)
            case = self.dispatched_case()
            self.assertEqual(deliver_webhooks(self.now), 1)
        [(headers, body)] = receiver.received
        self.assertTrue(signing.verify(endpoint.secret, body, headers[signing.HEADER], now=self.now.timestamp()))
        self.assertFalse(signing.verify("wrong secret", body, headers[signing.HEADER], now=self.now.timestamp()))
        self.assertFalse(signing.verify(endpoint.secret, body + b" ", headers[signing.HEADER], now=self.now.timestamp()))
        self.assertFalse(signing.verify(endpoint.secret, body, headers[signing.HEADER], now=self.now.timestamp() + 3600))
        self.assertEqual(headers["X-Huying-Event"], "dispatch")
        payload = json.loads(body)
        self.assertEqual((payload["event"], payload["case"], payload["seq"]), ("dispatch", case.number, 2))
        self.assertEqual(payload["changes"]["lead_unit"], self.street.pk)
        delivery = WebhookDelivery.objects.get()
        self.assertEqual((delivery.state, delivery.attempts, delivery.delivered_at), ("delivered", 1, self.now))
        [attempt] = delivery.tries.all()
        self.assertEqual(attempt.status_code, 200)
        self.assertEqual(deliver_webhooks(self.now + dt.timedelta(hours=1)), 0)  # delivered once only

    def test_personal_data_is_never_sent(self):
        with Receiver() as receiver:
            WebhookEndpoint.objects.create(name="all", url=receiver.url)
            self.new_case()
            deliver_webhooks(self.now)
        [(_headers, body)] = receiver.received
        text = body.decode()
        self.assertNotIn("张三", text)
        self.assertNotIn("13812345678", text)
        self.assertEqual(json.loads(body)["event"], "intake")

    @override_settings(WEBHOOK_BACKOFF_SECONDS=30, WEBHOOK_MAX_ATTEMPTS=4)
    def test_retries_with_exponential_backoff_then_gives_up(self):
        with Receiver(statuses=[500]) as receiver:
            self.endpoint(receiver.url)
            self.dispatched_case()
            t = self.now
            waits = []
            for _ in range(4):
                delivery = WebhookDelivery.objects.get()
                self.assertEqual(deliver_webhooks(t - dt.timedelta(seconds=1)), 0, "not before it is due")
                deliver_webhooks(t)
                delivery.refresh_from_db()
                if delivery.next_attempt_at:
                    waits.append((delivery.next_attempt_at - t).total_seconds())
                    t = delivery.next_attempt_at
        self.assertEqual(waits, [30, 60, 120])
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 4))
        self.assertEqual(len(receiver.received), 4)
        self.assertEqual([a.status_code for a in WebhookAttempt.objects.all()], [500] * 4)

    @override_settings(WEBHOOK_BACKOFF_SECONDS=30)
    def test_recovers_after_a_failure(self):
        with Receiver(statuses=[503, 204]) as receiver:
            self.endpoint(receiver.url)
            self.dispatched_case()
            deliver_webhooks(self.now)
            deliver_webhooks(self.now + dt.timedelta(seconds=30))
        delivery = WebhookDelivery.objects.get()
        self.assertEqual((delivery.state, delivery.attempts), ("delivered", 2))
        self.assertEqual([a.ok for a in delivery.tries.all()], [False, True])

    def test_unreachable_and_redirect_are_failures_on_record(self):
        self.endpoint(f"http://127.0.0.1:{closed_port()}/hook")
        self.dispatched_case()
        deliver_webhooks(self.now)
        attempt = WebhookAttempt.objects.get()
        self.assertIsNone(attempt.status_code)
        self.assertTrue(attempt.error)
        with Receiver(statuses=[302], location="http://example.invalid/") as receiver:
            WebhookEndpoint.objects.update(url=receiver.url)
            deliver_webhooks(self.now + dt.timedelta(hours=1))
        self.assertEqual(WebhookAttempt.objects.last().status_code, 302)
        self.assertEqual(WebhookDelivery.objects.get().state, "pending")

    def test_backoff_is_capped(self):
        self.assertEqual(backoff(1), dt.timedelta(seconds=30))
        self.assertEqual(backoff(30), dt.timedelta(hours=6))

    def test_a_claimed_delivery_is_not_sent_twice(self):
        self.endpoint("http://127.0.0.1:9/")
        self.dispatched_case()
        delivery = WebhookDelivery.objects.get()
        self.assertEqual(claim(delivery, self.now), 1)
        self.assertEqual(claim(delivery, self.now), 0)  # the second worker loses

    def test_the_worker_runs_it(self):
        self.assertIn(deliver_webhooks, worker.JOBS)
        with Receiver() as receiver:
            self.endpoint(receiver.url)
            self.dispatched_case()
            counts = worker.tick(self.now)
        self.assertEqual(counts["deliver_webhooks"], 1)
        self.assertEqual(len(receiver.received), 1)

    def test_deliveries_of_a_disabled_endpoint_wait(self):
        endpoint = self.endpoint("http://127.0.0.1:9/")
        self.dispatched_case()
        endpoint.active = False
        endpoint.save()
        self.assertEqual(deliver_webhooks(self.now), 0)
        self.assertEqual(WebhookAttempt.objects.count(), 0)
