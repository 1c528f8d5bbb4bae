"""What a person can do to a case from its page: which forms to offer, and
how a submitted form becomes a step.

Offering is a courtesy (no button for what would be refused anyway); the
steps still check everything, and their refusals are shown as they are.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huying.cases import steps
from huying.cases.errors import BadInput
from huying.cases.models import OPEN_STATUSES, WITH_UNIT, Satisfaction, Status
from huying.cases.scope import visible_cases
from huying.cases.steps.extension import MAX_DAYS
from huying.org import people
from huying.org.models import Membership as M
from huying.org.models import Unit
from huying.sla import deadlines
from huying.web import roles, uploads

LABELS = {
    "dispatch": gettext_lazy("Dispatch"),
    "accept": gettext_lazy("Accept"),
    "dispatch_down": gettext_lazy("Pass down"),
    "return": gettext_lazy("Return"),
    "approve_return": gettext_lazy("Approve return"),
    "reject_return": gettext_lazy("Reject return"),
    "extension": gettext_lazy("Ask for an extension"),
    "approve_extension": gettext_lazy("Approve extension"),
    "reject_extension": gettext_lazy("Reject extension"),
    "reply": gettext_lazy("Reply"),
    "contribute": gettext_lazy("Contribute"),
    "urge": gettext_lazy("Urge"),
    "supervise": gettext_lazy("Supervise"),
    "follow_up": gettext_lazy("Record follow-up"),
    "reopen": gettext_lazy("Reopen"),
    "review": gettext_lazy("Review rating"),
    "close": gettext_lazy("Close"),
    "merge": gettext_lazy("Merge into"),
}


def offered(user, case, now=None):
    """Names of the actions to offer this person on this case, in order."""
    now = now or timezone.now()
    centre = roles.centre_roles(user)
    lead = case.lead_unit
    handles = lead is not None and people.has_role(user, M.HANDLER, over=lead)
    status = case.status
    names = []
    if status in (Status.NEW, Status.DISPATCHED) and centre & {M.OPERATOR, M.DISPATCHER}:
        names.append("dispatch")
    if handles and status == Status.DISPATCHED:
        names.append("accept")
    if handles and status == Status.ACCEPTED:
        names.append("reply")
        if units_below(lead):
            names.append("dispatch_down")
        if not case.extension_days and case.reply_due and now < case.reply_due:
            names.append("extension")
    if handles and status in (Status.DISPATCHED, Status.ACCEPTED) and now <= return_limit(case):
        names.append("return")
    if status in (Status.DISPATCHED, Status.ACCEPTED) and co_unit_handler(user, case):
        names.append("contribute")
    if status == Status.RETURN_REQUESTED and decides_return(user, case, centre):
        names += ["approve_return", "reject_return"]
    if status == Status.ACCEPTED and case.extension_days and M.SUPERVISOR in centre:
        names += ["approve_extension", "reject_extension"]
    if status in WITH_UNIT and M.SUPERVISOR in centre:
        names += ["urge", "supervise"]
    if rateable(case) and centre & {M.OPERATOR, M.SUPERVISOR}:
        names.append("follow_up")
    if status == Status.REVIEW and M.SUPERVISOR in centre:
        names.append("review")
    if status in (Status.REPLIED, Status.REVIEW, Status.CLOSED) and lead is not None and M.SUPERVISOR in centre:
        names.append("reopen")
    if (status == Status.NEW and centre) or (status == Status.REPLIED and M.SUPERVISOR in centre):
        names.append("close")
    if status in (Status.NEW, Status.DISPATCHED, Status.ACCEPTED, Status.RETURN_REQUESTED) and centre:
        names.append("merge")
    return names


def rateable(case):
    if case.status == Status.REPLIED:
        return True
    return case.status == Status.MERGED and case.replied_at is not None and case.resolved is None


def return_limit(case):
    if case.dispatched_at is None:
        return timezone.now()
    return deadlines.workdays_after(case.dispatched_at, deadlines.RETURN_WORKDAYS)


def units_below(unit):
    return list(unit.subtree().filter(active=True).exclude(pk=unit.pk).order_by("path"))


def co_unit_handler(user, case):
    return any(people.has_role(user, M.HANDLER, over=co) for co in case.co_units.all())


def decides_return(user, case, centre):
    sender = case.dispatched_by
    if sender is None:
        return False
    if sender.kind == Unit.CENTRE:
        return bool(centre & {M.DISPATCHER, M.SUPERVISOR})
    return people.has_role(user, M.HANDLER, over=sender)


def dispatch_targets():
    """Units the centre may dispatch to: departments first, then streets."""
    return list(Unit.objects.filter(kind__in=[Unit.DEPARTMENT, Unit.STREET], active=True).order_by("-kind", "path"))


# -- performing ----------------------------------------------------------------------------

def perform(name, case, user, data, files=None, now=None):
    """Carry out the named action from form data; returns a message for the
    person. Raises Refused (with its message) when the step says no."""
    handler = HANDLERS.get(name)
    if handler is None:
        raise BadInput(_("Unknown action."))
    handler(case, user, data, files, now)
    return _("%(action)s: done for case %(number)s.") % {"action": LABELS[name], "number": case.number}


def unit_from(value, what):
    try:
        return Unit.objects.get(pk=int(value))
    except (TypeError, ValueError, Unit.DoesNotExist):
        raise BadInput(_("Choose the %(what)s.") % {"what": what}) from None


def yes_no(value, question):
    if value in ("yes", "no"):
        return value == "yes"
    raise BadInput(question)


def do_dispatch(case, user, data, files, now):
    lead = unit_from(data.get("lead"), _("lead unit"))
    co_units = [unit_from(v, _("co-unit")) for v in data.getlist("co_units") if v and v != data.get("lead")]
    steps.dispatch(case, user, lead=lead, co_units=co_units, reason=data.get("reason", ""), now=now)


def do_dispatch_down(case, user, data, files, now):
    steps.dispatch_down(case, user, to=unit_from(data.get("to"), _("unit")), reason=data.get("reason", ""), now=now)


def do_reply(case, user, data, files, now):
    photos = uploads.check(files.getlist("photos") if files else [])
    with transaction.atomic():
        steps.reply(case, user, text=data.get("text", ""), now=now)
        event = case.events.order_by("-seq").first()
        uploads.store(case, event, photos)


def do_follow_up(case, user, data, files, now):
    resolved = yes_no(data.get("resolved"), _("Say whether the problem was resolved."))
    satisfaction = data.get("satisfaction", "")
    if satisfaction not in Satisfaction.values:
        raise BadInput(_("Satisfaction must be one of: satisfied, basically satisfied, unsatisfied."))
    steps.follow_up(case, user, resolved=resolved, satisfaction=satisfaction, note=data.get("note", ""), now=now)


def do_review(case, user, data, files, now):
    reasonable = yes_no(data.get("reasonable"), _("Say whether the rating was reasonable."))
    steps.review(case, user, reasonable=reasonable, reason=data.get("reason", ""), now=now)


def do_merge(case, user, data, files, now):
    number = (data.get("into") or "").strip().upper()
    into = visible_cases(user).filter(number=number, status__in=OPEN_STATUSES).first()
    if into is None:
        raise BadInput(_("No open case %(number)s that you can see.") % {"number": number or "-"})
    steps.merge(case, user, into=into, reason=data.get("reason", ""), now=now)


def do_extension(case, user, data, files, now):
    steps.request_extension(case, user, days=data.get("days"), reason=data.get("reason", ""), now=now)


def do_supervise(case, user, data, files, now):
    days = data.get("days") or deadlines.SUPERVISE_WORKDAYS
    steps.supervise(case, user, message=data.get("message", ""), days=days, now=now)


def with_reason(step):
    return lambda case, user, data, files, now: step(case, user, reason=data.get("reason", ""), now=now)


HANDLERS = {
    "dispatch": do_dispatch,
    "accept": lambda case, user, data, files, now: steps.accept(case, user, now=now),
    "dispatch_down": do_dispatch_down,
    "return": with_reason(steps.request_return),
    "approve_return": with_reason(steps.approve_return),
    "reject_return": with_reason(steps.reject_return),
    "extension": do_extension,
    "approve_extension": with_reason(steps.approve_extension),
    "reject_extension": with_reason(steps.reject_extension),
    "reply": do_reply,
    "contribute": lambda case, user, data, files, now: steps.contribute(case, user, text=data.get("text", ""), now=now),
    "urge": lambda case, user, data, files, now: steps.urge(case, user, message=data.get("message", ""), now=now),
    "supervise": do_supervise,
    "follow_up": do_follow_up,
    "reopen": with_reason(steps.reopen),
    "review": do_review,
    "close": with_reason(steps.close),
    "merge": do_merge,
}

EXTENSION_MAX_DAYS = MAX_DAYS
