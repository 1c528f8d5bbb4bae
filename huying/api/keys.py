"""Secrets handed to clients: API keys for systems, tokens for people.

Only a SHA-256 digest is stored. The secrets are 32 random bytes, so a
plain digest is as safe as a slow password hash and costs one indexed
lookup per request; the short prefix lets people tell keys apart.
"""

import hashlib
import secrets


def new_secret(kind):
    """A fresh secret such as `hyk_Ab3d…` (kind: "hyk" key, "hyt" token)."""
    return f"{kind}_{secrets.token_urlsafe(32)}"


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def prefix(secret):
    return secret[:12]
