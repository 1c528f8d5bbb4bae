"""A return, an extension, and a confidential report whose reporter the
handling units never see, in the browser."""

from huying.cases import steps
from huying.cases.models import Case, Status


def test_return_extension_and_a_confidential_report(world, person):
    # A confidential report from a citizen on the web.
    citizen = person()
    page = citizen.go("/submit/")
    page.select_option("#id_kind", "report")
    page.fill("#id_title", "有人在楼道私拉电线")
    page.fill("#id_text", "登峰社区某楼楼道有人私拉电线给电动车充电，存在火灾隐患。")
    page.fill("#id_citizen_name", "赵秘密")
    page.fill("#id_citizen_phone", "13711117777")
    page.check("#id_confidential")
    citizen.submit(page.locator("button.primary"))
    report = Case.objects.get(title="有人在楼道私拉电线")
    assert report.confidential

    # The dispatcher sees the reporter and dispatches it to the street.
    dispatcher = person("dispatcher")
    page = dispatcher.go(f"/work/cases/{report.number}/")
    assert "赵秘密" in dispatcher.text() and "13711117777" in dispatcher.text()
    form = page.locator("details[data-form=dispatch]")
    form.locator("select[name=lead]").select_option(label="洪桥街道")
    dispatcher.submit(form.locator("button.primary"))

    # The street and the community handle it without ever seeing the reporter.
    street = person("street")
    page = street.go("/work/inbox/")
    street.submit(page.locator(f"tr[data-number='{report.number}'] button"))
    page = street.go(f"/work/cases/{report.number}/")
    assert "保密" in page.inner_text("[data-person]")
    down = page.locator("details[data-form=dispatch_down]")
    down.locator("summary").click()
    down.locator("select[name=to]").select_option(label="登峰社区")
    street.submit(down.locator("button"))
    community = person("community")
    for someone, path in ((street, "/work/inbox/?tab=below"), (community, f"/work/cases/{report.number}/"), (community, "/work/inbox/")):
        html = someone.go(path).content()
        assert report.number in html
        assert "赵" not in html and "7777" not in html and "137" not in html, (someone.username, path)

    # A return: the street says the lift case is not theirs; the dispatcher approves.
    lifts = steps.dispatch(world.new_case(title="加装电梯补贴", category=world.lifts), world.dispatcher, lead=world.street)
    page = street.go(f"/work/cases/{lifts.number}/")
    back = page.locator("details[data-form=return]")
    back.locator("summary").click()
    back.locator("textarea[name=reason]").fill("加装电梯补贴属区住房建设和水务局职责")
    street.submit(back.locator("button"))
    assert Case.objects.get(pk=lifts.pk).status == Status.RETURN_REQUESTED
    page = dispatcher.go("/work/dispatch/")
    row = page.locator("tr", has_text=lifts.number).filter(has_text="加装电梯补贴属区住房建设和水务局职责")
    row.locator("input[name=reason]").fill("同意，改派住建局")
    dispatcher.submit(row.locator("button.primary"))
    lifts = Case.objects.get(pk=lifts.pk)
    assert (lifts.status, lifts.lead_unit) == (Status.NEW, None)
    page = dispatcher.go(f"/work/cases/{lifts.number}/")
    form = page.locator("details[data-form=dispatch]")
    assert form.locator("select[name=lead]").input_value() == str(world.housing.pk)  # the rule's unit, preselected
    dispatcher.submit(form.locator("button.primary"))
    assert Case.objects.get(pk=lifts.pk).lead_unit == world.housing

    # An extension: the community asks three more working days; the supervisor approves.
    page = community.go("/work/inbox/")
    community.submit(page.locator(f"tr[data-number='{report.number}'] button"))
    page = community.go(f"/work/cases/{report.number}/")
    ask = page.locator("details[data-form=extension]")
    ask.locator("summary").click()
    ask.locator("input[name=days]").fill("3")
    ask.locator("textarea[name=reason]").fill("需供电部门现场核查")
    community.submit(ask.locator("button"))
    due_before = Case.objects.get(pk=report.pk).reply_due
    supervisor = person("supervisor")
    page = supervisor.go("/work/supervise/")
    row = page.locator("tr", has_text=report.number).filter(has_text="需供电部门现场核查")
    supervisor.submit(row.locator("button.primary"))
    report = Case.objects.get(pk=report.pk)
    assert report.extension_count == 1 and report.reply_due > due_before and report.extension_days is None
    assert "同意延期" in supervisor.go(f"/work/cases/{report.number}/").inner_text("ol.timeline")
