"""Personal API tokens: `Authorization: Token hyt_…` (or `Bearer hyt_…`).

The token acts as its person: the same scope (`visible_cases`), the same
privacy rules and the same step permissions as in the console.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from huying.api.models import PersonalToken

SCHEMES = (b"token", b"bearer")
# Writing last_used_at on every request would turn reads into writes; once
# a minute is enough to see whether a token is still in use.
TOUCH_EVERY = 60


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token, with no spaces in it."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = PersonalToken.objects.select_related("user").by_secret(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is not valid or was revoked."))
        touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


def touch(token):
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_EVERY:
        PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
