"""Pages for citizens, without login: submit a request, track it with its
number and the last four digits of the phone, rate the answer."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huying.cases import steps
from huying.cases.actors import Actor
from huying.cases.errors import Refused
from huying.cases.models import Case, Channel, Status
from huying.console import timeline
from huying.org import people
from huying.public import access, throttle
from huying.public.forms import RateForm, SubmitForm, TrackForm
from huying.public.models import Attempt
from huying.routing import intake as routing
from huying.web import uploads

DEPLOYMENTS = Path(__file__).resolve().parents[1] / "org" / "deployments"


def submit(request):
    if request.method == "POST" and uploads.body_too_big(request):
        return too_big(request)
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        keys = [throttle.ip_key(request)]
        if throttle.too_many(Attempt.SUBMIT, keys):
            form.add_error(None, _("Too many requests from here in the last hour. Please call 12345."))
        else:
            try:
                photos = uploads.check(request.FILES.getlist("photos"))
                case = create(request, form.cleaned_data, photos)
            except Refused as error:
                form.add_error(None, str(error))
            else:
                throttle.count(Attempt.SUBMIT, keys)
                routing.route(case)  # place, category, unit: dispatched at once when sure enough
                access.allow(request, case)
                messages.success(request, _("Your request is registered as case %(number)s. Keep this number to track it.") % {"number": case.number})
                return redirect("public:case", case.number)
    return render(request, "public/submit.html", {"form": form, "max_photos": uploads.MAX_PHOTOS, **map_context()})


def map_context():
    """The district's outline for the point picker, and map tiles if the deployment has any."""
    return {"boundary": boundary(), "tiles": getattr(settings, "MAP_TILES_URL", "")}


def boundary():
    path = DEPLOYMENTS / settings.DEPLOYMENT / "boundary.geojson"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def too_big(request):
    error = _("The photos are too large together; send fewer or smaller ones.")
    context = {"form": SubmitForm(), "max_photos": uploads.MAX_PHOTOS, "error": error, **map_context()}
    return render(request, "public/submit.html", context, status=413)


def create(request, data, photos):
    """Intake by the citizen (logged in or not) with the photos, all or nothing."""
    user = request.user
    signed_in = people.is_citizen(user)
    by = user if signed_in else Actor.anonymous()
    with transaction.atomic():
        case = steps.intake(
            by, channel=Channel.WEB, kind=data["kind"], title=data["title"], text=data["text"],
            address=data["address"], lat=data["lat"], lng=data["lng"], citizen_name=data["citizen_name"],
            citizen_phone=data["citizen_phone"], confidential=data["confidential"],
            citizen_user=user if signed_in else None,
        )
        uploads.store(case, case.events.get(seq=1), photos)
    return case


def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number, last_four = form.cleaned_data["number"], form.cleaned_data["last_four"]
        keys = [throttle.ip_key(request), f"case:{number}"]
        if throttle.too_many(Attempt.TRACK_FAILED, keys):
            form.add_error(None, _("Too many wrong tries. Please wait an hour, or call 12345."))
        else:
            case = Case.objects.filter(number=number).first()
            if case is not None and access.phone_matches(case, last_four):
                access.allow(request, case)
                return redirect("public:case", case.number)
            throttle.count(Attempt.TRACK_FAILED, keys)
            # The same answer whether the number exists or not.
            form.add_error(None, _("No case matches this number and phone."))
    return render(request, "public/track.html", {"form": form})


def tracked_case(request, number):
    case = Case.objects.filter(number=number).select_related("lead_unit", "main_case").first()
    if case is None or not access.may_track(request, case):
        raise Http404
    return case


def case(request, number):
    case = tracked_case(request, number)
    return render(request, "public/case.html", {
        "case": case,
        "rows": timeline.rows(case, public=True),
        "rate_form": RateForm() if rateable(case) else None,
    })


def rateable(case):
    if case.status == Status.REPLIED:
        return True
    return case.status == Status.MERGED and case.replied_at is not None and case.resolved is None


@require_POST
def rate(request, number):
    case = tracked_case(request, number)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please answer both questions."))
        return redirect("public:case", case.number)
    data = form.cleaned_data
    try:
        steps.follow_up(case, Actor.citizen(case), resolved=data["resolved"], satisfaction=data["satisfaction"], note=data["note"])
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you. Your rating is recorded."))
    return redirect("public:case", case.number)


def mine(request):
    """A signed-in citizen's own requests."""
    if not request.user.is_authenticated:
        return redirect("public:track")
    cases = Case.objects.filter(citizen_user=request.user).order_by("-created_at")[:100]
    return render(request, "public/mine.html", {"cases": cases})
