"""In the browser: a leader confirms orders read from a work report, the
lead unit assigns a street, the street reports progress with a photo, the
lead unit approves it, and the public page shows the new figure."""

from huying.orders.models import Order, Progress
from huying.orders.tests.test_extract import MADE_UP


def test_from_report_to_public_progress(world, person, shot, photo_file):
    # 1. The leader reads the report and confirms the lift target (and only it).
    leader = person("leader")
    page = leader.go("/orders/reports/")
    page.fill("input[name=title]", "青禾区2022年政府工作报告")
    page.set_input_files("input[name=file]", str(MADE_UP))
    leader.submit(page.locator("#report-upload button.primary"))
    assert "/orders/reports/" in page.url and page.locator('tr[data-key="48.1"]').count() == 1
    assert not Order.objects.exists()  # read, not yet confirmed
    row = page.locator('tr[data-key="48.1"]')
    row.locator("input[name=pick]").check()
    row.locator("select").select_option(label=world.housing.name)
    shot(page, "1-confirm")
    leader.submit(page.locator("#confirm-button"))
    order = Order.objects.get()
    assert (order.report_key, order.target, order.measure, order.lead_unit) == ("48.1", 120, "台", world.housing)
    assert page.locator(f'a[href="/orders/{order.pk}/"]').count() == 1  # listed under "already orders"

    # 2. The lead unit gives 洪桥街道 its part.
    lead = person("department")
    page = lead.go(f"/orders/{order.pk}/")
    page.select_option("#assign-form select[name=unit]", label=world.street.name)
    page.fill("#assign-form input[name=quantity]", "100")
    lead.submit(page.locator("#assign-form button"))
    assert page.locator(f'tr[data-unit="{world.street.code}"]').count() == 1

    # 3. The street reports 30 lifts with a photo, on a phone.
    street = person("street", viewport={"width": 375, "height": 740})
    page = street.go(f"/orders/{order.pk}/")
    page.fill("#report-form input[name=quantity]", "30")
    page.fill("#report-form textarea[name=text]", "洪桥街道本期完成加装电梯30台")
    page.set_input_files("#report-form input[name=photos]", photo_file)
    shot(page, "2-report-on-a-phone")
    street.submit(page.locator("#report-form button"))
    progress = Progress.objects.get()
    assert progress.state == Progress.PENDING and progress.photos.count() == 1

    # The public page counts only approved work.
    citizen = person()
    page = citizen.go("/orders/livelihood/")
    assert "0 / 120" in page.inner_text("main")

    # 4. The lead unit approves; the order and the public page move.
    page = lead.go(f"/orders/{order.pk}/")
    assert page.locator(".photos img").count() == 1
    lead.submit(page.locator(f'div[data-progress="{progress.pk}"] button.primary'))
    assert "30 / 120" in page.inner_text("#order-progress")
    shot(page, "3-order-after-approval")
    page = citizen.go("/orders/livelihood/")
    text = page.inner_text("main")
    assert "30 / 120" in text and "洪桥街道本期完成加装电梯30台" in text
    shot(page, "4-public-livelihood")
    page = person(viewport={"width": 375, "height": 740}).go("/orders/livelihood/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone
    shot(page, "5-public-on-a-phone")

    # The orders list shows the bar to everyone in the work.
    page = leader.go("/orders/")
    assert page.locator(f'tr[data-order="{order.pk}"] progress').get_attribute("value") == "25"
