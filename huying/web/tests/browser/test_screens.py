"""Every workbench in Chinese and in English (screenshots saved as test
artefacts), the field workers' pages on a 375-pixel phone, the deadline
clocks, and intake by keyboard alone."""

import datetime as dt

from django.utils import timezone

from huying.browser_test import PHONE
from huying.cases import steps
from huying.cases.models import Case, Status

# (who, page, screenshot name, also checked at phone width)
WORKBENCHES = [
    ("operator", "/work/intake/", "intake", False),
    ("dispatcher", "/work/dispatch/", "dispatch", False),
    ("street", "/work/inbox/", "inbox", True),
    ("supervisor", "/work/supervise/", "supervise", True),
    ("operator", "/work/followups/", "followups", False),
    ("leader", "/work/cases/", "cases", False),
]


def busy_district(world):
    """Cases in every state a workbench lists, some late, some near."""
    long_ago = timezone.now() - dt.timedelta(days=20)
    late = world.new_case(title="路灯不亮已两周", now=long_ago)
    steps.dispatch(late, world.dispatcher, lead=world.street, now=long_ago)
    soon = world.new_case(title="小区停水", kind="help", urgency="very_urgent", now=timezone.now() - dt.timedelta(minutes=50))
    steps.dispatch(soon, world.dispatcher, lead=world.street, now=timezone.now() - dt.timedelta(minutes=50))
    world.new_case(title="占道经营", community=world.other_community)
    world.new_case(title="噪音扰民", kind="report", confidential=True)
    ext = world.accepted_case(title="树木遮挡")
    steps.request_extension(ext, world.street_handler, days=5, reason="需园林部门评估")
    ret = world.dispatched_case(title="社保转移")
    steps.request_return(ret, world.street_handler, reason="属人社局职责")
    world.replied_case(title="井盖松动")
    steps.urge(late, world.supervisor, message="请尽快签收")
    return late


def test_every_workbench_in_chinese_and_english_and_on_a_phone(world, person, shot):
    late = busy_district(world)
    for username, path, name, phone in WORKBENCHES:
        someone = person(username)
        page = someone.go(path)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        shot(page, f"{name}-zh")
        someone.speak("en")
        assert page.locator("html").get_attribute("lang") == "en"
        shot(page, f"{name}-en")
        if phone:
            fits_a_phone(someone, shot, f"{name}-phone")
        someone.close()
    street = person("street")
    page = street.go(f"/work/cases/{late.number}/")
    assert page.locator(".clock.late").count() >= 1
    shot(page, "case-zh")
    fits_a_phone(street, shot, "case-phone")
    street.speak("en")
    shot(page, "case-en")
    citizen = person()
    for path, name in (("/", "public-home"), ("/submit/", "public-submit"), ("/track/", "public-track")):
        shot(citizen.go(path), f"{name}-zh")
    fits_a_phone(citizen, shot, "public-track-phone")
    citizen.go("/submit/")
    citizen.switch_language()  # the header's button, as a person would
    assert citizen.page.locator("html").get_attribute("lang") == "en" and "/submit/" in citizen.page.url
    shot(citizen.page, "public-submit-en")
    fits_a_phone(citizen, shot, "public-submit-phone")


def fits_a_phone(someone, shot, name):
    someone.page.set_viewport_size(PHONE)
    assert someone.overflow() <= 0, f"{someone.page.url} is {someone.overflow()}px wider than a 375px phone"
    shot(someone.page, name)


def test_inbox_clocks_are_green_amber_and_red(world, person):
    busy_district(world)
    fresh = world.dispatched_case(title="刚派出")
    page = person("street").go("/work/inbox/")
    row = lambda title: page.locator("tr", has_text=title).locator(".clock")  # noqa: E731
    assert row("路灯不亮已两周").get_attribute("class") == "clock late"
    assert row("小区停水").get_attribute("class") == "clock near"
    assert row(fresh.title).get_attribute("class") == "clock ok"
    # Sorted by deadline: late, then near, then the fresh one (a day to accept), then 15-day replies.
    titles = [t.split()[0] for t in page.locator("table.cases tbody tr td:nth-child(2)").all_inner_texts()]
    assert titles[:3] == ["路灯不亮已两周", "小区停水", "刚派出"]
    assert set(titles[3:]) == {"树木遮挡", "社保转移"}


def test_operator_takes_a_call_with_the_keyboard(world, person):
    earlier = world.new_case(title="北京路步行街垃圾没人收", address="北京路步行街", community=world.other_community)
    operator = person("operator")
    page = operator.go("/work/intake/")
    assert page.evaluate("document.activeElement.id") == "id_citizen_phone"
    keyboard = page.keyboard
    keyboard.type("13812345678")  # the caller of the earlier case
    keyboard.press("Tab")
    keyboard.type("张三")
    keyboard.press("Tab")
    keyboard.type("北京路步行街垃圾堆放")
    keyboard.press("Tab")
    keyboard.type("北京路步行街垃圾没人收，堆了好几天。")
    keyboard.press("Tab")
    keyboard.type("北京路步行街")
    # Hints arrive while typing: the street from the address, the earlier call.
    hints = page.locator("#hints [data-hints]", has_text="北京街道")
    hints.locator(f"[data-duplicate='{earlier.number}']").wait_for()
    assert "同一电话" in hints.inner_text()
    page.focus("#id_category")
    keyboard.type("02.01.01 市容环境 › 环境卫生 › 垃圾清运")
    keyboard.press("Tab")
    page.wait_for_function(f"document.getElementById('id_lead').value === '{world.other_street.pk}'")
    with page.expect_navigation():
        keyboard.press("Control+Enter")
    case = Case.objects.exclude(pk=earlier.pk).get(title="北京路步行街垃圾堆放")
    assert (case.status, case.lead_unit, case.street) == (Status.DISPATCHED, world.other_street, world.other_street)
    assert case.number in operator.text()
    assert page.evaluate("document.activeElement.id") == "id_citizen_phone"  # ready for the next call
    # "/" jumps to search from anywhere but a field.
    page.locator("h1").click()
    keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
