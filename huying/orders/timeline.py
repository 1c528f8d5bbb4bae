"""An order's history as people read it: who did what, when, and why."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.console.timeline import Row
from huying.orders.models import ProgressPhoto, Status
from huying.org.models import Unit

ACTIONS = {
    "give": gettext_lazy("Order given"),
    "assign": gettext_lazy("Assigned"),
    "report_progress": gettext_lazy("Progress reported"),
    "approve_progress": gettext_lazy("Progress approved"),
    "reject_progress": gettext_lazy("Progress rejected"),
    "status": gettext_lazy("Status changed"),
    "urge": gettext_lazy("Urged"),
    "link_case": gettext_lazy("Case linked"),
    "unlink_case": gettext_lazy("Case unlinked"),
}


def rows(order):
    events = list(order.events.select_related("actor_unit"))
    unit_ids = {e.changes.get("unit") for e in events} | {e.changes.get("co_unit_added") for e in events}
    units = {u.pk: u.name for u in Unit.objects.filter(pk__in={i for i in unit_ids if i})}
    photos = {}
    for photo in ProgressPhoto.objects.filter(progress__order=order).order_by("pk"):
        photos.setdefault(photo.progress_id, []).append(photo)
    return [
        Row(seq=e.seq, at=e.at, action=e.action, label=str(ACTIONS.get(e.action, e.action)),
            who=e.actor_label, unit=e.actor_unit.name if e.actor_unit else "",
            summary=summary(order, e.action, e.changes, units), reason=e.reason,
            photos=photos.get(e.changes.get("progress"), []) if e.action == "report_progress" else [])
        for e in reversed(events)
    ]


def summary(order, action, changes, units):
    unit = units.get(changes.get("unit"), "")
    quantity = f"{changes.get('quantity', '')} {order.measure}".strip()
    if action == "give":
        return _("%(target)s %(measure)s, due %(deadline)s") % {
            "target": changes.get("target", ""), "measure": order.measure, "deadline": f"{timezone.localtime(order.deadline):%Y-%m-%d}"}
    if action == "assign":
        text = f"{unit} {quantity}"
        if "previous" in changes:
            text += " " + _("(was %(previous)s)") % {"previous": changes["previous"]}
        return text
    if action in ("report_progress", "approve_progress", "reject_progress"):
        text = f"{unit} {quantity}"
        if action == "approve_progress" and "done" in changes:
            text += " · " + _("%(done)s %(measure)s done in all") % {"done": changes["done"], "measure": order.measure}
        return text
    if action == "status" or (action == "urge" and "status" in changes):
        state = changes.get("status")
        return str(Status(state).label) if state in Status.values else ""
    if action in ("link_case", "unlink_case"):
        return changes.get("number", "")
    return ""
