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


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "apps" / "app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
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

    slider = page.get_by_role("slider").first  # risk is the first criterion
    slider.focus()
    slider.press("End")  # risk importance to the maximum
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
