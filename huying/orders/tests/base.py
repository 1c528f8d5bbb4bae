"""The orders' test world: BaseTestCase's district and people, plus helpers
that make orders in a given state through the real steps."""

from huying.orders import steps
from huying.orders.models import Order
from huying.test import BaseTestCase, at

# 1x1 images in each accepted format, small enough to keep inline.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


class OrdersTestCase(BaseTestCase):
    # The year's plan: 3 Mar 2026 to the end of 2026.
    deadline = at(2026, 12, 31, 23, 59, 59)

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
