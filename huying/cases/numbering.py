"""Case numbers: deployment prefix, date of intake, running number of the day.

YX202102060001 is the first case of 6 Feb 2021 in Yuexiu. A busy day can go
past 9999; the running number then simply grows a digit.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huying.cases.models import Counter


def next_number(now):
    key = f"{settings.CASE_NUMBER_PREFIX}{timezone.localtime(now):%Y%m%d}"
    with transaction.atomic():
        # The UPDATE takes the row lock, so concurrent intakes queue here
        # instead of handing out one number twice.
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=1)
            except IntegrityError:
                Counter.objects.filter(key=key).update(value=F("value") + 1)
        value = Counter.objects.get(key=key).value
    return f"{key}{value:04d}"
