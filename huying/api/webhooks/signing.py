"""The signature a receiver checks: HMAC-SHA256 of `"{t}.{body}"`.

Header: `X-Huying-Signature: t=<unix seconds>,v1=<hex digest>`. Signing the
time with the body lets a receiver refuse old replays (say, older than five
minutes); comparing with `hmac.compare_digest` avoids timing leaks.
"""

import hashlib
import hmac

HEADER = "X-Huying-Signature"


def sign(secret, body, timestamp):
    message = f"{int(timestamp)}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={int(timestamp)},v1={digest}"


def verify(secret, body, header, *, now, tolerance=300):
    """What a receiver does; used by the tests and shown in docs/api.md."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={fields.get('v1', '')}")
