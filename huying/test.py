"""The base test case: a small district with one person in every role.

Every test of a step or a page uses these same actors, so each role is
checked the same way everywhere:

    operator, dispatcher, supervisor   the command centre
    street        handler of 洪桥街道
    community     handler of 某社区 under 洪桥街道
    grid          handler of a grid under that community
    department    handler of 住建局
    leader        district leader
    citizen       a registered citizen (no unit)
    outsider      handler of another street (北京街道)
    admin         Django superuser
"""

import datetime as dt
import threading

from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase, TransactionTestCase
from django.utils import timezone

from huying import memo
from huying.cases import steps
from huying.cases.models import Case, Category, Channel, Kind
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.routing.models import Rule
from huying.sla import calendar, deadlines

TZ = dt.timezone(dt.timedelta(hours=8))


# Each role's name in tests and the attribute that holds its person.
ROLES = {
    "operator": "operator", "dispatcher": "dispatcher", "supervisor": "supervisor", "street": "street_handler",
    "community": "community_handler", "grid": "grid_handler", "department": "department_handler",
    "leader": "leader", "citizen": "citizen", "outsider": "outsider", "admin": "admin",
}


def people_by_role(actors):
    """{role name: its user} of a test case (or its class, in setUpTestData)."""
    return {role: getattr(actors, attribute) for role, attribute in ROLES.items()}


def at(*args):
    """A moment in Beijing time, e.g. at(2026, 3, 2, 9, 30)."""
    return dt.datetime(*args, tzinfo=TZ)


def at_once(job, workers=2, timeout=60):
    """Run `job` in `workers` threads released together (each on its own
    database connection), as two worker processes would race; return what
    each returned. A thread's exception is raised here, not lost."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(job())
        except BaseException as error:  # re-raised in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    if any(thread.is_alive() for thread in threads):
        raise AssertionError(f"a worker was still running after {timeout} s")
    return results


class Actors:
    """Builds the fixed district and people; mixed into test cases."""

    @classmethod
    def build_world(cls):
        calendar.load_national(range(2025, 2027))
        unit = cls.unit
        cls.district = unit("440104", "越秀区", Unit.DISTRICT, None)
        cls.centre = unit("440104-centre", "越秀区综合指挥调度中心", Unit.CENTRE, cls.district)
        cls.street = unit("440104001", "洪桥街道", Unit.STREET, cls.district)
        cls.community = unit("440104001001", "登峰社区", Unit.COMMUNITY, cls.street)
        cls.grid_unit = unit("440104001001-01", "第一网格", Unit.GRID, cls.community)
        cls.other_street = unit("440104003", "北京街道", Unit.STREET, cls.district)
        cls.other_community = unit("440104003001", "北京社区", Unit.COMMUNITY, cls.other_street)
        cls.housing = unit("dept-housing", "区住房建设和水务局", Unit.DEPARTMENT, cls.district)
        cls.hrss = unit("dept-hrss", "区人力资源和社会保障局", Unit.DEPARTMENT, cls.district)

        cls.lifts = cls.category("01.01.01", ["城乡建设", "住房管理", "加装电梯"], cls.housing)
        cls.rubbish = cls.category("02.01.01", ["市容环境", "环境卫生", "垃圾清运"], None)

        cls.operator = cls.person("operator", cls.centre, M.OPERATOR)
        cls.dispatcher = cls.person("dispatcher", cls.centre, M.DISPATCHER)
        cls.supervisor = cls.person("supervisor", cls.centre, M.SUPERVISOR)
        cls.street_handler = cls.person("street", cls.street, M.HANDLER)
        cls.community_handler = cls.person("community", cls.community, M.HANDLER)
        cls.grid_handler = cls.person("grid", cls.grid_unit, M.HANDLER)
        cls.department_handler = cls.person("department", cls.housing, M.HANDLER)
        cls.leader = cls.person("leader", cls.district, M.LEADER)
        cls.citizen = User.objects.create_user("citizen", password="password")
        cls.outsider = cls.person("outsider", cls.other_street, M.HANDLER)
        cls.admin = User.objects.create_superuser("admin", password="password")

    @staticmethod
    def unit(code, name, kind, parent):
        return Unit.objects.create(code=code, name=name, kind=kind, parent=parent)

    @staticmethod
    def category(code, names, department):
        parent = None
        parts = code.split(".")
        for depth, name in enumerate(names, start=1):
            parent, _ = Category.objects.get_or_create(
                code=".".join(parts[:depth]), defaults={"name": name, "parent": parent, "level": depth}
            )
        Rule.objects.create(category=parent, unit=department)
        return parent

    @staticmethod
    def person(username, unit, role):
        user = User.objects.create_user(username, password="password", first_name=username)
        M.objects.create(user=user, unit=unit, role=role)
        return user

    @property
    def everyone(self):
        return people_by_role(self)

    # Cases in a given state, made through the real steps.

    def new_case(self, now=None, **fields):
        values = {
            "kind": Kind.COMPLAINT, "channel": Channel.PHONE, "title": "楼下垃圾堆放三天无人清运",
            "text": "东风中路某号楼下垃圾堆放，气味难闻。", "citizen_name": "张三", "citizen_phone": "13812345678",
            "address": "东风中路268号", "community": self.community, "category": self.rubbish,
        } | fields
        return steps.intake(self.operator, now=now or self.now, **values)

    def dispatched_case(self, lead=None, **fields):
        case = self.new_case(**fields)
        return steps.dispatch(case, self.dispatcher, lead=lead or self.street, now=self.now)

    def accepted_case(self, **fields):
        case = self.dispatched_case(**fields)
        handler = self.department_handler if case.lead_unit == self.housing else self.street_handler
        return steps.accept(case, handler, now=self.now)

    def replied_case(self, **fields):
        case = self.accepted_case(**fields)
        handler = self.department_handler if case.lead_unit == self.housing else self.street_handler
        return steps.reply(case, handler, text="已安排清运，现场已清理干净。", now=self.now)

    def fresh(self, case):
        return Case.objects.get(pk=case.pk)


def forget_caches():
    """Rows rolled back or flushed between tests must not survive in the
    per-process caches."""
    calendar.forget()
    deadlines.forget()
    memo.forget_all()


class BaseTestCase(Actors, TestCase):
    # Tuesday 3 March 2026, 10:00 Beijing time: an ordinary working day.
    now = at(2026, 3, 3, 10, 0)

    @classmethod
    def setUpTestData(cls):
        cls.build_world()

    def setUp(self):
        forget_caches()
        self.assertTrue(timezone.is_aware(self.now))


class RaceTestCase(Actors, TransactionTestCase):
    """For workers racing each other: committed rows that other threads'
    connections can see, so the world is built for every test."""

    now = at(2026, 3, 3, 10, 0)

    def setUp(self):
        forget_caches()
        self.build_world()
