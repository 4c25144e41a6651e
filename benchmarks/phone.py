"""What a rep's phone sees of a built site: Chromium at 390 x 844 with a slow 4G connection (150 ms
round trip, 1.6 Mbit/s down, 750 kbit/s up) and a CPU four times slower, from a cold cache, the
site served gzip-compressed on 127.0.0.1.

Three figures: the bytes a page view moves before any search (a stage page, until the network is
quiet), the time from typing a search to its first result, and the time from opening the finder to
its first card; and the bytes the search moved. The search is timed in the mode the site was built
with: Material's own (its index, search/search_index.json, fetched and read on the phone) or the
plugin's `search: pagefind` (Pagefind's script and the parts of its index the words need, from
pagefind/); both put their results in the theme's list, whose first link ends the timing."""

from __future__ import annotations

import gzip
import http.server
import io
import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
QUIET_MS = 2000  # no request for this long: the page has moved all it will before a search
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")
# The files a search fetches: Material's index and worker, or anything of Pagefind's.
SEARCH_FILES = re.compile(r"/search/search_index\.json|/workers/search\.[0-9a-f]+\.min\.js|/pagefind/")


# Notes the time (ms since the navigation started) of the frame after the first result card appears.
FIRST_CARD = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('[data-pb-results] .pb-card')) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__pbFirstCard = performance.now(); });
  }
}).observe(document, { childList: true, subtree: true });
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site, gzip-compressed as a web server would send them (each file compressed
    once per server, in `compressed`)."""

    def __init__(self, *args: Any, compressed: dict[Path, bytes], **kwargs: Any) -> None:
        self.compressed = compressed
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = self.compressed.get(path)
        if body is None:
            body = self.compressed[path] = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = partial(_Handler, directory=str(site), compressed={})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _Phone:
    """One cold page on the slow phone, counting the bytes that reach it."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.bytes = 0
        # Bytes of the search's own files (its index, or Pagefind's), from Playwright's events,
        # which also see the requests of a page's workers (Pagefind fetches its index from one).
        self.searched = 0
        self.fetched: set[str] = set()  # the search files it fetched
        self.page.on("requestfinished", self._search_file)
        self.last = time.perf_counter()
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestWillBeSent", self._started)

    def _finished(self, event: dict[str, Any]) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))
        self.last = time.perf_counter()

    def _search_file(self, request: Any) -> None:
        if SEARCH_FILES.search(request.url):
            self.fetched.add(request.url)
            sizes = request.sizes()
            self.searched += int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])

    def _started(self, event: dict[str, Any]) -> None:
        self.last = time.perf_counter()

    def quiet(self, limit: float = 120.0) -> None:
        """Wait until no request has started or ended for QUIET_MS."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            self.page.wait_for_timeout(200)
            if time.perf_counter() - self.last > QUIET_MS / 1000:
                return

    def close(self) -> None:
        self.context.close()


def phone_figures(site: Path, stage_page: str, query: str) -> dict[str, float]:
    """The figures for a built site: view_kb, search_s, search_kb, finder_s."""
    from playwright.sync_api import sync_playwright

    figures: dict[str, float] = {}
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            phone = _Phone(browser)
            phone.page.goto(url + stage_page, wait_until="load", timeout=300_000)
            # The glossary's terms linked (its data loads once the page has), then nothing more.
            phone.page.wait_for_function("document.querySelector('article[data-pb-terms=\"linked\"]')",
                                         timeout=300_000, polling=200)
            phone.quiet()
            figures["view_kb"] = phone.bytes / 1000
            phone.close()

            phone = _Phone(browser)
            phone.page.goto(url + stage_page, wait_until="load", timeout=300_000)
            box = phone.page.locator("input.md-search__input")
            # Opening the box starts the search's downloads (Pagefind's script, or Material's index).
            phone.searched = 0
            if box.is_hidden():  # on a phone the search box opens from the header's button
                phone.page.locator('label[for="__search"]').first.click()
            start = time.perf_counter()
            box.fill(query)
            box.press("End")
            phone.page.locator("a.md-search-result__link").first.wait_for(timeout=300_000)
            figures["search_s"] = time.perf_counter() - start
            figures["search_kb"] = phone.searched / 1000
            pagefind = (site / "pagefind" / "pagefind.js").is_file()
            fetched = phone.fetched
            if pagefind and any("/search/search_index.json" in u for u in fetched):
                raise RuntimeError("a site searched with Pagefind fetched Material's search index")
            if not pagefind and any("/pagefind/" in u for u in fetched):
                raise RuntimeError("a site searched with Material's search fetched Pagefind's files")
            phone.close()

            # The finder: from the start of the navigation to the frame after its first card was
            # put in the page, as the page's own clock tells (a busy main thread would otherwise
            # delay only the measuring).
            phone = _Phone(browser)
            phone.page.add_init_script(FIRST_CARD)
            phone.page.goto(url + "finder/", wait_until="commit", timeout=300_000)
            phone.page.wait_for_function("window.__pbFirstCard !== undefined", timeout=300_000, polling=100)
            figures["finder_s"] = phone.page.evaluate("window.__pbFirstCard") / 1000
            phone.close()
        finally:
            browser.close()
    print("phone: " + ", ".join(f"{key} {value:,.1f}" for key, value in figures.items()), file=sys.stderr, flush=True)
    return figures
