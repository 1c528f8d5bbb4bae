from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from huying.analytics import periods, report
from huying.analytics.scope import Scope


class Command(BaseCommand):
    help = "Write the monthly report (ranking of the three rates, details per unit) as an Excel workbook."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="the month, e.g. 2021-03 (or any period: 2021-W09, 2021-03-01..2021-03-15)")
        parser.add_argument("--out", help="file to write (default huying-report-MONTH.xlsx in the current folder)")
        parser.add_argument("--language", default=None, help="zh-hans (default) or en")

    def handle(self, *args, month, out=None, language=None, **opts):
        try:
            period = periods.parse(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        with translation.override(language or translation.get_language() or "zh-hans"):
            data = report.build(Scope(None), period)
        path = Path(out or report.filename(period))
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from None
        self.stdout.write(f"Wrote {path} ({len(data):,} bytes) for {period.label}.")
