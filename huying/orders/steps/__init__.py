"""An order's path, one module per step:

give (or confirm a report's proposals, or start from a hotspot) → assign
units → report progress → approve / reject; urge along the way; link cases.
"""

from huying.orders.steps.assign import assign
from huying.orders.steps.give import give
from huying.orders.steps.link import link_case, unlink_case
from huying.orders.steps.progress import approve, reject, report
from huying.orders.steps.urge import urge

__all__ = ["give", "assign", "report", "approve", "reject", "urge", "link_case", "unlink_case"]
