"""Shared set-up of the API tests: the foundation's world (every role), an
API key for a client system, and a personal token for every person."""

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from rest_framework.test import APIClient

from huying.api.models import ApiKey, PersonalToken
from huying.test import BaseTestCase, people_by_role

O311 = "/open311/v2"
# The API answers in the deployment's language (Chinese) unless the client asks.
ENGLISH = {"Accept-Language": "en"}


class ApiTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.client_key = ApiKey(name="city12345", channel="city12345")
        cls.api_key = cls.client_key.issue()
        cls.client_key.save()
        cls.tokens = {}
        for name, user in people_by_role(cls).items():
            token = PersonalToken(user=user, name="tests")
            cls.tokens[name] = token.issue()
            token.save()

    def api(self, role=None):
        """A REST client signed in with the role's personal token (anonymous for None)."""
        client = APIClient()
        if role is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        return client

    # Open311 helpers

    def o311_get(self, path, fmt="json", headers=None, **params):
        return self.client.get(f"{O311}/{path}.{fmt}", params, headers=headers or {})

    def o311_post(self, fmt="json", headers=None, **form):
        form.setdefault("api_key", self.api_key)
        body = urlencode({k: v for k, v in form.items() if v is not None}, doseq=True).encode("ascii")
        return self.post_form(fmt, body, headers=headers)

    def post_form(self, fmt="json", body=b"", content_type="application/x-www-form-urlencoded; charset=utf-8", headers=None):
        return self.client.generic("POST", f"{O311}/requests.{fmt}", body, content_type=content_type, headers=headers or {})

    def report(self, **extra):
        """A typical Open311 report from the city platform."""
        form = {
            "service_code": self.rubbish.code, "address_string": "越秀区洪桥街登峰社区", "description": "楼下垃圾堆放三天无人清运",
            "first_name": "三", "last_name": "张", "phone": "13812345678", "attribute[kind]": "complaint",
        }
        return form | extra


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8", response["Content-Type"]
    return json.loads(response.content.decode("utf-8"))


def as_xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8", response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), response.content[:60]
    return ET.fromstring(response.content)
