from django.core.management.base import BaseCommand, CommandError

from huying.api.models import CLIENT_CHANNELS, ApiKey


class Command(BaseCommand):
    help = "Issue, list and revoke API keys of client systems (Open311 POST requests)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a key and print it (shown once)")
        create.add_argument("--name", required=True, help="the client system, e.g. city12345")
        create.add_argument("--channel", default="api", choices=[c for c, _ in CLIENT_CHANNELS],
                            help="the channel its cases arrive by")
        revoke = sub.add_parser("revoke", help="revoke the key of a client")
        revoke.add_argument("name")
        sub.add_parser("list", help="list clients and key prefixes")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, name, channel, **_):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("Give a name of 1 to 100 characters.")
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(f"A client named {name} exists already; revoke it or choose another name.")
        key = ApiKey(name=name, channel=channel)
        secret = key.issue()
        key.save()
        self.stdout.write(secret)
        self.stderr.write(f"API key for {name} ({channel}); it is shown only now.")

    def revoke(self, name, **_):
        key = ApiKey.objects.filter(name=name).first()
        if key is None:
            raise CommandError(f"No client named {name}.")
        key.revoke()
        self.stdout.write(f"revoked {name} ({key.prefix}…)")

    def list(self, **_):
        for key in ApiKey.objects.order_by("name"):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            self.stdout.write(f"{key.name}\t{key.channel}\t{key.prefix}…\t{key.created_at:%Y-%m-%d}\t{state}")
