"""The orders' test world: BaseTestCase's district and people, plus helpers
that make orders in a given state through the real steps."""

from django.utils import translation

from huying.orders import steps
from huying.orders.models import Order
from huying.test import BaseTestCase, at


def image(kind="PNG", size=(8, 6)):
    """A real photo in the given format, as bytes: noise, so its size grows
    with its pixels whatever the compression."""
    import io
    import random

    from PIL import Image

    noise = random.Random(str(size)).randbytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, noise).save(out, format=kind)
    return out.getvalue()


class OrdersTestCase(BaseTestCase):
    # The year's plan: 3 Mar 2026 to the end of 2026.
    deadline = at(2026, 12, 31, 23, 59, 59)

    def setUp(self):
        super().setUp()
        # Messages are checked in English, whatever the catalogue says in Chinese.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def give(self, **fields):
        values = {
            "title": "旧楼加装电梯", "target": 300, "measure": "台", "deadline": self.deadline,
            "lead_unit": self.housing, "co_units": [self.street], "now": self.now,
        } | fields
        return steps.give(self.leader, **values)

    def assigned(self, **fields):
        """An order with 100 of its 300 lifts assigned to 洪桥街道."""
        order = self.give(**fields)
        self.assignment = steps.assign(order, self.department_handler, unit=self.street, quantity=100, now=self.now)
        return self.fresh_order(order)

    def reported(self, quantity=20, **fields):
        order = self.assigned(**fields)
        self.progress = steps.report(self.assignment, self.street_handler, quantity=quantity,
                                     text="本月完成20台电梯加装", now=self.now)
        return self.fresh_order(order)

    def fresh_order(self, order):
        return Order.objects.get(pk=order.pk)
