"""Make the README's phone pictures in docs/: the self-hosted page in Chromium on a phone held
sideways (844x390 CSS px, touch, 2x pixels), as a finger uses it.

    python tools/phone_screenshots.py [--out docs]

Pictures: ``phone-loupe.png`` (a tap on the desk opened the loupe: the rows finger-sized),
``phone-pinch.png`` (two fingers zoomed the world in), ``phone-share.png`` (the share dialog,
its QR code and the link's text field).
Needs what the browser tests need (Chromium, playwright, Pyodide in ``.cache/``); the site is
built into a temporary folder and served on loopback (``tests/browser/browserpage.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

import browserpage as bp  # noqa: E402
from test_page_touch import PHONE, Phone  # noqa: E402

ARGS = ["--scenario", "rush-hour", "--seed", "7", "--speed", "0"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs"), help="folder (default docs/)")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    site = bp.Site(bp.fetch_pyodide.fetch())
    try:
        with bp.launch() as chromium:
            context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True,
                                           device_scale_factor=2)
            try:
                shoot(context, site, out)
            finally:
                with contextlib.suppress(Exception):
                    context.close()
    finally:
        site.close()
    return 0


def shoot(context, site: bp.Site, out: pathlib.Path) -> None:
    page = bp.RiverPage(context.new_page(), site)
    start = page.open(site.url(args=[*ARGS[:4], "--speed", "600"]), timeout_s=90)
    page.wait_for(lambda r: r["sim_now"] > 2 * 3600, 120, "two hours of rush-hour")
    page.python("import river_harness\nriver_harness.state.app.speed = 0.0")
    phone = Phone(page, context.new_cdp_session(page.page))

    def save(name: str) -> None:
        page.page.wait_for_timeout(400)
        page.page.screenshot(path=str(out / name))
        print(f"wrote {out / name}")

    tx, ty, tw, th = start["sliders"]["spawn"]["track"]
    phone.open_loupe(tx + tw // 2, ty + th // 2)
    save("phone-loupe.png")
    phone.tap(5, 5)                      # a tap on the world in the loupe: closes it
    page.wait_for(lambda r: r["touch"]["loupe"] is None, 10, "the loupe closed")
    phone.pinch((300, 260), 80, 200)
    page.wait_for(lambda r: r["follow"]["camera"][0] > 1, 10, "the pinch zoomed in")
    save("phone-pinch.png")
    page.python("import river_harness\nriver_harness.state.app.apply('_overview', {})\n"
                "river_harness.state.app.apply('_share', {})")
    page.page.wait_for_function(
        "() => document.getElementById('share').style.display === 'block'", timeout=10000)
    save("phone-share.png")


if __name__ == "__main__":
    sys.exit(main())
