"""Why a step was refused. Every refusal leaves the case exactly as it was."""


class Refused(Exception):
    """A step was not carried out; `str(error)` is the message for the person."""

    status = 400


class NotAllowed(Refused):
    """This person may not take this step on this case."""

    status = 403


class WrongState(Refused):
    """The case is not in a state where this step makes sense."""

    status = 409


class Conflict(Refused):
    """Someone else changed the case first."""

    status = 409


class BadInput(Refused):
    """The step's input is missing or malformed."""

    status = 400
