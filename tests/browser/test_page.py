"""The search page in a real browser: Debian's Chromium driven by Playwright.

What only a browser shows is tested here (typing, clicking, dragging, keys, downloads, what
the script does, the accessibility check, the narrow window); the rest is in tests/serve.rs.
Run by scripts/test after `cargo test`, which builds the `dossier` binary these tests start.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
DOSSIER = Path(os.environ.get("DOSSIER_BIN", REPO / "target" / "debug" / "dossier"))
CORPUS = REPO.parent / "shared" / "corpus" / "ungdc"
AXE = REPO / "target" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("DOSSIER_SCREENSHOTS", REPO / "target" / "browser" / "screenshots"))

# UN General Debate speeches of ten countries over five years: enough documents, years and
# countries for the facets to mean something.
COUNTRIES = ["JPN", "AUS", "CHN", "IND", "USA", "FRA", "DEU", "BRA", "ZAF", "KOR"]
SESSIONS = [(75, 2020), (76, 2021), (77, 2022), (78, 2023), (79, 2024)]

HOSTILE = (
    "<script>alert('title')</script> Statement on the reserve in Zanzibar\n\n"
    "The reserve <img src=x onerror=alert(1)> is <a href=\"javascript:alert(2)\">here</a>.\n"
)


@pytest.fixture(scope="session")
def server():
    folder = Path(tempfile.mkdtemp(prefix="dossier-browser-"))
    shutil.copytree(REPO / "seeds", folder / "seeds")
    (folder / "speeches").mkdir()
    for session, year in SESSIONS:
        for country in COUNTRIES:
            source = CORPUS / f"Session {session} - {year}" / f"{country}_{session}_{year}.txt"
            if source.exists():
                shutil.copy(source, folder / "speeches" / source.name)
    (folder / "hostile").mkdir()
    (folder / "hostile" / "hostile.txt").write_text(HOSTILE)
    for command in (
        ["index", "seeds", "hostile"],
        ["index", "speeches", "--name-pattern", "{issuer}_{}_{year}"],
    ):
        subprocess.run([DOSSIER, *command], cwd=folder, check=True, capture_output=True)
    process = subprocess.Popen(
        [DOSSIER, "serve", "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url.rstrip("/")
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        # Debian's Chromium; Playwright's own browser cannot be downloaded here.
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()
    assert dialogs == [], f"a document's script ran: {dialogs}"


def search(page, url, query):
    page.goto(url + "/")
    page.keyboard.press("/")
    expect(page.get_by_label("Search the documents")).to_be_focused()
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("matching passage")


def axe_violations(page):
    # Evaluated by the browser's debugger, not added as a script: the page's own policy
    # rightly refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice']})")
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


def test_typing_a_query_shows_passages_with_the_phrase_marked(server, page):
    search(page, server, '"strategic reserve"')
    expect(page).to_have_url(re.compile(r"/\?q=%22strategic\+reserve%22$"))
    first = page.locator("li.result").first
    expect(first.locator("mark").first).to_have_text("Strategic Reserve")
    expect(first.locator(".locator code").first).to_have_text("seeds/000_bf12a9a2493fb5c7.txt:21:119")
    expect(first.locator("dl.meta")).to_contain_text("2026-03-06")


def test_more_passages_of_a_document_open_in_place(server, page):
    search(page, server, "climate")
    more = page.locator("details.more").first
    summary = more.locator("summary")
    expect(summary).to_contain_text("more passage")
    expect(more.locator("blockquote").first).to_be_hidden()
    summary.click()
    expect(more.locator("blockquote").first).to_be_visible()


def test_a_country_facet_filters_and_its_chip_removes_the_filter(server, page):
    search(page, server, "climate")
    before = page.get_by_role("status").inner_text()
    facet = page.locator("section.facet", has=page.get_by_role("heading", name=re.compile("^Countries")))
    facet.get_by_role("link", name="Japan", exact=True).click()
    expect(page).to_have_url(re.compile(r"country=JP"))
    chip = page.get_by_role("link", name="Remove filter Country: Japan")
    expect(chip).to_be_visible()
    metas = page.locator("li.result dl.meta")
    for i in range(metas.count()):
        expect(metas.nth(i)).to_contain_text("Japan")
    assert page.get_by_role("status").inner_text() != before
    chip.click()
    expect(page).not_to_have_url(re.compile(r"country="))
    expect(page.get_by_role("status")).to_have_text(before)


def test_excluding_a_country_leaves_it_out(server, page):
    search(page, server, "climate")
    page.get_by_role("link", name="Exclude China").first.click()
    expect(page).to_have_url(re.compile(r"not_country=CN"))
    expect(page.get_by_role("link", name="Remove filter Country: not China")).to_be_visible()
    metas = page.locator("li.result dl.meta")
    for i in range(metas.count()):
        expect(metas.nth(i)).not_to_contain_text("China")


def test_dragging_over_the_years_keeps_that_range(server, page):
    search(page, server, "climate")
    first = page.locator(".years a[data-year='2021']").bounding_box()
    last = page.locator(".years a[data-year='2023']").bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + first["height"] - 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + last["height"] - 2, steps=5)
    page.mouse.up()
    expect(page).to_have_url(re.compile(r"since=2021&until=2023"))
    expect(page.get_by_role("link", name="Remove filter From 2021")).to_be_visible()
    expect(page.get_by_role("link", name="Remove filter Until 2023")).to_be_visible()
    spans = page.locator(".years a[data-year]")
    years = {spans.nth(i).get_attribute("data-year") for i in range(spans.count())}
    assert years <= {"2021", "2022", "2023"}, years


def test_a_year_bar_chosen_from_the_keyboard_keeps_that_year(server, page):
    search(page, server, "climate")
    page.locator(".years a[data-year='2022']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"since=2022&until=2022"))


def test_a_long_facet_can_be_searched_within(server, page):
    search(page, server, "united nations")
    facet = page.locator("section.facet", has=page.get_by_role("heading", name=re.compile("^Countries")))
    find = facet.get_by_role("searchbox", name="Find in countries")
    find.fill("kor")
    visible = facet.locator(".values li:visible .value")
    expect(visible.first).to_be_visible()
    names = visible.all_inner_texts()
    assert names and all("kor" in name.lower() for name in names), names


def test_a_document_opens_at_the_hit_and_n_and_p_step_through_its_matches(server, page):
    search(page, server, "japan")
    locator = page.locator("li.result .locator a").first
    anchor = locator.get_attribute("href").split("#")[1]
    locator.click()
    expect(page).to_have_url(re.compile(rf"/document\?path=.*#{anchor}$"))
    status = page.locator("#match-status")
    expect(status).to_have_text(re.compile(r"^Match \d+ of \d+$"))
    current = page.locator("mark.current")
    expect(current).to_have_count(1)
    expect(current).to_be_in_viewport()
    # The first match of the passage that was clicked.
    assert current.evaluate("m => m.closest('.chunk').id") == anchor
    start, total = (int(n) for n in status.inner_text().split()[1::2])
    assert total > 2
    page.keyboard.press("n")
    expect(status).to_have_text(f"Match {start % total + 1} of {total}")
    expect(page.locator("mark.current")).to_be_in_viewport()
    page.keyboard.press("p")
    expect(status).to_have_text(f"Match {start} of {total}")
    expect(page.get_by_role("link", name="Download the original")).to_be_visible()
    page.get_by_text("Why these tags").click()
    expect(page.locator("details.tags")).to_contain_text("Issued by")


def test_shortcuts_can_be_turned_off(server, page):
    search(page, server, "japan")
    page.get_by_label("Single-key shortcuts").uncheck()
    page.locator("h2").first.click()
    page.keyboard.press("/")
    expect(page.get_by_label("Search the documents")).not_to_be_focused()
    page.get_by_label("Single-key shortcuts").check()


def test_the_csv_export_downloads_the_results(server, page):
    search(page, server, "japan")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = Path(download.value.path()).read_text()
    assert text.startswith("rank,title,date,date_precision,countries")
    assert "Japan-Australia Joint Declaration" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    first = json.loads(Path(download.value.path()).read_text().splitlines()[0])
    assert first["rank"] == 1


def test_a_shared_address_opens_the_same_results(server, page, browser):
    search(page, server, "climate")
    page.get_by_role("link", name="oldest first").click()
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    page.get_by_role("link", name="More results").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    address = page.url
    titles = page.locator("li.result h2").all_inner_texts()
    other = browser.new_context().new_page()
    other.goto(address)
    assert other.locator("li.result h2").all_inner_texts() == titles
    other.context.close()
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"page=2"))
    page.reload()
    expect(page.locator("ol.results")).to_have_attribute("start", "1")


def test_a_hostile_document_shows_its_markup_as_text(server, page):
    page.goto(server + "/?q=zanzibar")
    expect(page.locator("li.result blockquote").first).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("li.result img")).to_have_count(0)
    page.locator("li.result h2 a").first.click()
    expect(page.locator(".chunk").first).to_contain_text('<a href="javascript:alert(2)">here</a>')
    expect(page.locator(".document a[href^='javascript']")).to_have_count(0)


def test_a_query_error_is_shown_at_its_column(server, page):
    page.goto(server + "/")
    page.get_by_label("Search the documents").fill('reserve "unclosed')
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("unclosed quote at column 9")
    expect(alert.locator("mark")).to_have_text('"')
    box = page.get_by_label("Search the documents")
    expect(box).to_have_attribute("aria-invalid", "true")
    # The cursor is put on the character the error names, in the box itself.
    expect(box).to_be_focused()
    assert box.evaluate("b => [b.selectionStart, b.selectionEnd]") == [8, 9]


def test_search_and_reading_work_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/")
    page.get_by_label("Search the documents").fill("climate")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("matching passage")
    page.get_by_role("link", name="Japan", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"country=JP"))
    page.locator("li.result h2 a").first.click()
    expect(page.locator("mark.hit").first).to_be_visible()
    context.close()


def test_the_page_reads_in_a_320_pixel_window(server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    search(page, server, "climate")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.locator("li.result h2 a").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_axe_finds_no_accessibility_violation(server, page):
    page.goto(server + "/")
    assert axe_violations(page) == []
    search(page, server, "climate")
    assert axe_violations(page) == []
    page.locator("li.result h2 a").first.click()
    page.get_by_text("Why these tags").click()
    assert axe_violations(page) == []


def test_screenshots_of_the_search_page_and_the_document_view(server, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": 860})
    search(page, server, '"climate change"')
    page.locator("section.facet", has=page.get_by_role("heading", name=re.compile("^Countries"))).get_by_role(
        "link", name="Japan", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"country=JP"))
    page.screenshot(path=str(SCREENSHOTS / "search.png"))
    page.locator("li.result .locator a").first.click()
    expect(page.locator("mark.current")).to_be_in_viewport()
    page.screenshot(path=str(SCREENSHOTS / "document.png"))
