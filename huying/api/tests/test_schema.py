"""The OpenAPI schema at /api/schema/, its offline docs, and schemathesis
over every operation of it, in-process against the WSGI app: a bounded
number of generated requests per operation (valid and invalid), and not
one may get a server error."""

import shutil
import tempfile

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from huying.api.tests.base import ApiTestCase

EXAMPLES = 6


class SchemaTest(ApiTestCase):
    def test_schema_and_docs_are_served_without_the_network(self):
        schema = self.client.get("/api/schema/?format=json").json()
        self.assertIn("/api/v1/cases/{number}/dispatch/", schema["paths"])
        self.assertIn("multipart/form-data", schema["paths"]["/api/v1/cases/{number}/attachments/"]["post"]["requestBody"]["content"])
        self.assertIn("/open311/v2/requests.{fmt}", "".join(schema["paths"]) or "")
        docs = self.client.get("/api/docs/").content.decode()
        self.assertNotIn("cdn.", docs)
        self.assertIn("swagger-ui", docs)
        self.assertNotIn("cdn.", self.client.get("/api/redoc/").content.decode())


class SchemathesisTest(ApiTestCase):
    """Runs in a test transaction, so whatever it makes is rolled back."""

    def setUp(self):
        super().setUp()
        # As Django's test client does: a request must not close the test's
        # database connection (and with it the transaction).
        for signal in (signals.request_started, signals.request_finished):
            signal.disconnect(close_old_connections)
            self.addCleanup(signal.connect, close_old_connections)
        # Photo uploads write files, which the test's rollback would leave behind.
        media = tempfile.mkdtemp(prefix="huying-test-schemathesis-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        media_root = override_settings(MEDIA_ROOT=media)
        media_root.enable()
        self.addCleanup(media_root.disable)

    def test_no_server_error_and_every_response_as_described(self):
        app = WSGIHandler()
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        # Real data for the paths to find: a case in each state, a webhook.
        self.replied_case()
        self.accepted_case()
        self.new_case()
        headers = {"Authorization": f"Token {self.tokens['supervisor']}"}
        tested = 0
        for result in schema.get_all_operations():
            operation = result.ok()

            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def check(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

            with self.subTest(operation=operation.label):
                check()
            tested += 1
        self.assertGreater(tested, 30)
