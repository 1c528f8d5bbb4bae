"""The data centre in a browser (Debian's Chromium via pytest-playwright):
the ECharts charts and the Leaflet map render, offline, on a desk and a
phone; screenshots go to test-artifacts/screenshots/."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client

from huying.analytics.tests.test_rates import Stories, settle
from huying.test import Actors, at

ARTEFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
VENDOR = ["vendor/echarts/echarts.min.js", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css"]


class World(Stories, Actors):
    now = at(2026, 3, 3, 10, 0)


@pytest.fixture
def world(transactional_db):
    missing = [f for f in VENDOR if not finders.find(f)]
    if missing:
        pytest.skip(f"front-end files not built ({', '.join(missing)}): run `make static`")
    World.build_world()
    w = World()
    w.build()
    for i, (lat, lng) in enumerate([(23.138, 113.262), (23.139, 113.263), (23.127, 113.270)]):
        w.new_case(lat=lat, lng=lng, title=f"路灯不亮 {i}")
    settle()
    return w


def serve_static(route):
    """Static files from the finders (the live server serves them slowly)."""
    path = finders.find(urlsplit(route.request.url).path.removeprefix(settings.STATIC_URL.rstrip("/") + "/").removeprefix("/"))
    if path is None:
        route.fulfill(status=404)
    else:
        route.fulfill(path=path)


def open_as(browser, live_server, username, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    context.set_default_timeout(15_000)
    context.route("**/static/**", serve_static)
    # Nothing may leave the machine: no tiles, no CDN.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    client = Client()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desk", "phone"])
def test_charts_and_map_render(world, browser, live_server, viewport):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    context, page = open_as(browser, live_server, "leader", viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    name = "desk" if viewport["width"] > 600 else "phone"

    page.goto(f"{live_server.url}/data/?period=2026-03")
    for chart in ("trend", "categories", "channels", "kinds"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1'] canvas")
    assert page.locator(".dc-rate .dc-big").first.inner_text() == "50.0%"
    page.screenshot(path=str(ARTEFACTS / f"data-centre-{name}.png"), full_page=True)

    # A bar of the trend chart leads to the cases behind it.
    page.locator("a.dc-card").first.click()
    page.wait_for_url("**/data/cases/**")
    assert page.locator("table.dc-cases tbody tr").count() == 11

    page.goto(f"{live_server.url}/data/map/?period=2026-03")
    page.wait_for_selector("#dc-map[data-rendered='1']")
    assert page.locator("#dc-map path.leaflet-interactive").count() >= 3  # the outline, cells and circles
    assert page.locator("#dc-map .leaflet-tile").count() == 0  # no tiles configured: usable without them
    page.screenshot(path=str(ARTEFACTS / f"data-centre-map-{name}.png"), full_page=True)
    assert errors == []
    context.close()
