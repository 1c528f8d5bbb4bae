"""Confidence means "right this often": a first guess's confidence is mapped
to the share of such guesses that were right on held-out examples."""

import tempfile
from pathlib import Path

from huying.routing import intake, store, training
from huying.routing.models import Model
from huying.routing.tests import made_up
from huying.routing.training import Example
from huying.test import BaseTestCase


class Fixed:
    """A stand-in classifier whose first guess and confidence are given per text."""

    def __init__(self, answers):
        self.answers = answers

    def predict_top(self, texts, k=3):
        return [[self.answers[t]] for t in texts]


class CalibrationTestCase(BaseTestCase):
    def test_each_step_is_the_share_of_right_guesses_plus_one_right_one_wrong(self):
        held, answers = [], {}
        for n in range(20):  # confident and always right
            held.append(Example(f"a{n}", "加装电梯"))
            answers[f"a{n}"] = ("加装电梯", 0.1)
        for n in range(20):  # unsure and right half the time
            held.append(Example(f"b{n}", "垃圾清运"))
            answers[f"b{n}"] = ("垃圾清运" if n % 2 else "加装电梯", 0.05)
        result = training.calibration(Fixed(answers), held)
        self.assertEqual(result["n"], 40)
        self.assertAlmostEqual(store.calibrated(0.1, result), 21 / 22, places=3)
        self.assertAlmostEqual(store.calibrated(0.05, result), 11 / 22, places=3)
        self.assertAlmostEqual(store.calibrated(0.5, result), 21 / 22, places=3)  # beyond the data: the last step
        self.assertAlmostEqual(store.calibrated(0.01, result), 11 / 22, places=3)

    def test_a_label_standing_for_the_same_category_counts_as_right(self):
        held = [Example(f"t{n}", "01.01.01") for n in range(30)]
        result = training.calibration(Fixed({f"t{n}": ("加装电梯", 0.2) for n in range(30)}), held)
        self.assertAlmostEqual(store.calibrated(0.2, result), 31 / 32, places=3)

    def test_too_few_held_out_examples_leave_confidences_as_they_are(self):
        held = [Example(f"t{n}", "加装电梯") for n in range(training.MIN_CALIBRATION - 1)]
        self.assertIsNone(training.calibration(Fixed({e.text: ("加装电梯", 0.3) for e in held}), held))
        self.assertEqual(store.calibrated(0.3, None), 0.3)


class CalibratedRoutingTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        store.forget()

    def test_routing_uses_the_active_model_s_calibration(self):
        with tempfile.TemporaryDirectory() as folder:
            path = made_up.write(Path(folder) / "made_up.csv", made_up.rows(per_label=70))
            training.train(training.read_file(path), source="made_up.csv", progress=False)
        calibration = Model.objects.get().metrics["calibration"]
        self.assertGreaterEqual(calibration["n"], training.MIN_CALIBRATION)
        self.assertEqual(calibration["x"], sorted(calibration["x"]))
        self.assertTrue(all(0 < y < 1 for y in calibration["y"]))
        guesses, version, _ = intake.guess_categories("加装电梯审批", "加装电梯要准备什么资料")
        self.assertEqual(guesses[0].category, self.lifts)
        self.assertIn("of the time on held-out cases", guesses[0].why)
        # Made-up messages are easy: every held-out first guess was right.
        self.assertGreater(guesses[0].confidence, 0.9)
