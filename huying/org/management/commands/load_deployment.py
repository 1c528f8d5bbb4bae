from django.core.management.base import BaseCommand, CommandError

from huying.org import deployment


class Command(BaseCommand):
    help = "Load a deployment's units, categories and rules (e.g. yuexiu); safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("name", help="deployment folder under huying/org/deployments/")

    def handle(self, *args, name, **options):
        try:
            tally = deployment.load(name)
        except deployment.DeploymentError as error:
            raise CommandError(str(error)) from error
        from huying.org.models import Unit

        counts = {kind: Unit.objects.filter(kind=kind).count() for kind, _ in Unit.KINDS}
        self.stdout.write(f"loaded {name}: {tally['created']} created, {tally['updated']} updated")
        self.stdout.write(", ".join(f"{n} {k}" for k, n in counts.items()))
