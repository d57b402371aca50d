"""Size of a review site and how fast its grid renders in headless Chromium (Debian's, via Playwright).

    python benchmarks/review_site.py CORPUS --out SITE [--loads 5]

Builds the site, adds up its bytes, then opens ``index.html`` from disk ``--loads`` times in a
fresh page each and reads the browser's own timings: navigation start to the load event, and to
first contentful paint. Prints the medians (the grid must load in under a second, the site of
500 samples must be under 50 MB).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.review import build_site

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMINGS = """() => new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const paint = list.getEntriesByName("first-contentful-paint")[0];
    if (!paint) { return; }
    observer.disconnect();
    const nav = performance.getEntriesByType("navigation")[0];
    resolve({load: nav.loadEventEnd - nav.startTime, paint: paint.startTime,
             cards: document.querySelectorAll(".card").length});
  }).observe({type: "paint", buffered: true});
})"""
"""Waits for the first contentful paint entry, which Chromium may record after the load event."""


def grid_timings(site: Path, loads: int) -> list[dict[str, float]]:
    """Browser timings (ms) of ``loads`` fresh openings of the site's grid."""
    from playwright.sync_api import sync_playwright

    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto((site / "index.html").as_uri(), wait_until="load")
            found.append(page.evaluate(TIMINGS))
            page.close()
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    print(build_site(open_corpus(args.corpus), args.out, overwrite=True))
    print(f"built in {time.perf_counter() - start:.1f} s")
    files = [path for path in args.out.rglob("*") if path.is_file()]
    print(f"site: {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files")
    timings = grid_timings(args.out, args.loads)
    print(f"grid ({timings[0]['cards']} cards), median of {args.loads} loads: "
          f"load event {statistics.median(t['load'] for t in timings):.0f} ms, "
          f"first contentful paint {statistics.median(t['paint'] for t in timings):.0f} ms; "
          f"slowest load {max(t['load'] for t in timings):.0f} ms")


if __name__ == "__main__":
    main()
