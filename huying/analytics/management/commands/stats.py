import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from huying.analytics.refresh import rebuild, refresh_stats
from huying.cases.models import Case


class Command(BaseCommand):
    help = "The data centre's figures: bring them up to date now, or rebuild them from the case histories."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["refresh", "rebuild"],
                            help="refresh: take in changed cases now; rebuild: recompute everything from the events")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, action, no_progress=False, **opts):
        if action == "refresh":
            total = 0
            while done := refresh_stats():
                total += done
            self.stdout.write(f"{total} changed cases taken into the figures.")
            return
        with tqdm(total=Case.objects.count(), unit=" cases", disable=no_progress or None, file=sys.stderr) as bar:
            rebuild(progress=bar.update)
        self.stdout.write(f"Figures rebuilt from the histories of {Case.objects.count()} cases.")
