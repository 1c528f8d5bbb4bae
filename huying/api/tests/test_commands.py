"""huying api-key and huying api-token: issue (printed once, only a digest
kept), list, revoke."""

from io import StringIO

from django.core.management import CommandError, call_command

from huying.api import keys
from huying.api.models import ApiKey, PersonalToken
from huying.api.tests.base import ApiTestCase


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip()


class ApiKeyCommandTest(ApiTestCase):
    def test_create_list_revoke(self):
        secret = run("api_key", "create", "--name", "sensors", "--channel", "sensor")
        key = ApiKey.objects.get(name="sensors")
        self.assertEqual((key.channel, key.key_hash, key.prefix), ("sensor", keys.digest(secret), secret[:12]))
        self.assertNotIn(secret, str(ApiKey.objects.filter(name="sensors").values()))  # only the digest is stored
        self.assertEqual(self.o311_post(**self.report(api_key=secret)).status_code, 200)
        self.assertIn("sensors\tsensor", run("api_key", "list"))
        run("api_key", "revoke", "sensors")
        self.assertEqual(self.o311_post(**self.report(api_key=secret)).status_code, 403)
        self.assertIn("revoked", run("api_key", "list"))

    def test_refusals(self):
        with self.assertRaises(CommandError):
            run("api_key", "create", "--name", "city12345")  # exists
        with self.assertRaises(CommandError):
            run("api_key", "revoke", "nobody")


class ApiTokenCommandTest(ApiTestCase):
    def test_create_and_revoke(self):
        secret = run("api_token", "create", "street", "--name", "script")
        me = self.client.get("/api/v1/me/", headers={"Authorization": f"Token {secret}"})
        self.assertEqual(me.json()["username"], "street")
        run("api_token", "revoke", secret[:12])
        self.assertEqual(self.client.get("/api/v1/me/", headers={"Authorization": f"Token {secret}"}).status_code, 401)
        self.assertTrue(PersonalToken.objects.filter(prefix=secret[:12], revoked_at__isnull=False).exists())
        with self.assertRaises(CommandError):
            run("api_token", "create", "nobody")

    def test_token_via_the_api_is_shown_once(self):
        made = self.api("leader").post("/api/v1/me/tokens/", {"name": "手机"}, format="json").json()
        listed = self.api("leader").get("/api/v1/me/tokens/").json()
        self.assertNotIn("token", listed[0])
        deleted = self.api("leader").delete(f"/api/v1/me/tokens/{made['id']}/")
        self.assertEqual(deleted.status_code, 204)
        self.assertEqual(self.client.get("/api/v1/me/", headers={"Authorization": f"Token {made['token']}"}).status_code, 401)
