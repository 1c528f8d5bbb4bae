"""Rebuild a case's state from its events alone."""

from huying.cases.ledger import STATE_FIELDS, encode_changes


def replay(events):
    """The state the events describe, in the events' own encoding."""
    state = {}
    for event in sorted(events, key=lambda e: e.seq):
        state.update(event.changes)
    return state


def snapshot(case):
    """The case's current state, encoded the way events encode it."""
    values = {f.name: getattr(case, f.attname) for f in STATE_FIELDS}
    values["co_units"] = list(case.co_units.all())
    return encode_changes(values)
