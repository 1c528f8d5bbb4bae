"""Which cases this browser may follow without logging in: the ones whose
number and phone it proved (kept in the session), and a logged-in citizen's own."""

SESSION_KEY = "tracked_cases"
KEEP = 20


def allow(request, case):
    tracked = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    request.session[SESSION_KEY] = ([case.pk] + tracked)[:KEEP]


def may_track(request, case):
    if case.pk in request.session.get(SESSION_KEY, []):
        return True
    user = request.user
    return user.is_authenticated and case.citizen_user_id == user.pk


def phone_matches(case, last_four):
    digits = "".join(ch for ch in case.citizen_phone if ch.isdigit())
    return len(last_four) == 4 and last_four.isdigit() and len(digits) >= 4 and digits[-4:] == last_four
