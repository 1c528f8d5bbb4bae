"""Rows of a CSV or XLSX export, each with the line number a person sees
when they open the file (the header is line 1)."""

import csv
from pathlib import Path

from django.utils.translation import gettext as _


class FileError(ValueError):
    pass


def open_rows(path, encoding="utf-8-sig"):
    """(header, iterator of (line, {column: value}), total rows or None)."""
    path = Path(path)
    if not path.is_file():
        raise FileError(_("No such file: %(path)s") % {"path": path})
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return csv_rows(path, encoding, "\t" if suffix == ".tsv" else ",")
    raise FileError(_("Only CSV and XLSX files can be imported, not %(suffix)s") % {"suffix": suffix or path.name})


def csv_rows(path, encoding, delimiter):
    try:
        total = count_lines(path) - 1
        f = open(path, encoding=encoding, newline="")
        reader = csv.reader(f, delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
    except UnicodeDecodeError:
        raise FileError(_("%(path)s is not in %(encoding)s; set \"encoding\" in the mapping (e.g. gb18030).")
                        % {"path": path.name, "encoding": encoding}) from None
    if not header:
        raise FileError(_("%(path)s is empty.") % {"path": path.name})

    def rows():
        with f:
            try:
                for values in reader:
                    if not any(values):
                        continue
                    yield reader.line_num, dict(zip(header, values)) if len(values) == len(header) else bad_width(values, header)
            except UnicodeDecodeError:
                raise FileError(_("%(path)s has bytes that are not %(encoding)s after line %(line)s; set \"encoding\" in the mapping.")
                                % {"path": path.name, "encoding": encoding, "line": reader.line_num}) from None
            except csv.Error as error:
                raise FileError(_("%(path)s line %(line)s: %(error)s") % {"path": path.name, "line": reader.line_num, "error": error}) from None

    return header, rows(), max(total, 0)


def bad_width(values, header):
    """A row with the wrong number of cells: let the row check say so."""
    return {"__width__": (len(values), len(header))}


def count_lines(path):
    count = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
    return count + 1


def xlsx_rows(path):
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise FileError(_("%(path)s is not a readable XLSX file: %(error)s") % {"path": path.name, "error": error}) from None
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    first = next(it, None)
    if not first:
        raise FileError(_("%(path)s is empty.") % {"path": path.name})
    header = [str(h).strip() if h is not None else "" for h in first]
    total = (sheet.max_row or 1) - 1

    def rows():
        try:
            for line, values in enumerate(it, start=2):
                if not any(v not in (None, "") for v in values):
                    continue
                yield line, dict(zip(header, values))
        finally:
            book.close()

    return header, rows(), max(total, 0)
