import random

from django.core.management.base import BaseCommand, CommandError

from huying.demo import generator


class Command(BaseCommand):
    help = "Add N demo cases over the past 12 months to the current database (after load-deployment)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="how many cases to add")
        parser.add_argument("--seed", type=int, help="random seed; the same seed and day give the same cases")

    def handle(self, *args, count, seed=None, verbosity=1, **options):
        if count < 1:
            raise CommandError("the number of cases must be at least 1")
        if seed is None:
            # Shown below, so a run can be repeated.
            seed = random.SystemRandom().randrange(2**31)
        try:
            summary = generator.generate(count, seed=seed, progress=verbosity > 0)
        except LookupError as error:
            raise CommandError(str(error)) from error
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"seed {seed}")
