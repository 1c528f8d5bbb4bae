"""Which workbenches a person has, and where they land after logging in.

A person may hold several roles (an operator who is also a supervisor); the
navigation shows every workbench they hold, and they land on the first.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit


@dataclass(frozen=True)
class Workbench:
    key: str
    label: str
    url_name: str

    @property
    def url(self):
        return reverse(self.url_name)


INTAKE = Workbench("intake", _("Intake"), "console:intake")
DISPATCH = Workbench("dispatch", _("Dispatch"), "console:dispatch")
INBOX = Workbench("inbox", _("Inbox"), "console:inbox")
SUPERVISE = Workbench("supervise", _("Supervision"), "console:supervise")
FOLLOWUPS = Workbench("followups", _("Follow-ups"), "console:followups")
CASES = Workbench("cases", _("Cases"), "console:cases")
MINE = Workbench("mine", _("My requests"), "public:mine")
# The data centre (huying/analytics): figures, map, hotspots, within each person's scope.
DATA = Workbench("data", _("Data centre"), "analytics:overview")
# Orders (令, huying/orders): every staff member may open the list, which shows
# the orders of their own scope (huying.orders.rules.visible_orders).
ORDERS = Workbench("orders", _("Orders"), "orders:list")


def centre_roles(user):
    return {m.role for m in people.memberships(user) if m.unit.kind == Unit.CENTRE}


def workbenches(user):
    """The workbenches of this person, the landing one first."""
    if not user.is_authenticated:
        return []
    centre = centre_roles(user)
    roles = people.roles(user)
    found = []
    if M.OPERATOR in centre:
        found.append(INTAKE)
    if M.DISPATCHER in centre:
        found.append(DISPATCH)
    if M.HANDLER in roles:
        found.append(INBOX)
    if M.SUPERVISOR in centre:
        found.append(SUPERVISE)
    if centre & {M.OPERATOR, M.SUPERVISOR}:
        found.append(FOLLOWUPS)
    if roles or user.is_superuser:
        # Leaders start their day in the data centre (越秀智库) and follow
        # their orders; everyone else with a unit has the case list after
        # their own workbenches.
        found += [DATA, ORDERS, CASES] if M.LEADER in roles else [CASES, DATA, ORDERS]
    elif people.is_citizen(user):
        found.append(MINE)
    return found


def landing(user):
    """Where a person goes after logging in (or opening the site)."""
    benches = workbenches(user)
    if benches:
        return benches[0].url
    if user.is_staff:
        return reverse("admin:index")
    return reverse("home")


def is_staff_member(user):
    """Works for a unit (or is a superuser): may use the console."""
    return user.is_authenticated and (user.is_superuser or bool(people.memberships(user)))
