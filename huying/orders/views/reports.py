"""Work reports: a leader pastes or uploads one, reads what it proposes,
and confirms the proposals that become orders — all of them or none."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from huying.cases.errors import Refused
from huying.console.views.access import staff_only
from huying.orders import proposals, rules
from huying.orders.forms import ReportForm, leading_units
from huying.orders.models import Report
from huying.org.models import Unit


def leaders_only(view):
    @staff_only
    def wrapper(request, *args, **kwargs):
        if not rules.may_give(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@leaders_only
def report_list(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = proposals.read(request.user, title=form.cleaned_data["title"], text=form.cleaned_data["text"])
        except Refused as error:
            form.add_error(None, str(error))
        else:
            return redirect("orders:confirm", report.pk)
    reports = Report.objects.all()[:50]
    return render(request, "orders/reports.html", {"form": form, "reports": reports}, status=400 if form.errors else 200)


@leaders_only
def confirm(request, pk):
    report = get_object_or_404(Report, pk=pk)
    errors, entered = {}, {}
    if request.method == "POST":
        entered = request.POST
        picks = [pick_of(request.POST, key) for key in request.POST.getlist("pick")]
        try:
            orders = proposals.confirm(report, picks, request.user)
        except proposals.ConfirmErrors as error:
            errors = error.errors
        except Refused as error:
            errors = {"": str(error)}
        else:
            messages.success(request, _("%(n)s order(s) created from the report.") % {"n": len(orders)})
            return redirect("orders:confirm", report.pk)
    items = proposals.proposals_of(report)
    for item in items:
        item.error = errors.get(item.key, "")
        item.chosen = item.key in (entered.getlist("pick") if entered else [])
        item.form = {name: entered.get(f"{name}-{item.key}", default) if entered else default for name, default in (
            ("title", item.title), ("target", item.target), ("measure", item.measure),
            ("deadline", item.deadline.isoformat()), ("lead", ""))}
    context = {
        "report": report,
        "items": items,
        "open": [i for i in items if i.order is None],
        "done": [i for i in items if i.order is not None],
        "units": leading_units(),
        "general_error": errors.get(""),
        "error_count": len(errors),
    }
    return render(request, "orders/confirm.html", context, status=400 if errors else 200)


def pick_of(post, key):
    lead = post.get(f"lead-{key}", "")
    deadline = post.get(f"deadline-{key}", "")
    return {
        "key": key,
        "title": post.get(f"title-{key}", ""),
        "target": post.get(f"target-{key}", ""),
        "measure": post.get(f"measure-{key}", ""),
        "deadline": deadline,
        "lead_unit": Unit.objects.filter(pk=lead).first() if lead.isdigit() else None,
    }
