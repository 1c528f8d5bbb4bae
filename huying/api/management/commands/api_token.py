from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from huying.api.models import PersonalToken


class Command(BaseCommand):
    help = "Issue, list and revoke a person's own tokens for the REST API (/api/v1/)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it (shown once)")
        create.add_argument("username")
        create.add_argument("--name", default="api", help="what the token is for")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")
        listing = sub.add_parser("list", help="list tokens")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, username, name, **_):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username}.")
        token = PersonalToken(user=user, name=name[:100])
        secret = token.issue()
        token.save()
        self.stdout.write(secret)
        self.stderr.write(f"Token for {username}; it acts as {username} and is shown only now.")

    def revoke(self, prefix, **_):
        tokens = PersonalToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
        if tokens.count() != 1:
            raise CommandError(f"{tokens.count()} active tokens start with {prefix}; give the 12-character prefix.")
        tokens.get().revoke()
        self.stdout.write(f"revoked {prefix}…")

    def list(self, username=None, **_):
        rows = PersonalToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            rows = rows.filter(user__username=username)
        for t in rows:
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            self.stdout.write(f"{t.user.username}\t{t.name}\t{t.prefix}…\t{t.created_at:%Y-%m-%d}\t{state}")
