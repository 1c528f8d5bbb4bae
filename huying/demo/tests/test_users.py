"""Each demo login works with its documented password and reaches the admin."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.test import TestCase

from huying.demo import users
from huying.org import deployment
from huying.org.models import Membership as M
from huying.org.models import Unit


class DemoUsersTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        deployment.load("yuexiu")
        cls.table = users.ensure()

    def test_every_demo_user_logs_in_and_reaches_the_admin(self):
        self.assertEqual([row[0] for row in self.table], [u.username for u in users.USERS])
        for username, password, _role, _unit in self.table:
            with self.subTest(username=username):
                # django-axes needs the request that a login comes with.
                self.assertTrue(self.client.login(request=HttpRequest(), username=username, password=password))
                self.assertEqual(self.client.get("/admin/").status_code, 200)
                self.client.logout()

    def test_the_admin_login_form_accepts_a_demo_user(self):
        response = self.client.post("/admin/login/?next=/admin/", {"username": "dispatcher", "password": "huying-dispatcher"})
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_a_wrong_password_is_refused(self):
        self.assertFalse(self.client.login(request=HttpRequest(), username="operator", password="huying-dispatcher"))

    def test_roles_and_units(self):
        expected = {
            "operator": (M.OPERATOR, "440104-centre"), "dispatcher": (M.DISPATCHER, "440104-centre"),
            "supervisor": (M.SUPERVISOR, "440104-centre"), "street": (M.HANDLER, "440104001"),
            "community": (M.HANDLER, "440104001007"), "grid": (M.HANDLER, "440104001007-01"),
            "department": (M.HANDLER, "dept-housing"), "leader": (M.LEADER, "440104"), "admin": (M.ADMIN, "440104"),
        }
        for username, (role, code) in expected.items():
            with self.subTest(username=username):
                user = User.objects.get(username=username)
                self.assertTrue(user.is_staff)
                self.assertEqual(user.is_superuser, username == "admin")
                self.assertEqual([(m.role, m.unit.code) for m in user.memberships.all()], [(role, code)])

    def test_grids_under_communities(self):
        grids = Unit.objects.filter(kind=Unit.GRID)
        self.assertEqual(grids.count(), 20)  # 8 communities, 3 or 2 grids each
        grid = grids.get(code="440104001007-01")
        self.assertEqual((grid.name, grid.parent.code, grid.parent.parent.code), ("第1网格", "440104001007", "440104001"))
        self.assertTrue(all(g.parent.kind == Unit.COMMUNITY for g in grids))

    def test_ensure_twice_changes_nothing(self):
        counts = (User.objects.count(), M.objects.count(), Unit.objects.count())
        users.ensure()
        self.assertEqual((User.objects.count(), M.objects.count(), Unit.objects.count()), counts)
        self.assertTrue(self.client.login(request=HttpRequest(), username="grid", password="huying-grid"))
