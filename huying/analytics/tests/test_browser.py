"""The data centre in a browser (Debian's Chromium via pytest-playwright):
the ECharts charts and the Leaflet map render, offline, on a desk and a
phone; screenshots go to test-artifacts/screenshots/."""

import pytest
from django.contrib.staticfiles import finders

from huying.analytics.tests.test_rates import Stories, settle
from huying.browser_test import ARTEFACTS
from huying.test import Actors, at

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


@pytest.fixture
def screenshots():
    """The data centre's screenshots stay at test-artifacts/screenshots/ itself."""
    return ARTEFACTS


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desk", "phone"])
def test_charts_and_map_render(world, person, shot, viewport):
    leader = person("leader", viewport)
    page = leader.page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    name = "desk" if viewport["width"] > 600 else "phone"

    leader.go("/data/?period=2026-03")
    for chart in ("trend", "categories", "channels", "kinds"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1'] canvas")
    assert page.locator(".dc-rate .dc-big").first.inner_text() == "50.0%"
    shot(page, f"data-centre-{name}")

    # A bar of the trend chart leads to the cases behind it.
    page.locator("a.dc-card").first.click()
    page.wait_for_url("**/data/cases/**")
    assert page.locator("table.dc-cases tbody tr").count() == 11

    leader.go("/data/map/?period=2026-03")
    page.wait_for_selector("#dc-map[data-rendered='1']")
    assert page.locator("#dc-map path.leaflet-interactive").count() >= 3  # the outline, cells and circles
    assert page.locator("#dc-map .leaflet-tile").count() == 0  # no tiles configured: usable without them
    shot(page, f"data-centre-map-{name}")
    assert errors == []
