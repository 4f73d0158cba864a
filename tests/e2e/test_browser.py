"""Browser test: Playwright drives Debian's chromium against `streamlit run` on 127.0.0.1.

Run by `make e2e` (which installs chromium when it is missing). The page loads, the live ranking
shows the case study's top opportunity, moving the risk slider changes it, screenshots are written
to docs/screenshots/.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict[str, str] | None = None):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "apps" / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from _serve({"MCDA_QUALIFY_DB": str(tmp_path_factory.mktemp("store") / "decisions.sqlite")})


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "chromium is missing: `make e2e` installs it (apt-get install chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def _top(page) -> str:
    metric = page.get_by_test_id("stMetricValue").first
    metric.wait_for(timeout=30_000)
    return metric.inner_text()


def test_ranking_moves_with_a_slider(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_text("Criteria and weights").wait_for(timeout=60_000)
    first = _top(page)
    assert first.startswith("OPP-03"), first
    page.screenshot(path=str(SHOTS / "weights.png"), full_page=True)

    sliders = page.get_by_role("slider")
    sliders.nth(0).focus()
    sliders.nth(0).press("End")  # risk importance to the maximum (100 points)
    page.wait_for_timeout(800)
    sliders.nth(2).focus()
    sliders.nth(2).press("Home")  # deal size to the minimum (1 point)
    page.wait_for_function("() => !document.querySelector('[data-testid=stMetricValue]')"
                           ".innerText.startsWith('OPP-03')", timeout=30_000)
    moved = _top(page)
    assert moved != first and moved.startswith("OPP-02"), moved
    page.screenshot(path=str(SHOTS / "weights_moved.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("title, shot, text", [
    ("Opportunities", "opportunities.png", "Upload an opportunity table"),
    ("Ranking", "ranking.png", "Method comparison"),
    ("Sensitivity", "sensitivity.png", "SMAA-2: rank acceptability"),
    ("Export", "export.png", "Decision history"),
])
def test_every_page_renders(server, browser, title, shot, text):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server, wait_until="domcontentloaded")
    page.get_by_text("Criteria and weights").wait_for(timeout=60_000)
    page.get_by_role("link", name=title).click()
    page.get_by_text(text).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let the charts draw
    assert not page.get_by_test_id("stException").count()
    page.screenshot(path=str(SHOTS / shot), full_page=True)
    page.close()


def test_report_opens_in_the_browser(browser, tmp_path):
    from mcda_qualify.report import html_report
    from mcda_qualify.io.workspace import Workspace, workspace_from

    ws = Workspace.from_dict(workspace_from(ROOT / "criteria" / "qualify_selling_opportunity.yaml",
                                            ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"))
    path = tmp_path / "report.html"
    path.write_text(html_report(ws, smaa_samples=2000), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    first_row = page.locator("table").nth(1).locator("tr").nth(1)
    assert "OPP-03" in first_row.inner_text() and "Qualified" in first_row.inner_text()
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)  # plotly ran from the embedded script
    page.screenshot(path=str(SHOTS / "report.png"), full_page=False)
    page.close()


# ------------------------------------------------------------------------------- a team meeting


def _ahp(page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_text("Criteria and weights").wait_for(timeout=60_000)
    page.get_by_text("Pairwise judgments (AHP)").click()
    page.get_by_text("Stakeholder answering").wait_for(timeout=60_000)
    page.get_by_text("Counted in the group").wait_for(timeout=60_000)


def _weights_in_force(page) -> str:
    return page.get_by_text("Weights in force").first.inner_text()


def _save(page, judge: str) -> None:
    page.get_by_role("button", name=f"Save {judge}'s judgments for everyone").click()
    page.get_by_text(f"Saved {judge}'s judgments").wait_for(timeout=30_000)


def test_two_stakeholders_meet_and_download_one_report(server, browser):
    import re

    SHOTS.mkdir(parents=True, exist_ok=True)
    sales = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    cfo = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    _ahp(sales, server)
    _ahp(cfo, server)
    before = _weights_in_force(cfo)

    # the sales director, in their own browser: deal size now matters far less than sales effort
    q = sales.get_by_role("slider").nth(13)  # Sales director's 14th question: deal size vs sales effort
    q.focus()
    q.press("Home")
    sales.wait_for_timeout(1500)
    _save(sales, "Sales director")

    # the CFO, in theirs: selects themself and answers risk vs sales effort "extremely more important"
    cfo.get_by_test_id("stSelectbox").first.click()
    cfo.get_by_role("option", name="CFO").click()
    cfo.get_by_text("CFO: consistency ratio").wait_for(timeout=30_000)
    q = cfo.get_by_role("slider").first
    q.focus()
    q.press("End")
    cfo.wait_for_timeout(1500)
    _save(cfo, "CFO")

    # both refresh: the same group weights in both browsers, and not the ones before the meeting
    _ahp(sales, server)
    _ahp(cfo, server)
    assert _weights_in_force(sales) == _weights_in_force(cfo) != before
    sales.screenshot(path=str(SHOTS / "meeting.png"), full_page=True)
    shown = dict(re.findall(r"([a-z_]+) ([0-9.]+)%", _weights_in_force(sales)))
    top = _top(sales)

    # one report, downloaded from the current state: its hash and numbers are the app's
    sales.get_by_role("link", name="Export").click()
    hash_line = sales.get_by_text("Inputs hash").first
    hash_line.wait_for(timeout=60_000)
    prefix = re.search(r"[0-9a-f]{16}", hash_line.inner_text()).group(0)
    with sales.expect_download(timeout=120_000) as dl:
        sales.get_by_role("button", name="Download the report (HTML)").click()
    report = Path(dl.value.path()).read_text(encoding="utf-8")
    assert re.search(rf"inputs hash <code>{prefix}[0-9a-f]{{48}}</code>", report)
    for crit, pct in shown.items():
        w = float(re.search(rf"<td>{crit}</td>\s*<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>([0-9.]+)</td>", report).group(1))
        # the report prints 4 decimals of the weight, the app one decimal of the percentage: equal up to
        # those two roundings (0.05 + 0.005 points)
        assert abs(w * 100 - float(pct)) <= 0.055 + 1e-9, (crit, w, pct)
    rows = re.findall(r"<tr[^>]*><td class='num'>\d+</td><td>([^<]+)</td><td>[^<]*</td><td class='num'>[^<]*</td>"
                      r"<td class='([^']+)'>", report)
    qualified = [oid for oid, status in rows if status == "Qualified"]
    assert top == (qualified[0] if qualified else "none")
