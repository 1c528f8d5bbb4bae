"""People's corrections become training examples for the next model."""

from django.test import override_settings

from huying.cases import steps
from huying.cases.errors import BadInput, NotAllowed
from huying.routing import intake, responsibility, training
from huying.routing.corrections import change_category, learn_corrections
from huying.routing.models import Cursor, TrainingExample
from huying.sla import worker
from huying.test import BaseTestCase


def learn(now):
    """Corrections are read one worker round behind (see learn_corrections)."""
    return learn_corrections(now) + learn_corrections(now)


@override_settings(ROUTING_AUTO_DISPATCH=2)  # suggestions only, unless a test says otherwise
class CorrectionsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        responsibility.forget()

    def routed(self, **fields):
        case = self.new_case(**fields)
        intake.route(case, now=self.now)
        return self.fresh(case)

    def test_dispatching_elsewhere_than_suggested_is_a_correction(self):
        case = self.routed()  # suggestion: 洪桥街道 (territory)
        steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)
        self.assertEqual(learn(self.now), 1)
        example = TrainingExample.objects.get()
        self.assertEqual((example.source, example.case, example.unit), (TrainingExample.CORRECTION, case, self.housing))
        self.assertIn("楼下垃圾堆放三天无人清运", example.text)
        # The rubbish category does not lead to 住建局, so no category can be told from the choice.
        self.assertIsNone(example.category)

    def test_taking_the_first_suggestion_teaches_nothing(self):
        case = self.routed()
        steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)
        self.assertEqual(learn(self.now), 0)

    def test_cases_the_router_never_saw_teach_nothing(self):
        self.dispatched_case(lead=self.housing)
        self.assertEqual(learn(self.now), 0)

    def test_redispatch_after_an_approved_return_is_a_return_example(self):
        case = self.routed(category=self.lifts)  # 加装电梯 → 住建局 (category rule)
        steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)  # wrong
        steps.request_return(case, self.street_handler, reason="属住建局职责", now=self.now)
        steps.approve_return(case, self.dispatcher, reason="改派住建局", now=self.now)
        steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)
        self.assertEqual(learn(self.now), 2)
        wrong, right = TrainingExample.objects.order_by("event_id")
        self.assertEqual((wrong.source, wrong.unit, wrong.category), (TrainingExample.CORRECTION, self.street, None))
        # The unit chosen after the return is the suggested one: its category is the label.
        self.assertEqual((right.source, right.unit, right.category), (TrainingExample.RETURN, self.housing, self.lifts))

    def test_a_redispatch_of_an_automatic_dispatch_is_a_correction(self):
        with override_settings(ROUTING_AUTO_DISPATCH=0.8):
            case = self.routed(category=self.lifts)
        self.assertEqual(case.lead_unit, self.housing)
        steps.dispatch(case, self.dispatcher, lead=self.street, now=self.now)
        learn(self.now)
        example = TrainingExample.objects.get()
        self.assertEqual((example.source, example.unit), (TrainingExample.CORRECTION, self.street))

    def test_a_category_correction(self):
        case = self.routed()
        with self.assertRaises(NotAllowed):
            change_category(case, self.street_handler, category=self.lifts, now=self.now)
        with self.assertRaises(BadInput):
            change_category(case, self.dispatcher, category=self.rubbish, now=self.now)
        change_category(case, self.dispatcher, category=self.lifts, reason="属加装电梯", now=self.now)
        case = self.fresh(case)
        self.assertEqual(case.category, self.lifts)
        event = case.events.last()
        self.assertEqual((event.action, event.changes, event.reason), ("categorise", {"category": self.lifts.pk}, "属加装电梯"))
        learn(self.now)
        example = TrainingExample.objects.get()
        self.assertEqual((example.category, example.source), (self.lifts, TrainingExample.CORRECTION))

    def test_each_event_is_learnt_once_through_the_worker(self):
        case = self.routed()
        steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)
        for _ in range(4):
            worker.tick(self.now)
        self.assertEqual(TrainingExample.objects.count(), 1)
        cursor = Cursor.objects.get(name="corrections")
        self.assertEqual(cursor.position, cursor.horizon)

    def test_an_event_is_read_only_after_a_round_has_seen_it(self):
        learn_corrections(self.now)  # sets the horizon: nothing else exists yet
        case = self.routed()
        steps.dispatch(case, self.dispatcher, lead=self.housing, now=self.now)
        self.assertEqual(learn_corrections(self.now), 0)  # newer than the horizon
        self.assertEqual(learn_corrections(self.now), 1)

    def test_corrections_override_the_category_of_closed_cases_in_training(self):
        case = self.routed()
        change_category(case, self.dispatcher, category=self.lifts, now=self.now)
        learn(self.now)
        steps.close(self.fresh(case), self.operator, reason="已电话答复", now=self.now)
        examples = training.examples_from_cases(min_per_label=1)
        self.assertEqual([e.label for e in examples], [self.lifts.code])
