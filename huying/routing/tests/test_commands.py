"""`huying router train` / `evaluate` / `models` (call_command)."""

import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from huying.cases import steps
from huying.cases.models import Satisfaction
from huying.routing import store
from huying.routing.models import Label, Model
from huying.routing.tests import made_up
from huying.test import BaseTestCase

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "tipdm2020" / "messages_labelled.csv"
KEYS = {"macro_f1", "accuracy", "n", "per_class", "messages_per_second"}


def run(*args):
    out = io.StringIO()
    call_command("router", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


class RouterCommandTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        store.forget()
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def csv(self, name="messages.csv", **options):
        return str(made_up.write(Path(self.folder.name) / name, made_up.rows(**options)))

    def test_train_stores_an_active_versioned_model_and_keeps_unknown_labels(self):
        out = run("train", self.csv(), "--no-progress")
        model = Model.objects.get()
        self.assertEqual((model.version, model.active), (1, True))
        self.assertIn("model v1: macro-F1", out)
        self.assertIn("no model was active", out)
        self.assertGreater(model.metrics["macro_f1"], 0.9)
        self.assertEqual(model.n_train + model.n_held_out, 60)
        self.assertGreater(model.n_held_out, 0)
        # Labels naming a category are mapped; the older system's label is kept as it is.
        labels = {label.name: label.category for label in Label.objects.all()}
        self.assertEqual(labels, {"加装电梯": self.lifts, "垃圾清运": self.rubbish, "劳动保障旧类": None})
        self.assertIn("劳动保障旧类", out)
        self.assertIn("Routing › Labels", out)

    def test_a_worse_model_does_not_replace_the_active_one(self):
        run("train", self.csv(), "--no-progress")
        out = run("train", self.csv("noisy.csv", noise=0.6, seed=2), "--no-progress")
        first, second = Model.objects.order_by("version")
        self.assertTrue(first.active)
        self.assertFalse(second.active)
        self.assertLess(second.metrics["macro_f1"], second.metrics["incumbent"]["macro_f1"])
        self.assertIn("v1 stays active; v2 is stored inactive", out)
        self.assertEqual(store.active()[0], 1)

    def test_an_equal_or_better_model_replaces_the_active_one(self):
        run("train", self.csv("noisy.csv", noise=0.6, seed=2), "--no-progress")
        out = run("train", self.csv(), "--no-progress")
        self.assertIn("v2 is now active", out)
        self.assertEqual(list(Model.objects.filter(active=True).values_list("version", flat=True)), [2])
        self.assertEqual(store.active()[0], 2)

    def test_evaluate_prints_one_json_object(self):
        run("train", self.csv(), "--no-progress")
        out = run("evaluate", self.csv("test.csv", seed=7), "--json")
        result = json.loads(out)
        self.assertEqual(set(result), KEYS)
        self.assertEqual(result["n"], 60)
        self.assertGreater(result["macro_f1"], 0.9)
        self.assertGreater(result["messages_per_second"], 0)
        # Labels that stand for a category are reported by its path; the others as they are.
        self.assertEqual(set(result["per_class"]), {"城乡建设 › 住房管理 › 加装电梯", "市容环境 › 环境卫生 › 垃圾清运", "劳动保障旧类"})
        self.assertEqual(result["per_class"]["劳动保障旧类"]["support"], 20)

    def test_evaluate_cross_validates_without_a_model(self):
        result = json.loads(run("evaluate", self.csv(), "--json", "--cv", "3"))
        self.assertEqual(set(result), KEYS)
        self.assertEqual(result["n"], 60)
        self.assertFalse(Model.objects.exists())

    def test_evaluate_reads_as_text_too(self):
        run("train", self.csv(), "--no-progress")
        out = run("evaluate", self.csv("test.csv", seed=7))
        self.assertIn("model v1 on 60 messages: macro-F1", out)
        self.assertIn("劳动保障旧类", out)

    def test_evaluate_without_a_model_says_what_to_do(self):
        with self.assertRaisesMessage(CommandError, "no active model"):
            run("evaluate", self.csv(), "--json")

    def test_a_bad_file_is_refused_whole_with_line_numbers(self):
        path = Path(self.folder.name) / "bad.csv"
        data = made_up.rows()
        data[3]["category"] = ""
        data[9]["title"] = data[9]["body"] = ""
        made_up.write(path, data)
        with self.assertRaises(CommandError) as caught:
            run("train", str(path), "--no-progress")
        self.assertIn("line 5: no category", str(caught.exception))
        self.assertIn("line 11: no title and no body", str(caught.exception))
        self.assertFalse(Model.objects.exists())
        self.assertFalse(Label.objects.exists())

    def test_missing_columns_and_missing_files_are_refused(self):
        path = Path(self.folder.name) / "columns.csv"
        path.write_text("id,text,label\n1,a,b\n", encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "missing column(s) title, body, created_at, category"):
            run("train", str(path), "--no-progress")
        with self.assertRaisesMessage(CommandError, "no such file"):
            run("evaluate", str(Path(self.folder.name) / "nothing.csv"))
        with self.assertRaisesMessage(CommandError, "either a FILE or --from-cases"):
            run("train", "--no-progress")

    def test_one_label_is_not_enough(self):
        data = [r for r in made_up.rows() if r["category"] == "垃圾清运"]
        path = made_up.write(Path(self.folder.name) / "one.csv", data)
        with self.assertRaisesMessage(CommandError, "at least two categories"):
            run("train", str(path), "--no-progress")
        self.assertFalse(Model.objects.exists())

    def test_models_lists_versions(self):
        self.assertIn("no model yet", run("models"))
        run("train", self.csv(), "--no-progress")
        self.assertRegex(run("models"), r"v1 +active .* macro-F1 \d\.\d{3} on \d+ held out")

    def test_train_from_closed_cases(self):
        texts = {self.lifts: "旧楼加装电梯申请，低层业主不同意加装电梯", self.rubbish: "垃圾堆放无人清运，楼下垃圾堆了三天"}
        for n in range(24):
            category = self.lifts if n % 2 else self.rubbish
            case = self.replied_case(category=category, title=f"{texts[category][:8]}{n}", text=f"{texts[category]}（{n}）")
            steps.follow_up(case, self.operator, resolved=True, satisfaction=Satisfaction.SATISFIED, now=self.now)
        out = run("train", "--from-cases", "--no-progress", "--min-per-label", "5")
        model = Model.objects.get()
        # With 12 cases each, the leaves are learnt as themselves.
        self.assertEqual(model.labels, ["01.01.01", "02.01.01"])
        self.assertEqual(model.source, "cases")
        self.assertIn("model v1", out)
        run("train", "--from-cases", "--no-progress", "--min-per-label", "50")
        self.assertEqual(Model.objects.get(version=2).labels, ["01", "02"])

    def test_train_from_cases_with_nothing_closed(self):
        with self.assertRaisesMessage(CommandError, "nothing to learn from"):
            run("train", "--from-cases", "--no-progress")


@pytest.mark.skipif(not SHARED.exists(), reason="shared data (../shared/data/tipdm2020) not present")
class SharedFileTestCase(BaseTestCase):
    """The labelled messages of the TipDM 2020 set: 495 rows, 7 labels."""

    def setUp(self):
        super().setUp()
        store.forget()

    def test_train_and_evaluate_on_the_shared_file(self):
        run("train", str(SHARED), "--no-progress")
        model = Model.objects.get()
        self.assertEqual(len(model.labels), 7)
        # 城乡建设 is a category of the test district too; the six others are kept as they are.
        self.assertEqual(Label.objects.get(name="城乡建设").category, self.lifts.top())
        self.assertEqual(Label.objects.filter(category=None).count(), 6)
        result = json.loads(run("evaluate", str(SHARED), "--json"))
        self.assertEqual(set(result), KEYS)
        self.assertEqual(result["n"], 495)
        self.assertEqual(len(result["per_class"]), 7)
        # Held-out macro-F1 of a model that saw four fifths of the file.
        self.assertGreater(model.metrics["macro_f1"], 0.6)
