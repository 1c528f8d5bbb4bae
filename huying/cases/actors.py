"""Who takes a step: a person, a citizen, or the system itself."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Actor:
    user: object = None  # a User, or None for the system and anonymous citizens
    label: str = ""
    system: bool = False
    # An anonymous citizen proves ownership of one case (number + phone).
    citizen_of: int | None = None
    # A citizen on the public pages, not logged in, submitting a request.
    public: bool = False

    @classmethod
    def of(cls, who):
        if isinstance(who, Actor):
            return who
        if who is None or not getattr(who, "is_authenticated", False):
            raise TypeError("a step needs an Actor or a logged-in user")
        return cls(user=who, label=who.get_full_name() or who.get_username())

    @classmethod
    def worker(cls):
        return cls(label=_("worker"), system=True)

    @classmethod
    def integration(cls, name):
        """Another system (API client, sensor network, city 12345 platform)."""
        return cls(label=name, system=True)

    @classmethod
    def citizen(cls, case):
        return cls(label=_("citizen"), citizen_of=case.pk)

    @classmethod
    def anonymous(cls):
        """Someone on the public web pages, without an account."""
        return cls(label=_("citizen"), public=True)
