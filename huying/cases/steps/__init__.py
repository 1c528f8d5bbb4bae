"""A case's path, one module per step, in the order of the brief:

intake → dispatch (→ dispatch_down) → accept → [return | extension] → reply
→ follow_up → close, or → reopen → … ; urge and supervise along the way;
merge for duplicates; review for disputed ratings.
"""

from huying.cases.steps.accept import accept
from huying.cases.steps.close import close
from huying.cases.steps.dispatch import dispatch, dispatch_down
from huying.cases.steps.extension import approve_extension, reject_extension, request_extension
from huying.cases.steps.followup import follow_up
from huying.cases.steps.handback import approve_return, reject_return, request_return
from huying.cases.steps.intake import intake
from huying.cases.steps.merge import merge
from huying.cases.steps.reopen import reopen
from huying.cases.steps.reply import contribute, reply
from huying.cases.steps.review import review
from huying.cases.steps.supervise import supervise
from huying.cases.steps.urge import urge

__all__ = [
    "intake", "dispatch", "dispatch_down", "accept", "request_return", "approve_return", "reject_return",
    "request_extension", "approve_extension", "reject_extension", "reply", "contribute", "follow_up",
    "reopen", "review", "close", "urge", "supervise", "merge",
]
