"""Take the README's screenshots of the site in Chromium: a stage page and the asset finder, on a
desktop and on a 390 px phone. Run: .venv/bin/python scripts/screenshots.py [OUTDIR]

Builds the default playbook's site into a temporary folder, serves it on 127.0.0.1, and writes
PNG files into OUTDIR (default: docs/images).
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
SHOTS = [  # file name, path, width, height, full page
    ("stage-page.png", "stages/selection/?persona=it-security-lead", 1280, 900, False),
    ("stage-page-phone.png", "stages/selection/?persona=it-security-lead", 390, 844, False),
    ("finder.png", "finder/?stage=scoping&type=case-study", 1280, 900, False),
    ("finder-phone.png", "finder/?stage=scoping", 390, 844, False),
    ("objections-phone.png", "stages/selection/?persona=cfo#objections", 390, 844, False),
    ("home.png", "", 1280, 900, False),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                       cwd=REPO, env=env, check=True, capture_output=True)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for name, path, width, height, full in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
                page.goto(base + path, wait_until="networkidle")
                if "#" not in path and "stages/" in path:
                    page.locator("#assets").scroll_into_view_if_needed()
                page.screenshot(path=str(outdir / name), full_page=full)
                page.close()
                print(outdir / name)
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
