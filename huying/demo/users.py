"""The demo's people: one login per role, with fixed passwords.

These accounts exist only for a demo database (`huying demo`); the README
lists them. Running `ensure()` again changes nothing but resetting the
passwords to the documented ones.

No public source lists a street's grids (网格), so the demo draws a few:
2 or 3 grids in each of the first communities of the first streets, with
codes like `440104001007-01` and names like `第1网格`.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission, User
from django.db import transaction

from huying.org.models import Membership as M
from huying.org.models import Unit

# The street and department whose handlers log in; the community and grid
# are the first ones under that street.
DEMO_STREET = "440104001"  # 洪桥街道
DEMO_DEPARTMENT = "dept-housing"  # 住房建设和水务局
# (street code, how many of its communities get grids)
GRID_PLAN = [("440104001", 4), ("440104003", 2), ("440104004", 2)]
GRIDS_PER_COMMUNITY = (3, 2)  # alternating, so communities differ


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    where: str  # centre, district, street, community, grid or department
    name: str  # shown in a case's history

    @property
    def password(self):
        return f"huying-{self.username}"


USERS = [
    DemoUser("operator", M.OPERATOR, "centre", "林晓雯"),
    DemoUser("dispatcher", M.DISPATCHER, "centre", "黄志强"),
    DemoUser("supervisor", M.SUPERVISOR, "centre", "陈慧敏"),
    DemoUser("street", M.HANDLER, "street", "梁家豪"),
    DemoUser("community", M.HANDLER, "community", "何婉婷"),
    DemoUser("grid", M.HANDLER, "grid", "周俊杰"),
    DemoUser("department", M.HANDLER, "department", "罗建国"),
    DemoUser("leader", M.LEADER, "district", "郑振宇"),
    DemoUser("admin", M.ADMIN, "district", "系统管理员"),
]

# Apps whose records the centre may look at in the Django admin. Handlers
# and leaders get none: the admin does not mask citizens' details or limit
# what a unit sees, so only the centre may browse it.
CENTRE_APPS = ("cases", "org", "routing", "sla")
CENTRE_ROLES = (M.OPERATOR, M.DISPATCHER, M.SUPERVISOR)


@transaction.atomic
def ensure():
    """Create (or reset) the grids and every demo user; return the table."""
    make_grids()
    places = demo_units()
    view = list(Permission.objects.filter(content_type__app_label__in=CENTRE_APPS, codename__startswith="view_"))
    table = []
    for spec in USERS:
        unit = places[spec.where]
        user = upsert_user(spec)
        M.objects.get_or_create(user=user, unit=unit, role=spec.role)
        if spec.role in CENTRE_ROLES:
            user.user_permissions.add(*view)
        table.append((spec.username, spec.password, spec.role, unit.name))
    return table


def upsert_user(spec):
    user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
    user.first_name = spec.name
    user.is_active = True
    # Every demo login reaches the admin: it is the way in until the web console exists.
    user.is_staff = True
    user.is_superuser = spec.role == M.ADMIN
    user.set_password(spec.password)
    user.save()
    return user


def demo_units():
    """The unit each demo user belongs to, by the `where` of USERS."""
    centre = Unit.objects.filter(kind=Unit.CENTRE, active=True).order_by("pk").first()
    district = Unit.objects.filter(kind=Unit.DISTRICT).order_by("path").first()
    street = Unit.objects.filter(code=DEMO_STREET).first() or first_of(Unit.STREET)
    community = street.children.filter(kind=Unit.COMMUNITY).order_by("code").first()
    grid = community.children.filter(kind=Unit.GRID).order_by("code").first() if community else None
    department = Unit.objects.filter(code=DEMO_DEPARTMENT).first() or first_of(Unit.DEPARTMENT)
    places = {"centre": centre, "district": district, "street": street, "community": community,
              "grid": grid, "department": department}
    missing = [where for where, unit in places.items() if unit is None]
    if missing:
        raise LookupError(f"load a deployment first: no {', '.join(missing)} unit found")
    return places


def first_of(kind):
    return Unit.objects.filter(kind=kind, active=True).order_by("code").first()


def make_grids():
    """Draw the demo grids; existing ones are left as they are."""
    plan = dict(GRID_PLAN)
    if not Unit.objects.filter(code__in=plan).exists():
        # Another deployment: give grids to the first street's communities.
        street = first_of(Unit.STREET)
        plan = {street.code: 4} if street else {}
    made = 0
    for street in Unit.objects.filter(code__in=plan, kind=Unit.STREET).order_by("code"):
        communities = street.children.filter(kind=Unit.COMMUNITY, active=True).order_by("code")[: plan[street.code]]
        for index, community in enumerate(communities):
            for n in range(1, GRIDS_PER_COMMUNITY[index % 2] + 1):
                made += make_grid(community, n)
    return made


def make_grid(community, n):
    _unit, created = Unit.objects.get_or_create(
        code=f"{community.code}-{n:02d}",
        defaults={"name": f"第{n}网格", "short": f"{community.label}第{n}网格", "kind": Unit.GRID, "parent": community},
    )
    return int(created)


def table_text(table):
    """The logins as a small aligned table, for the terminal."""
    rows = [("username", "password", "role", "unit")] + list(table)
    widths = [max(len(str(row[i])) for row in rows) for i in range(3)]
    return "\n".join(
        f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}" for row in rows
    )
