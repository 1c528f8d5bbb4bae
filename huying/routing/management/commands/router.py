"""`huying router`: the category classifier of this deployment.

    huying router train FILE.csv           learn from a file (id,title,body,created_at,category)
    huying router train --from-cases       learn from closed cases and people's corrections
    huying router evaluate FILE.csv [--json] [--cv K]
    huying router models                   the stored versions and their scores
"""

import json

from django.core.management.base import BaseCommand, CommandError

from huying.routing import store, training
from huying.routing.models import Model


class Command(BaseCommand):
    help = "Category classifier: train from a file or from closed cases, evaluate on a file, list models."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{train,evaluate,models}")
        train = actions.add_parser("train", help="train a new model; it becomes active only if it scores at least as well")
        train.add_argument("file", nargs="?", help="CSV with the columns id,title,body,created_at,category")
        train.add_argument("--from-cases", action="store_true", help="learn from closed cases and corrections instead of a file")
        train.add_argument("--min-per-label", type=int, default=training.MIN_PER_LABEL,
                           help="--from-cases: examples a subcategory needs to be learnt as itself (default %(default)s)")
        train.add_argument("--limit", type=int, default=training.CASES_LIMIT, help="--from-cases: newest closed cases used")
        train.add_argument("--no-progress", action="store_true", help="no progress bar")
        evaluate = actions.add_parser("evaluate", help="score the active model (or k-fold cross-validation) on a file")
        evaluate.add_argument("file", help="CSV with the columns id,title,body,created_at,category")
        evaluate.add_argument("--json", action="store_true", help="print one JSON object")
        evaluate.add_argument("--cv", type=int, metavar="K", help="cross-validate a fresh model in K folds instead")
        actions.add_parser("models", help="list stored models, newest first")

    def handle(self, *args, action, **options):
        try:
            getattr(self, action)(**options)
        except training.BadInput as error:
            raise CommandError(str(error)) from None

    def train(self, *, file, from_cases, min_per_label, limit, no_progress, **options):
        if bool(file) == bool(from_cases):
            raise CommandError("give either a FILE or --from-cases")
        if from_cases:
            examples, source = training.examples_from_cases(limit=limit, min_per_label=min_per_label), "cases"
        else:
            examples, source = training.read_file(file), str(file)
        result = training.train(examples, source=source, progress=not no_progress)
        new = result.metrics
        self.stdout.write(
            f"model v{result.version}: macro-F1 {new['macro_f1']:.3f}, accuracy {new['accuracy']:.3f} "
            f"on {result.n_held_out} held-out examples (trained on {result.n_train})"
        )
        if result.incumbent_metrics is None:
            self.stdout.write(f"no model was active: v{result.version} is now active")
        else:
            old = result.incumbent_metrics
            if result.activated:
                verdict = f"v{result.version} is now active"
            else:
                verdict = f"v{result.incumbent_version} stays active; v{result.version} is stored inactive"
            self.stdout.write(
                f"active model v{result.incumbent_version} on the same examples: macro-F1 {old['macro_f1']:.3f}, "
                f"accuracy {old['accuracy']:.3f} → {verdict}"
            )
        if result.unmapped:
            self.stdout.write(
                f"{len(result.unmapped)} label(s) are not categories of this deployment and are learnt as they are: "
                + ", ".join(result.unmapped) + ". Map them to categories in the admin (Routing › Labels)."
            )

    def evaluate(self, *, file, cv, **options):
        examples = training.read_file(file)
        if cv:
            result = training.cross_validate(examples, folds=cv)
        else:
            version, classifier = store.active()
            if classifier is None:
                raise CommandError("no active model: train one first (huying router train FILE.csv), or use --cv K")
            result = training.score(classifier, examples)
        if options["json"]:
            self.stdout.write(dumps(result))
            return
        how = f"{cv}-fold cross-validation" if cv else f"model v{version}"
        self.stdout.write(f"{how} on {result['n']} messages: macro-F1 {result['macro_f1']:.3f}, accuracy {result['accuracy']:.3f}, "
                          f"{result['messages_per_second']:.0f} messages/s")
        width = max(len(label) for label in result["per_class"]) + 2
        self.stdout.write(f"{'label':<{width}} precision  recall  f1     support")
        for label, m in result["per_class"].items():
            self.stdout.write(f"{label:<{width}} {m['precision']:<10.3f} {m['recall']:<7.3f} {m['f1']:<6.3f} {m['support']}")

    def models(self, **options):
        rows = Model.objects.defer("data")
        if not rows:
            self.stdout.write("no model yet")
        for model in rows:
            m = model.metrics
            state = "active" if model.active else "      "
            self.stdout.write(f"v{model.version:<4} {state} {model.created_at:%Y-%m-%d %H:%M} macro-F1 {m.get('macro_f1', 0):.3f} "
                              f"on {model.n_held_out} held out, {model.n_train} trained, {len(model.labels)} labels, from {model.source}")


def dumps(result):
    return json.dumps(result, ensure_ascii=False, sort_keys=True)
