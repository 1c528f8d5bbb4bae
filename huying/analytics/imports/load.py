"""Loading an old system's export: read, check, write in batches, all in one
transaction.

Every row is checked; a bad row is reported with its line number. With
`skip_bad` the good rows load and the bad ones are listed; without it one bad
row refuses the whole file and nothing is written. Either way the file loads
whole or not at all, and a row whose external id was loaded before is left
alone, so running the same file twice adds nothing.

Reading and building run in a thread beside the writing (`built_batches`), so
PostgreSQL takes one batch while Python builds the next.
"""

import gc
import queue
import sys
import threading
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from huying.analytics.imports import reader
from huying.analytics.imports.build import BadRow, Lookups, RowBuilder
from huying.analytics.imports.mapping import MappingError
from huying.analytics.imports.write import Writer, existing_keys
from huying.analytics.models import ImportedCase
from huying.analytics.refresh import rollup

BATCH = 5000
SWITCH = 0.0002  # seconds a thread runs before the other may take over
FIRST = 1000


@dataclass
class Report:
    rows: int = 0
    added: int = 0
    existing: int = 0
    bad: list = field(default_factory=list)  # (line, message)
    refused: bool = False


def import_file(path, mapping, *, skip_bad=False, batch=BATCH, bar=None, copy=None):
    """Load the file; `bar` is a tqdm progress bar (or None); `copy` chooses
    COPY (PostgreSQL's default) or INSERTs, for tests comparing the two."""
    header, rows, total = reader.open_rows(path, mapping.encoding)
    missing = [f"{name} → {column}" for name, column in mapping.columns.items() if column not in header]
    if missing:
        raise MappingError(_("Columns named in the mapping are not in the file: %(cols)s. The file has: %(header)s")
                           % {"cols": "; ".join(missing), "header": ", ".join(header)})
    if bar is not None:
        bar.reset(total=total)
    label = Path(path).name
    builder = RowBuilder(mapping, Lookups(), label)
    writer = Writer(label, copy=copy)
    report = Report()
    earlier = ImportedCase.objects.filter(key__startswith=f"{mapping.source}:").exists()
    # closing(): a failed write stops the building thread at once, not when
    # the generator is collected.
    with transaction.atomic(), closing(built_batches(rows, builder, batch, writer.prepare)) as batches, no_cycle_collection():
        writer.begin()
        for built, bad, count in batches:
            report.rows += count
            report.bad += bad
            if bar is not None:
                bar.update(count)
            flush(built, writer, report, skip_bad, earlier)
        writer.end()
        if report.bad and not skip_bad:
            report.refused, report.added = True, 0
            transaction.set_rollback(True)
        elif writer.days:
            rollup(min(writer.days), max(writer.days))
    return report


def built_batches(rows, builder, size, prepare):
    """(built rows, bad rows, rows read) in batches of `size` good rows.

    Reading and building run in a thread of their own while this thread
    writes the previous batch: PostgreSQL works on one core while Python
    builds on the other. The builder does not touch the database."""
    done = object()
    batches = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item):
        while not stop.is_set():
            try:
                batches.put(item, timeout=0.2)
                return True
            except queue.Full:
                continue
        return False

    def work(language):
        translation.activate(language)  # bad-row messages in the caller's language
        try:
            seen, good, bad, count = {}, [], [], 0
            limit = min(size, FIRST)  # a small first batch sets the database to work sooner
            for line, record in rows:
                count += 1
                built = check(builder, record, line, seen, bad)
                if built is not None:
                    good.append(prepare(built))
                if len(good) >= limit:
                    if not put((good, bad, count)):
                        return
                    good, bad, count, limit = [], [], 0, size
            put((good, bad, count))
            put(done)
        except Exception as error:  # handed to the writing thread, which raises it
            put(error)
        finally:
            translation.deactivate()

    worker = threading.Thread(target=work, args=(translation.get_language(),), name="import-builder", daemon=True)
    # This thread waits on the database many times a batch and needs the
    # interpreter back quickly each time; at the default 5 ms it queues
    # behind the builder and PostgreSQL idles.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH)
    worker.start()
    try:
        while (item := batches.get()) is not done:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(switch)


@contextmanager
def no_cycle_collection():
    """Built rows hold no reference cycles, so reference counting frees them;
    the cycle collector's passes over the hundreds of thousands of live row
    objects would cost about a tenth of the building."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(builder, record, line, seen, bad):
    if "__width__" in record:
        got, want = record["__width__"]
        bad.append((line, _("%(got)s cells, the header has %(want)s") % {"got": got, "want": want}))
        return None
    try:
        built = builder.build(record, line)
    except BadRow as error:
        bad.append((line, str(error)))
        return None
    if built.key in seen:
        bad.append((line, _("external id %(id)s repeats line %(line)s") % {"id": built.key.split(":", 1)[1], "line": seen[built.key]}))
        return None
    seen[built.key] = line
    return built


def flush(pending, writer, report, skip_bad, earlier=True):
    """Write the rows no earlier import loaded. Keys come only from imports,
    so with no `earlier` key of this source there is nothing to look up (a
    tenth of PostgreSQL's work on a first import)."""
    if not pending:
        return
    known = existing_keys([b.key for b in pending]) if earlier else set()
    fresh = [b for b in pending if b.key not in known]
    report.existing += len(pending) - len(fresh)
    if report.bad and not skip_bad:
        return  # refused already: keep checking the rest, write nothing more
    writer.write(fresh)
    report.added += len(fresh)
