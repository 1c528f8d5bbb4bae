"""The router's worker jobs (listed in `huying.sla.worker.JOBS`)."""

from huying.cases.models import Case, Status
from huying.routing.corrections import learn_corrections
from huying.routing.intake import route

BATCH = 200


def route_new(now):
    """Route new cases that no intake caller routed (an API client, a crash,
    a case that changed while it was being routed). `route` claims each by
    inserting its unique `Routing` row, so two workers never route one case."""
    pending = (Case.objects.filter(status=Status.NEW, created_at__lte=now, routing__isnull=True)
               .order_by("created_at")[:BATCH])
    return sum(1 for case in pending if route(case, now=now) is not None)


__all__ = ["route_new", "learn_corrections"]
