"""The routing admin: labels mapped by hand, models rolled back, decisions read-only."""

from django.urls import reverse
from django.utils import timezone

from huying.routing import intake
from huying.routing.models import Label, Model, Routing, Suggestion, TrainingExample
from huying.test import BaseTestCase


class RoutingAdminTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def test_an_old_label_is_mapped_to_a_category(self):
        label = Label.objects.create(name="劳动和社会保障", first_seen=timezone.now(), source="old.csv")
        url = reverse("admin:routing_label_change", args=[label.pk])
        self.assertContains(self.client.get(url), "劳动和社会保障")
        response = self.client.post(url, {"category": self.lifts.pk})
        self.assertEqual(response.status_code, 302)
        label.refresh_from_db()
        self.assertEqual((label.category, label.name), (self.lifts, "劳动和社会保障"))
        unmapped = self.client.get(reverse("admin:routing_label_changelist") + "?category__isempty=1")
        self.assertEqual(unmapped.status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:routing_label_add")).status_code, 403)

    def test_an_older_model_can_be_made_active_again(self):
        now = timezone.now()
        old = Model.objects.create(version=1, created_at=now, source="a.csv", data=b"x", metrics={"macro_f1": 0.8})
        Model.objects.create(version=2, created_at=now, source="b.csv", data=b"y", metrics={"macro_f1": 0.7}, active=True)
        changelist = reverse("admin:routing_model_changelist")
        self.assertContains(self.client.get(changelist), "b.csv")
        self.client.post(changelist, {"action": "activate", "_selected_action": [old.pk]})
        self.assertEqual(list(Model.objects.filter(active=True).values_list("version", flat=True)), [1])

    def test_decisions_are_read_only(self):
        case = self.new_case()
        intake.route(case, now=self.now)
        routing = Routing.objects.get()
        self.assertContains(self.client.get(reverse("admin:routing_routing_changelist")), case.number)
        self.assertEqual(self.client.get(reverse("admin:routing_routing_change", args=[routing.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:routing_suggestion_changelist")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:routing_trainingexample_changelist")).status_code, 200)
        response = self.client.post(reverse("admin:routing_routing_change", args=[routing.pk]), {"outcome": "failed"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Routing.objects.get().outcome, Routing.DISPATCHED)
        self.assertTrue(Suggestion.objects.exists())
        self.assertFalse(TrainingExample.objects.exists())

    def test_only_staff_get_in(self):
        self.client.force_login(self.dispatcher)
        response = self.client.get(reverse("admin:routing_label_changelist"))
        self.assertNotEqual(response.status_code, 200)
