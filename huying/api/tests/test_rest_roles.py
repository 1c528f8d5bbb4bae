"""Every REST endpoint tried by every role of BaseTestCase (in the manner of
NetBox's generic API test cases): the allowed roles succeed, everyone else
is refused (403, or 404 where the case is outside their scope) and nothing
changes; lists hold nothing outside the person's scope; anonymous callers
are turned away."""

import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.test import override_settings

from huying.api.models import WebhookEndpoint
from huying.api.tests.base import ApiTestCase
from huying.cases import attachments, steps
from huying.cases.models import Attachment, Case, Event, Notification, Satisfaction
from huying.cases.scope import can_see, visible_cases
from huying.web.tests.photos import photo

MEDIA = tempfile.mkdtemp(prefix="huying-test-api-roles-")
ROLES = ["operator", "dispatcher", "supervisor", "street", "community", "grid", "department", "leader", "citizen", "outsider", "admin"]
CENTRE = {"operator", "dispatcher", "supervisor"}


def head(response):
    """The start of an answer, for a failure's message (a download is streamed)."""
    return "(a file)" if response.streaming else response.content[:300]


class RestTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        clock = mock.patch("django.utils.timezone.now", return_value=self.now)
        clock.start()
        self.addCleanup(clock.stop)

    def user(self, role):
        return self.everyone[role]


class EndpointTestCases:
    """Generic checks; a subclass names the endpoint, how to make its object
    and who may use it."""

    class Endpoint(RestTestCase):
        method = "get"
        allowed = set(ROLES)
        success = 200

        def make(self):
            return None

        def url(self, obj):
            raise NotImplementedError

        def body(self, obj):
            return {}

        def state(self):
            return Event.objects.count(), Case.objects.count()

        def call(self, role, obj):
            client = self.api(role)
            return getattr(client, self.method)(self.url(obj), self.body(obj), format="json")

        def denied_status(self, role, obj):
            case = obj if isinstance(obj, Case) else None
            if case is not None and not can_see(self.user(role), case):
                return 404
            return 403

        def test_anonymous_is_refused(self):
            response = self.call(None, self.make())
            self.assertIn(response.status_code, (401, 403))

        def test_every_role(self):
            for role in ROLES:
                with self.subTest(role=role):
                    obj = self.make()
                    before = self.state()
                    response = self.call(role, obj)
                    if role in self.allowed:
                        self.assertEqual(response.status_code, self.success, (role, head(response)))
                        self.check_success(role, obj, response)
                    else:
                        self.assertEqual(response.status_code, self.denied_status(role, obj), (role, head(response)))
                        self.assertIn("detail", response.json())
                        self.assertEqual(self.state(), before, f"{role} was refused, yet something changed")

        def check_success(self, role, obj, response):
            pass

    class Step(Endpoint):
        method = "post"
        step = ""

        def url(self, case):
            return f"/api/v1/cases/{case.number}/{self.step}/"

        def check_success(self, role, case, response):
            self.assertEqual(response.json()["number"], case.number)
            self.assertGreater(self.fresh(case).version, case.version)

    class List(Endpoint):
        """A list must hold exactly what the person may see."""

        def visible(self, role, response):
            return {row["number"] for row in response.json()["results"]}

        def expected(self, role):
            return set(visible_cases(self.user(role)).values_list("number", flat=True))

        def spread(self):
            """Cases on different ground: 洪桥 (street, community), 北京 (outsider), the department, a citizen's own."""
            self.dispatched_case()
            self.new_case(street=self.other_street, community=self.other_community)
            self.dispatched_case(lead=self.housing, category=self.lifts)
            steps.intake(self.citizen, kind="help", channel="web", title="路灯", text="路灯不亮", now=self.now)

        def test_no_data_outside_scope(self):
            self.spread()
            for role in ROLES:
                with self.subTest(role=role):
                    response = self.call(role, None)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(self.visible(role, response), self.expected(role))
            # The scopes differ: the check above is not trivially true.
            self.assertLess(len(self.expected("outsider")), len(self.expected("operator")))
            self.assertEqual(len(self.expected("citizen")), 1)


class CaseListTest(EndpointTestCases.List):
    def url(self, obj):
        return "/api/v1/cases/"

    def test_privacy_in_the_list(self):
        self.dispatched_case()
        row = self.api("community").get("/api/v1/cases/").json()["results"][0]
        self.assertEqual((row["citizen_name"], row["citizen_phone"]), ("张*", "138****5678"))
        row = self.api("street").get("/api/v1/cases/").json()["results"][0]
        self.assertEqual((row["citizen_name"], row["citizen_phone"]), ("张三", "13812345678"))


class CaseDetailTest(EndpointTestCases.Endpoint):
    allowed = CENTRE | {"street", "community", "leader", "admin"}

    def make(self):
        return self.dispatched_case()

    def url(self, case):
        return f"/api/v1/cases/{case.number}/"

    def check_success(self, role, case, response):
        name, phone = response.json()["citizen_name"], response.json()["citizen_phone"]
        if role in CENTRE | {"street", "admin"}:
            self.assertEqual((name, phone), ("张三", "13812345678"))
        else:
            self.assertEqual((name, phone), ("张*", "138****5678"))


class CaseEventsTest(EndpointTestCases.Endpoint):
    allowed = CaseDetailTest.allowed

    def make(self):
        return self.dispatched_case()

    def url(self, case):
        return f"/api/v1/cases/{case.number}/events/"

    def check_success(self, role, case, response):
        events = response.json()
        self.assertEqual([e["action"] for e in events], ["intake", "dispatch"])
        if role == "community":
            self.assertEqual(events[0]["changes"]["citizen_phone"], "138****5678")


class IntakeByPhoneTest(EndpointTestCases.Endpoint):
    method = "post"
    allowed = CENTRE
    success = 201

    def url(self, obj):
        return "/api/v1/cases/"

    def body(self, obj):
        return {"kind": "complaint", "channel": "phone", "title": "噪音", "text": "夜间施工噪音", "category": "02.01.01",
                "citizen_phone": "13812345678", "address": "洪桥街道"}

    def check_success(self, role, obj, response):
        case = Case.objects.get(number=response.json()["number"])
        self.assertEqual((case.channel, case.street), ("phone", self.street))


class IntakeOnTheWebTest(IntakeByPhoneTest):
    allowed = CENTRE | {"citizen"}

    def body(self, obj):
        return {"kind": "help", "channel": "web", "title": "路灯不亮", "text": "路灯坏了"}

    def check_success(self, role, obj, response):
        case = Case.objects.get(number=response.json()["number"])
        self.assertEqual(case.citizen_user, self.citizen if role == "citizen" else None)


def step_test(name, make, allowed, body=None):
    attrs = {
        "step": name, "allowed": allowed, "make": lambda self: make(self),
        "body": lambda self, case: dict(body or {}),
    }
    return type(f"Step_{name.replace('-', '_')}", (EndpointTestCases.Step,), attrs)


def returned(t):
    return steps.request_return(t.dispatched_case(), t.street_handler, reason="非本单位职责", now=t.now)


def extension_asked(t):
    return steps.request_extension(t.accepted_case(), t.street_handler, days=3, reason="需协调", now=t.now)


def with_co_unit(t):
    return steps.dispatch(t.new_case(), t.dispatcher, lead=t.street, co_units=[t.housing], now=t.now)


def under_review(t):
    case = t.replied_case()
    for _ in range(2):
        steps.follow_up(case, t.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=t.now)
        steps.accept(case, t.street_handler, now=t.now)
        steps.reply(case, t.street_handler, text="再次处理", now=t.now)
    return steps.follow_up(case, t.operator, resolved=False, satisfaction=Satisfaction.UNSATISFIED, now=t.now)


StepDispatch = step_test("dispatch", lambda t: t.new_case(), {"operator", "dispatcher"}, {"lead": "440104001"})
StepDispatchDown = step_test("dispatch-down", lambda t: t.accepted_case(), {"street"}, {"to": "440104001001"})
StepAccept = step_test("accept", lambda t: t.dispatched_case(), {"street"})
StepReturn = step_test("return", lambda t: t.dispatched_case(), {"street"}, {"reason": "非本单位职责"})
StepApproveReturn = step_test("approve-return", returned, {"dispatcher", "supervisor"})
StepRejectReturn = step_test("reject-return", returned, {"dispatcher", "supervisor"}, {"reason": "属地"})
StepRequestExtension = step_test("request-extension", lambda t: t.accepted_case(), {"street"}, {"days": 3, "reason": "需协调"})
StepApproveExtension = step_test("approve-extension", extension_asked, {"supervisor"})
StepRejectExtension = step_test("reject-extension", extension_asked, {"supervisor"}, {"reason": "否"})
StepReply = step_test("reply", lambda t: t.accepted_case(), {"street"}, {"text": "已处理"})
StepContribute = step_test("contribute", with_co_unit, {"department"}, {"text": "协办意见"})
StepFollowUp = step_test("follow-up", lambda t: t.replied_case(), {"operator", "supervisor"}, {"resolved": True, "satisfaction": "satisfied"})
StepReopen = step_test("reopen", lambda t: t.replied_case(), {"supervisor"}, {"reason": "市民再次反映"})
StepReview = step_test("review", under_review, {"supervisor"}, {"reasonable": True, "reason": "合理"})
StepClose = step_test("close", lambda t: t.new_case(), CENTRE, {"reason": "无效来电"})
StepUrge = step_test("urge", lambda t: t.accepted_case(), {"supervisor"}, {"message": "请尽快"})
StepSupervise = step_test("supervise", lambda t: t.accepted_case(), {"supervisor"}, {"message": "督办"})


class StepMerge(EndpointTestCases.Step):
    step = "merge"
    allowed = CENTRE

    def make(self):
        self.into = self.dispatched_case()
        return self.new_case()

    def body(self, case):
        return {"into": self.into.number}


def with_photos(t):
    """A citizen's own case, sent to the street: a photo of the request and one a handler added."""
    case = steps.intake(t.citizen, kind="help", channel="web", title="路灯", text="路灯不亮", now=t.now)
    attachments.store(case, case.events.get(seq=1), [attachments.check_one(photo("市民.jpg"))])
    steps.dispatch(case, t.dispatcher, lead=t.street, now=t.now)
    t.attachment = attachments.attach(case, t.street_handler, attachments.check_one(photo("现场.jpg")), note="现场", now=t.now)
    return t.fresh(case)


def files_on_disk():
    return sum(1 for path in Path(MEDIA).rglob("*") if path.is_file())


@override_settings(MEDIA_ROOT=MEDIA)
class AttachmentListTest(EndpointTestCases.Endpoint):
    allowed = CENTRE | {"street", "leader", "admin", "citizen"}

    def make(self):
        return with_photos(self)

    def url(self, case):
        return f"/api/v1/cases/{case.number}/attachments/"

    def check_success(self, role, case, response):
        names = [row["name"] for row in response.json()]
        # The citizen sees the photos of their request and of the reply, not the handlers' own.
        self.assertEqual(names, ["市民.jpg"] if role == "citizen" else ["市民.jpg", "现场.jpg"])

    def test_no_data_outside_scope(self):
        case = with_photos(self)
        other = self.dispatched_case(street=self.other_street, community=self.other_community, lead=self.other_street)
        steps.accept(other, self.outsider, now=self.now)
        attachments.attach(other, self.outsider, attachments.check_one(photo("北京.jpg")), now=self.now)
        for role in ROLES:
            with self.subTest(role=role):
                user = self.user(role)
                response = self.call(role, case)
                if not can_see(user, case):
                    self.assertEqual(response.status_code, 404)
                    continue
                ids = {row["id"] for row in response.json()}
                self.assertEqual(ids, {a.pk for a in case.attachments.all() if attachments.may_view(user, a)})
        self.assertEqual(self.call("outsider", other).json()[0]["name"], "北京.jpg")
        self.assertEqual(self.call("street", other).status_code, 404)


@override_settings(MEDIA_ROOT=MEDIA)
class AttachmentDownloadTest(EndpointTestCases.Endpoint):
    allowed = CENTRE | {"street", "leader", "admin"}

    def make(self):
        return with_photos(self)

    def url(self, case):
        return f"/api/v1/cases/{case.number}/attachments/{self.attachment.pk}/download/"

    def denied_status(self, role, case):
        return 404  # as /files/{id}/: a photo one may not see does not exist for them

    def check_success(self, role, case, response):
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.assertEqual(b"".join(response.streaming_content), Path(self.attachment.file.path).read_bytes())


@override_settings(MEDIA_ROOT=MEDIA)
class AttachmentUploadTest(EndpointTestCases.Endpoint):
    method = "post"
    success = 201
    # The centre, and handlers of the lead unit (洪桥街道) and of the ground (登峰社区).
    allowed = CENTRE | {"street", "community"}

    def make(self):
        return self.dispatched_case()

    def url(self, case):
        return f"/api/v1/cases/{case.number}/attachments/"

    def call(self, role, case):
        return self.api(role).post(self.url(case), {"file": photo("现场.jpg"), "note": "现场照片"}, format="multipart")

    def state(self):
        return Event.objects.count(), Case.objects.count(), Attachment.objects.count(), files_on_disk()

    def check_success(self, role, case, response):
        attachment = Attachment.objects.get(pk=response.json()["id"])
        self.assertEqual((attachment.case, attachment.event.action, attachment.event.reason), (case, "attach", "现场照片"))
        self.assertEqual(self.fresh(case).version, case.version + 1)
        self.assertTrue(Path(attachment.file.path).is_file())


class UnitListTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/units/"

    def check_success(self, role, obj, response):
        self.assertIn("440104001", [u["code"] for u in response.json()["results"]])


class UnitDetailTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/units/440104001/"


class CategoryListTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/categories/"


class CategoryDetailTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/categories/02.01.01/"

    def check_success(self, role, obj, response):
        self.assertEqual(response.json()["path"], "市容环境 › 环境卫生 › 垃圾清运")


class InboxTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/inbox/"

    def test_each_person_sees_their_own_work(self):
        new = self.new_case()
        sent = self.dispatched_case()
        asked = extension_asked(self)
        rate = steps.intake(self.citizen, kind="help", channel="web", title="路灯", text="路灯不亮", now=self.now)
        steps.dispatch(rate, self.dispatcher, lead=self.street, now=self.now)
        steps.accept(rate, self.street_handler, now=self.now)
        steps.reply(rate, self.street_handler, text="已修复", now=self.now)
        Notification.objects.create(unit=self.street, case=sent, text="催办", created_at=self.now)

        def todo(role):
            return {(t["todo"], t["case"]["number"]) for t in self.api(role).get("/api/v1/inbox/").json()["todo"]}

        self.assertIn(("dispatch", new.number), todo("dispatcher"))
        self.assertNotIn(("dispatch", new.number), todo("supervisor"))
        self.assertIn(("decide_extension", asked.number), todo("supervisor"))
        self.assertIn(("accept", sent.number), todo("street"))
        self.assertIn(("reply", asked.number), todo("street"))
        self.assertEqual(todo("citizen"), {("rate", rate.number)})
        self.assertEqual(todo("outsider"), set())
        notes = self.api("street").get("/api/v1/inbox/").json()["notifications"]
        self.assertEqual([n["text"] for n in notes], ["催办"])
        self.assertEqual(self.api("outsider").get("/api/v1/inbox/").json()["notifications"], [])
        read = self.api("outsider").post(f"/api/v1/inbox/notifications/{notes[0]['id']}/read/")
        self.assertEqual(read.status_code, 404)
        read = self.api("street").post(f"/api/v1/inbox/notifications/{notes[0]['id']}/read/")
        self.assertEqual(read.status_code, 200)
        self.assertEqual(self.api("street").get("/api/v1/inbox/").json()["notifications"], [])


class FiguresTest(EndpointTestCases.Endpoint):
    allowed = set(ROLES) - {"citizen"}

    def url(self, obj):
        return "/api/v1/figures/?start=2026-03-01T00:00:00%2B08:00&end=2026-03-31T00:00:00%2B08:00"

    def test_no_data_outside_scope(self):
        self.replied_case()
        self.dispatched_case(lead=self.housing, category=self.lifts)
        self.new_case(street=self.other_street, community=self.other_community)
        for role in [r for r in ROLES if r != "citizen"]:
            with self.subTest(role=role):
                data = self.call(role, None).json()
                self.assertEqual(data["total"], visible_cases(self.user(role)).count())
                units = {row["unit"]["code"] for row in data["units"]}
                leads = set(visible_cases(self.user(role)).filter(lead_unit__isnull=False).values_list("lead_unit__code", flat=True))
                self.assertEqual(units, leads)
        street = self.api("operator").get(self.url(None)).json()["units"]
        row = next(r for r in street if r["unit"]["code"] == "440104001")
        self.assertEqual((row["cases"], row["response_rate"], row["rated"]), (1, 1.0, 0))


class MeTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/me/"

    def check_success(self, role, obj, response):
        self.assertEqual(response.json()["username"], self.user(role).username)


class TokenListTest(EndpointTestCases.Endpoint):
    def url(self, obj):
        return "/api/v1/me/tokens/"

    def check_success(self, role, obj, response):
        self.assertEqual(len(response.json()), 1)  # only their own


class TokenCreateTest(EndpointTestCases.Endpoint):
    method = "post"
    success = 201

    def url(self, obj):
        return "/api/v1/me/tokens/"

    def body(self, obj):
        return {"name": "手机"}

    def check_success(self, role, obj, response):
        token = response.json()["token"]
        me = self.client.get("/api/v1/me/", headers={"Authorization": f"Token {token}"}).json()
        self.assertEqual(me["username"], self.user(role).username)


class WebhookListTest(EndpointTestCases.Endpoint):
    allowed = {"admin"}

    def url(self, obj):
        return "/api/v1/webhooks/"


class WebhookCreateTest(WebhookListTest):
    method = "post"
    success = 201

    def body(self, obj):
        return {"name": "城市平台", "url": "http://127.0.0.1:9/hook", "events": "intake,close"}

    def state(self):
        return WebhookEndpoint.objects.count()


class WebhookDeliveriesTest(WebhookListTest):
    def make(self):
        return WebhookEndpoint.objects.create(name="x", url="http://127.0.0.1:9/")

    def url(self, endpoint):
        return f"/api/v1/webhooks/{endpoint.pk}/deliveries/"


def tearDownModule():
    shutil.rmtree(MEDIA, ignore_errors=True)
