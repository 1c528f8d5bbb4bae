"""The monthly report (月度通报): an Excel workbook as a district office
circulates it — the ranking of the three rates for streets and for
departments, then the details per unit (communities under their street), and
a sheet with the definitions and weights used.

Labels are translated (Simplified Chinese by default); numbers are real numbers
with percentage formats, so the office can sort and sum in Excel.
"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from huying.analytics import figures
from huying.analytics.rates import weights, with_rates
from huying.analytics.scope import Units
from huying.org.models import Unit

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="DDEBF7")
PERCENT = "0.0%"
SCORE = "0.00"


def ranking_columns():
    return [
        (_("Rank"), "rank", None), (_("Unit"), "name", None), (_("Cases in"), "received", None),
        (_("Dispatched"), "dispatched", None), (_("Response rate"), "response", PERCENT),
        (_("Resolution rate"), "resolution", PERCENT), (_("Satisfaction rate"), "satisfaction", PERCENT),
        (_("Score"), "score", SCORE),
    ]


def detail_columns():
    return [
        (_("Unit"), "name", None), (_("Cases in"), "received", None), (_("Merged"), "merged", None),
        (_("Dispatched"), "dispatched", None), (_("Accepted on time"), "accepted_on_time", None),
        (_("First contact in time"), "first_contact_in_time", None), (_("Responded"), "responded", None),
        (_("Replied"), "replied", None), (_("Replied on time"), "replied_on_time", None), (_("Overdue"), "overdue", None),
        (_("Rated"), "rated", None), (_("Resolved"), "resolved", None), (_("Satisfied"), "satisfied", None),
        (_("Basically satisfied"), "basically", None), (_("Unsatisfied"), "unsatisfied", None),
        (_("Disputed ratings excluded"), "excluded", None), (_("Reopened"), "reopened", None), (_("Closed"), "closed", None),
        (_("Response rate"), "response", PERCENT), (_("Resolution rate"), "resolution", PERCENT),
        (_("Satisfaction rate"), "satisfaction", PERCENT), (_("Score"), "score", SCORE),
    ]


def build(scope, period, *, title=None):
    """The workbook for the period, as bytes."""
    tree = Units()
    district = Unit.objects.filter(kind=Unit.DISTRICT).order_by("pk").first()
    name = title or (district.name if district else settings.SITE_NAME)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ranking")
    heading(sheet, _("%(name)s: the three rates of citizen requests, %(period)s") % {"name": name, "period": period.label},
            len(ranking_columns()))
    row = 4
    for kind, label in ((Unit.STREET, _("Streets")), (Unit.DEPARTMENT, _("Departments"))):
        rows = figures.ranking(scope, period, kind, tree)
        row = table(sheet, row, label, ranking_columns(), rows) + 2
    per_unit = figures.by_unit(scope, period)
    for kind, label in ((Unit.STREET, _("Streets in detail")), (Unit.DEPARTMENT, _("Departments in detail"))):
        detail = book.create_sheet(label[:31])
        heading(detail, f"{name} · {label} · {period.label}", len(detail_columns()))
        table(detail, 4, None, detail_columns(), detail_rows(tree, scope, period, per_unit, kind))
    notes(book.create_sheet(_("Definitions")), period)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def heading(sheet, text, width):
    sheet.cell(row=1, column=1, value=text).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    w = weights()
    sheet.cell(row=2, column=1, value=_(
        "Cases that came in during the period, counted for the unit answerable for them. Score = response × %(r)s + "
        "resolution × %(s)s + satisfaction × %(t)s (weights out of %(total)s). Made %(now)s."
    ) % {"r": fmt(w[0]), "s": fmt(w[1]), "t": fmt(w[2]), "total": fmt(sum(w)), "now": f"{timezone.localtime():%Y-%m-%d %H:%M}"})
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.cell(row=2, column=1).alignment = Alignment(wrap_text=True)
    sheet.row_dimensions[2].height = 30


def fmt(number):
    return f"{number:g}"


def table(sheet, row, label, columns, rows):
    """Write a titled table from `row`; return the last row written."""
    if label:
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True, size=12)
        row += 1
    for col, (title, _key, _fmt) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=col, value=title)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = max(sheet.column_dimensions[get_column_letter(col)].width or 0,
                                                                    24 if _key == "name" else 11)
    for values in rows:
        row += 1
        for col, (_title, key, number_format) in enumerate(columns, start=1):
            value = values.get(key)
            cell = sheet.cell(row=row, column=col, value="–" if value is None and number_format else value)
            cell.border = BOX
            if number_format and value is not None:
                cell.number_format = number_format
                if number_format == SCORE:
                    cell.value = round(value, 2)
            if values.get("indent") and key == "name":
                cell.alignment = Alignment(indent=2)
    return row


def detail_rows(tree, scope, period, per_unit, kind):
    """Each street (or department), then its communities and grids."""
    rows = [r for r in figures.ranking(scope, period, kind, tree)]
    out = []
    for row in sorted(rows, key=lambda r: tree.by_id[r["unit"]]["path"]):
        out.append(row)
        for child in sorted(tree.subtree(row["unit"]) - {row["unit"]}, key=lambda u: tree.by_id[u]["path"]):
            if child in per_unit:
                out.append({"name": tree.name(child), "indent": True, **with_rates(per_unit[child])})
    return out


def notes(sheet, period):
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 100
    lines = [
        (_("Period"), f"{period.first} – {period.last}"),
        (_("Cases in"), _("Every case that came in during the period (local date of intake), duplicates included.")),
        (_("Response rate"), _("Cases accepted on time and first answered in time ÷ cases dispatched to units.")),
        (_("Resolution rate"), _("Rated resolved ÷ rated. The latest rating of each case counts once.")),
        (_("Satisfaction rate"), _("(Satisfied + basically satisfied) ÷ rated.")),
        (_("Disputed ratings excluded"), _("Ratings a supervisor found unreasonable on review: not counted as rated.")),
        (_("Unit"), _("The unit answerable for the case now; communities and grids count within their street; "
                      "a duplicate counts for the unit of the case it was merged into.")),
        (_("–"), _("Nothing to divide by: no case dispatched, or none rated.")),
    ]
    for i, (term, text) in enumerate(lines, start=1):
        sheet.cell(row=i, column=1, value=term).font = Font(bold=True)
        sheet.cell(row=i, column=2, value=text).alignment = Alignment(wrap_text=True)


def filename(period):
    return f"huying-report-{period.text}.xlsx"
