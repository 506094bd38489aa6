"""The pages in a real browser: Debian's Chromium, driven by Playwright, against the server
running on 127.0.0.1 (uvicorn, in a thread, on a free port, over the embedded store).

A reader opens pages, switches language, searches for a name in Cyrillic and reaches the
person, runs a stored query and follows a result, downloads a dump. Every key page passes
axe-core (injected from ``tests/fixtures/axe``) with no serious or critical violation and
reads on a 375-pixel screen without scrolling sideways. Screenshots of the key pages are
saved in ``$KG_SCREENSHOTS`` (else a temporary folder) and listed at the end of the run.

Chromium must be installed (``apt-get install chromium``; ``.ci/run`` does it): without it
these tests fail, they do not skip.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from kg.release import Release
from kg.web.app import create_app

from ..servers import HOST, free_port
from .conftest import SCREENSHOTS, open_service

AXE = Path(__file__).resolve().parents[1] / "fixtures" / "axe" / "axe.min.js"
PERSON = "/id/person/gulzhan-irzhanova"
CONGRESS = "/id/congress/wlic-2025"

#: The pages every check visits: (name for the screenshot, path).
KEY_PAGES = [
    ("landing", "/"),
    ("landing-kk", "/?lang=kk"),
    ("person", f"{PERSON}.html"),
    ("person-ru", f"{PERSON}.html?lang=ru"),
    ("congress", f"{CONGRESS}.html"),
    ("organisation", "/id/organisation/dulaty-university.html?lang=kk"),
    ("search", "/search?q=%D0%98%D1%80%D0%B6%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0"),
    ("query", "/query?example=organising-committee"),
    ("query-error", "/query?query=SELECT+%3Fs+WHERE+%7B"),
    ("queries", "/queries"),
    ("stored-query", "/queries/attendance-claims"),
    ("downloads", "/dumps/"),
    ("ontology", "/ontology"),
]

NARROW = {"width": 375, "height": 812}


# --- the server and the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(release: Release) -> Iterator[str]:
    """The app served by uvicorn on 127.0.0.1, in a thread, for this module's tests."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(open_service("embedded", release)), host=HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the server did not start", pytrace=False)
        time.sleep(0.05)
    yield f"http://{HOST}:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run does)", pytrace=False)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site, locale="en-GB", accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ``$KG_SCREENSHOTS``, else a temporary folder; listed at the end of the run."""
    folder = Path(os.environ["KG_SCREENSHOTS"]) if os.environ.get("KG_SCREENSHOTS") else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    request.config.stash.setdefault(SCREENSHOTS, []).append(folder)
    return folder


def shoot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 1000
    return path


# --- a reader's paths -------------------------------------------------------------------------------------


def test_open_the_landing_page_and_switch_language(page: Page, screenshots: Path) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shoot(page, screenshots, "landing-en")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақша").click()
    expect(page).to_have_url(re.compile(r"[?&]lang=kk"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Сандармен")).to_be_visible()
    shoot(page, screenshots, "landing-kk")
    page.locator("main p a[href*='/id/congress/']").first.click()  # "start from" the congress
    expect(page).to_have_url(re.compile(r"/id/congress/wlic-2025\.html\?lang=kk$"))
    expect(page.locator("h1")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Хабарланған көрсеткіштер")).to_be_visible()
    shoot(page, screenshots, "congress-kk")
    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="Русский").click()
    expect(page).to_have_url(re.compile(r"/id/congress/wlic-2025\.html\?lang=ru$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_text("около 1\u00a0820")).to_be_visible()


def test_the_browsers_language_chooses_the_page_language(browser: Browser, site: str) -> None:
    context = browser.new_context(base_url=site, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto(f"{PERSON}.html")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        expect(page.locator("h1")).to_have_text("Гульжан Иржанова")
    finally:
        context.close()


def test_search_for_a_name_in_cyrillic_and_reach_the_person(page: Page, screenshots: Path) -> None:
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search people, organisations, congresses")
    box.fill("Иржанова")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q="))
    shoot(page, screenshots, "search-results")
    page.locator("ol.search-results a").first.click()
    expect(page).to_have_url(re.compile(rf"{PERSON}\.html$"))
    expect(page.locator("h1")).to_have_text("Gulzhan Irzhanova")
    shoot(page, screenshots, "person-en")


def test_suggestions_appear_while_typing(page: Page, screenshots: Path) -> None:
    page.goto("/?lang=ru")
    page.locator("#site-search").press_sequentially("Ирж", delay=40)
    suggestion = page.locator(".suggestions a").first
    expect(suggestion).to_have_text("Гульжан Иржанова")
    shoot(page, screenshots, "suggestions-ru")
    suggestion.click()
    expect(page).to_have_url(re.compile(rf"{PERSON}(\.html)?\?lang=ru$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def test_run_a_stored_query_and_follow_a_result(page: Page, screenshots: Path) -> None:
    page.goto("/query")
    editor = page.get_by_role("textbox", name="SPARQL query")
    expect(editor).to_contain_text("PREFIX lwg: <https://w3id.org/lwg/ontology#>")
    page.locator("a[href$='example=organising-committee']").click()
    rows = page.locator("table.results tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 0
    shoot(page, screenshots, "query-results")
    link = page.locator("table.results tbody a[href^='/id/person/']").first
    name = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/id/person/[a-z0-9-]+\.html$"))
    expect(page.locator("h1")).to_have_text(name)

    page.goto("/query")
    editor.fill("SELECT ?s WHERE {\n  ?s ?p\n}")
    page.get_by_role("button", name="Run").click()
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    expect(alert.locator("mark")).to_have_count(1)
    expect(editor).to_have_value("SELECT ?s WHERE {\n  ?s ?p\n}")
    shoot(page, screenshots, "query-error")


def test_download_a_dump(page: Page, release: Release, tmp_path: Path) -> None:
    manifest = json.loads((release.path / "release.json").read_text())
    dump = manifest["dumps"][0]
    page.goto("/")
    with page.expect_download() as download:
        page.locator(f"a[href='/dumps/{dump['filename']}']").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == dump["filename"]
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == dump["sha256"]


# --- accessibility and narrow screens ------------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize(("name", "path"), KEY_PAGES, ids=[name for name, _ in KEY_PAGES])
def test_pages_pass_the_accessibility_check(browser: Browser, site: str, name: str, path: str) -> None:
    context = browser.new_context(base_url=site, bypass_csp=True)  # the policy forbids injected scripts
    try:
        page = context.new_page()
        page.goto(path)
        problems = axe_violations(page)
        summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in problems]
        assert problems == [], summary
    finally:
        context.close()


@pytest.mark.parametrize(("name", "path"), KEY_PAGES, ids=[name for name, _ in KEY_PAGES])
def test_pages_read_on_a_narrow_screen(browser: Browser, site: str, screenshots: Path, name: str, path: str) -> None:
    context = browser.new_context(base_url=site, viewport=NARROW, device_scale_factor=1)
    try:
        page = context.new_page()
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= NARROW["width"], f"{path} scrolls sideways: {width} px wide"
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).fontSize)")
        assert font >= 14
        shoot(page, screenshots, f"narrow-{name}")
    finally:
        context.close()


def test_the_accessibility_check_finds_what_it_must(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.set_content('<html><body><main><img src="data:,"><input type="text"></main></body></html>')
        found = {v["id"] for v in axe_violations(page)}
        assert {"image-alt", "label"} <= found
    finally:
        page.close()
