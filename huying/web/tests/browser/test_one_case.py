"""One case through every role, in the browser: a citizen submits, the
dispatcher sends it to a street, the street accepts and passes it to a
community, the community replies with a photo, the follow-up records 不满意,
the case reopens, the reply comes again, the follow-up records 满意, and the
case closes."""

import re

from huying.browser_test import NUMBER
from huying.cases.models import Attachment, Case, Status


def citizen_submits(citizen, photo_file):
    page = citizen.go("/submit/")
    page.select_option("#id_kind", "complaint")
    page.fill("#id_title", "东风中路垃圾堆放")
    page.fill("#id_text", "东风中路268号楼下垃圾堆放三天无人清运，气味难闻。")
    page.fill("#id_address", "东风中路268号")
    page.locator("#point-map").click()  # the middle of the district's outline
    assert page.input_value("#id_lat") and page.input_value("#id_lng")
    page.set_input_files("#id_photos", photo_file)
    page.fill("#id_citizen_name", "王小明")
    page.fill("#id_citizen_phone", "13900001234")
    citizen.submit(page.locator("button.primary"))
    assert re.search(r"/track/YX\d{12}/$", page.url)
    number = NUMBER.search(page.url).group(0)
    assert number in citizen.text()
    assert page.locator(".photos img").count() == 1
    case = Case.objects.get(number=number)
    assert 23.0 < case.lat < 23.3 and 113.1 < case.lng < 113.4  # a point in Yuexiu
    return number


def follow_up(supervisor, number, resolved, satisfaction):
    page = supervisor.go("/work/followups/")
    card = page.locator(f"article[data-number='{number}']")
    card.locator(f"input[name=resolved][value={resolved}]").check()
    card.locator(f"input[name=satisfaction][value={satisfaction}]").check()
    card.locator("input[name=note]").fill("回访记录")
    supervisor.submit(card.locator("button.primary"))


def accept_and_reply(community, number, text, photo_file=None):
    page = community.go("/work/inbox/")
    community.submit(page.locator(f"tr[data-number='{number}'] button", has_text="签收"))
    page = community.go(f"/work/cases/{number}/")
    reply = page.locator("details[data-form=reply]")
    reply.locator("textarea[name=text]").fill(text)
    if photo_file:
        reply.locator("input[name=photos]").set_input_files(photo_file)
    community.submit(reply.locator("button.primary"))
    assert f"工单 {number}：答复 完成" in community.text()


def test_one_case_through_every_role(world, person, photo_file):
    citizen = person()
    number = citizen_submits(citizen, photo_file)

    dispatcher = person("dispatcher", form=True)  # through the login form, landing on the queue
    page = dispatcher.page
    assert page.url.endswith("/work/dispatch/")
    page.click(f"a:text('{number}')")
    form = page.locator("details[data-form=dispatch]")
    form.locator("select[name=lead]").select_option(label="洪桥街道")
    dispatcher.submit(form.locator("button.primary"))
    assert Case.objects.get(number=number).lead_unit == world.street

    street = person("street")
    page = street.go("/work/inbox/")
    street.submit(page.locator(f"tr[data-number='{number}'] button"))
    page = street.go(f"/work/cases/{number}/")
    down = page.locator("details[data-form=dispatch_down]")
    down.locator("summary").click()
    down.locator("select[name=to]").select_option(label="登峰社区")
    street.submit(down.locator("button"))
    case = Case.objects.get(number=number)
    assert (case.status, case.lead_unit) == (Status.DISPATCHED, world.community)

    community = person("community")
    accept_and_reply(community, number, "已安排保洁员清运，现场已清理干净。", photo_file)
    reply_photo = Attachment.objects.get(case__number=number, event__action="reply")

    supervisor = person("supervisor")
    follow_up(supervisor, number, "no", "unsatisfied")
    case = Case.objects.get(number=number)
    assert (case.status, case.reopen_count, case.lead_unit) == (Status.DISPATCHED, 1, world.community)

    accept_and_reply(community, number, "再次清运并加装垃圾桶，已与物业约定每日清运。")
    follow_up(supervisor, number, "yes", "satisfied")
    case = Case.objects.get(number=number)
    assert (case.status, case.satisfaction) == (Status.CLOSED, "satisfied")

    # The whole story on the case page, in order.
    page = supervisor.go(f"/work/cases/{number}/")
    actions = page.locator("ol.timeline li").evaluate_all("items => items.map(i => i.dataset.action)")
    assert actions == ["intake", "route", "dispatch", "accept", "dispatch_down", "accept", "reply", "follow_up", "reopen",
                       "accept", "reply", "follow_up", "close"]
    assert page.locator(".photos img").count() == 2

    # The citizen follows it all, sees the reply's photo, and no staff names.
    page = citizen.go(f"/track/{number}/")
    text = citizen.text()
    assert "已办结" in text and "再次清运" in text
    assert page.locator(f"img[src='/files/{reply_photo.pk}/']").count() == 1
    for name in ("dispatcher", "street", "community", "supervisor"):
        assert name not in text
