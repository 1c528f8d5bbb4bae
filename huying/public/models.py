"""Attempts counted to slow down guessing and flooding on the public pages."""

from django.db import models


class Attempt(models.Model):
    """One tracking failure or one submission, by what it was aimed at."""

    TRACK_FAILED = "track_failed"
    SUBMIT = "submit"
    KINDS = [(TRACK_FAILED, "tracking failed"), (SUBMIT, "submission")]

    kind = models.CharField(max_length=20, choices=KINDS)
    # An address ("ip:1.2.3.4") or a case number ("case:YX2021...").
    key = models.CharField(max_length=80)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"])]
