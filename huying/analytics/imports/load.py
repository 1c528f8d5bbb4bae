"""Loading an old system's export: read, check, write in batches, all in one
transaction.

Every row is checked; a bad row is reported with its line number. With
`skip_bad` the good rows load and the bad ones are listed; without it one bad
row refuses the whole file and nothing is written. Either way the file loads
whole or not at all, and a row whose external id was loaded before is left
alone, so running the same file twice adds nothing.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from huying.analytics.imports import reader
from huying.analytics.imports.build import BadRow, Lookups, RowBuilder
from huying.analytics.imports.mapping import MappingError
from huying.analytics.imports.write import Writer
from huying.analytics.models import ImportedCase
from huying.analytics.refresh import rollup

BATCH = 5000


@dataclass
class Report:
    rows: int = 0
    added: int = 0
    existing: int = 0
    bad: list = field(default_factory=list)  # (line, message)
    refused: bool = False


def import_file(path, mapping, *, skip_bad=False, batch=BATCH, bar=None):
    """Load the file; `bar` is a tqdm progress bar (or None)."""
    header, rows, total = reader.open_rows(path, mapping.encoding)
    missing = [f"{name} → {column}" for name, column in mapping.columns.items() if column not in header]
    if missing:
        raise MappingError(_("Columns named in the mapping are not in the file: %(cols)s. The file has: %(header)s")
                           % {"cols": "; ".join(missing), "header": ", ".join(header)})
    if bar is not None:
        bar.reset(total=total)
    label = Path(path).name
    builder = RowBuilder(mapping, Lookups(), label)
    writer = Writer(label)
    report, seen, pending = Report(), {}, []
    with transaction.atomic():
        for line, record in rows:
            report.rows += 1
            if bar is not None:
                bar.update()
            built = check(builder, record, line, seen, report)
            if built is None:
                continue
            pending.append(built)
            if len(pending) >= batch:
                flush(pending, writer, report, skip_bad)
                pending = []
        flush(pending, writer, report, skip_bad)
        if report.bad and not skip_bad:
            report.refused, report.added = True, 0
            transaction.set_rollback(True)
        elif writer.days:
            rollup(min(writer.days), max(writer.days))
    return report


def check(builder, record, line, seen, report):
    if "__width__" in record:
        got, want = record["__width__"]
        report.bad.append((line, _("%(got)s cells, the header has %(want)s") % {"got": got, "want": want}))
        return None
    try:
        built = builder.build(record, line)
    except BadRow as error:
        report.bad.append((line, str(error)))
        return None
    if built.key in seen:
        report.bad.append((line, _("external id %(id)s repeats line %(line)s") % {"id": built.key.split(":", 1)[1], "line": seen[built.key]}))
        return None
    seen[built.key] = line
    return built


def flush(pending, writer, report, skip_bad):
    if not pending:
        return
    known = set(ImportedCase.objects.filter(key__in=[b.key for b in pending]).values_list("key", flat=True))
    fresh = [b for b in pending if b.key not in known]
    report.existing += len(pending) - len(fresh)
    if report.bad and not skip_bad:
        return  # refused already: keep checking the rest, write nothing more
    writer.write(fresh)
    report.added += len(fresh)
