"""The three rates (三率) and the composite score.

- response rate (响应率) = responded ÷ dispatched: accepted on time and first
  contact in time, of the cases sent to units;
- resolution rate (解决率) = rated resolved ÷ rated;
- satisfaction rate (满意率) = (satisfied + basically satisfied) ÷ rated.

Ratings found unreasonable on review are not in "rated". The composite score
weighs the three with `RATE_WEIGHTS` (default 30 / 35 / 35), out of 100. A
rate with nothing to divide by is None and the score is then None too, so a
unit with no cases is never ranked as if it scored zero.
"""

from django.conf import settings

from huying.analytics.models import COUNTS

RATES = ["response", "resolution", "satisfaction"]


def zero():
    return dict.fromkeys(COUNTS, 0)


def ratio(part, whole):
    return part / whole if whole else None


def rates(counts):
    return {
        "response": ratio(counts["responded"], counts["dispatched"]),
        "resolution": ratio(counts["resolved"], counts["rated"]),
        "satisfaction": ratio(counts["satisfied"] + counts["basically"], counts["rated"]),
    }


def weights():
    """(response, resolution, satisfaction) weights from the setting."""
    value = settings.RATE_WEIGHTS
    return parse_weights(value) if isinstance(value, str) else tuple(value)


def score(values, weights_=None):
    """Composite score out of 100, or None when a rate is missing."""
    w = weights_ or weights()
    parts = [values[name] for name in RATES]
    if any(p is None for p in parts):
        return None
    return 100 * sum(wi * p for wi, p in zip(w, parts)) / sum(w)


def parse_weights(text):
    """"30,35,35" -> (30.0, 35.0, 35.0); refuses anything else with a clear message."""
    try:
        values = tuple(float(x) for x in text.replace("/", ",").split(","))
    except ValueError:
        raise ValueError(f"RATE_WEIGHTS must be three numbers like 30,35,35, not {text!r}") from None
    if len(values) != 3 or any(v < 0 for v in values) or not sum(values):
        raise ValueError(f"RATE_WEIGHTS must be three non-negative numbers with a positive sum, not {text!r}")
    return values


def with_rates(counts):
    """The counts plus the three rates and the score."""
    out = dict(counts)
    out.update(rates(counts))
    out["score"] = score(out)
    return out
