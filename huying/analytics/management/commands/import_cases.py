import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from huying.analytics.imports import mapping as mappings
from huying.analytics.imports.load import BATCH, import_file
from huying.analytics.imports.reader import FileError

SHOW_BAD = 50


class Command(BaseCommand):
    help = "Load past work orders from a CSV or XLSX export, with a mapping file naming the columns."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file; the first row names the columns")
        parser.add_argument("--mapping", required=True, help="JSON file: which column is which field (docs/data-centre.md)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--skip-bad", action="store_true", help="load the good rows and list the bad ones")
        mode.add_argument("--all-or-nothing", action="store_true", help="refuse the whole file if any row is bad (the default)")
        parser.add_argument("--batch", type=int, default=BATCH, help="rows written per batch (default %(default)s)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **opts):
        try:
            mapping = mappings.load(opts["mapping"])
            with tqdm(unit=" rows", disable=opts["no_progress"] or None, file=sys.stderr, smoothing=0.1) as bar:
                report = import_file(opts["file"], mapping, skip_bad=opts["skip_bad"], batch=max(1, opts["batch"]), bar=bar)
        except (mappings.MappingError, FileError) as error:
            raise CommandError(str(error)) from None
        for line, message in report.bad[:SHOW_BAD]:
            self.stderr.write(f"line {line}: {message}")
        if len(report.bad) > SHOW_BAD:
            self.stderr.write(f"… and {len(report.bad) - SHOW_BAD} more bad rows")
        if report.refused:
            raise CommandError(
                f"{len(report.bad)} bad rows of {report.rows}: nothing was loaded. Fix them, or use --skip-bad to load the rest."
            )
        self.stdout.write(
            f"{report.rows} rows: {report.added} cases added, {report.existing} already loaded, {len(report.bad)} bad rows skipped."
        )
