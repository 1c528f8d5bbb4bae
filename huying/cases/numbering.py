"""Case numbers: deployment prefix, date of intake, running number of the day.

YX202102060001 is the first case of 6 Feb 2021 in Yuexiu. A busy day can go
past 9999; the running number then simply grows a digit.
"""

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from huying.cases.models import Counter


def next_number(now):
    key = f"{settings.CASE_NUMBER_PREFIX}{timezone.localtime(now):%Y%m%d}"
    # No savepoint of its own: a caller's failure undoes the count with the
    # rest of its transaction, so no number is used up by a failed intake.
    with transaction.atomic(savepoint=False):
        value = bump(key)
        if value is None:
            try:
                with transaction.atomic():  # the day's first case, maybe twice at once
                    Counter.objects.create(key=key, value=1)
                value = 1
            except IntegrityError:
                value = bump(key)
    return f"{key}{value:04d}"


def bump(key):
    """Add one to the day's counter and read it in one statement (PostgreSQL
    and SQLite ≥ 3.35 both have RETURNING); None when the day has no row yet.
    The UPDATE takes the row lock, so concurrent intakes queue here instead of
    handing out one number twice."""
    quote = connection.ops.quote_name
    sql = (f"UPDATE {quote(Counter._meta.db_table)} SET {quote('value')} = {quote('value')} + 1 "
           f"WHERE {quote('key')} = %s RETURNING {quote('value')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    return row[0] if row else None
