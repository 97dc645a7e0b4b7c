"""Touch in a real browser: a phone-sized viewport with touch emulation (Chromium's own touch
events through SDL's emscripten handlers, sent over CDP).  On a phone the desk's rows show
13 CSS px tall, so the first tap on the desk opens the loupe (render/touch.py) and the next
gesture acts in it, where a row is >= 40 CSS px: a finger drags the spawn-rate slider and
taps buttons (one a little beside its target: the desk's slop, render/panel/controls.py),
and the share dialog opens with its link in the page's text field.  On the world, two
fingers pinch it larger and back, and one finger pans it while zoomed.
"""

from __future__ import annotations

import contextlib

import browserpage as bp

PHONE = {"width": 844, "height": 390}     # a phone held sideways (CSS pixels)
OFF_BY = 10                              # canvas pixels the finger misses the widget by
FINGER_CSS_PX = 40


def _touch(cdp, kind: str, *points: tuple[float, float]) -> None:
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
        {"x": x, "y": y, "radiusX": 8, "radiusY": 8, "force": 1, "id": i + 1}
        for i, (x, y) in enumerate(points)]})


class Phone:
    """The page on a phone: canvas pixels through the loupe (when open) to page pixels."""

    def __init__(self, page: bp.RiverPage, cdp) -> None:
        self.page, self.cdp = page, cdp

    def touch_state(self) -> dict:
        return self.page.report()["touch"]

    def at(self, x: float, y: float) -> tuple[float, float]:
        """The page point showing canvas pixel (x, y) now (the loupe magnifies)."""
        t = self.touch_state()
        if t["loupe"] is not None:
            lx, ly, _, _ = t["loupe"]
            k, (ox, oy) = t["k"], t["offset"]
            x, y = ox + (x - lx) * k + k // 2, oy + (y - ly) * k + k // 2
        return self.page.to_page(x, y)

    def tap(self, x: float, y: float) -> None:
        px, py = self.at(x, y)
        _touch(self.cdp, "touchStart", (px, py))
        self.page.page.wait_for_timeout(60)
        _touch(self.cdp, "touchEnd")
        self.page.page.wait_for_timeout(150)

    def open_loupe(self, x: float, y: float) -> dict:
        self.tap(x, y)
        t = self.page.wait_for(lambda r: r["touch"]["loupe"] is not None, 10,
                               "a tap on the desk opens the loupe")["touch"]
        lx, ly, lw, lh = t["loupe"]
        assert lx <= x < lx + lw and ly <= y < ly + lh
        return t

    def drag(self, points: list[tuple[float, float]]) -> None:
        """One finger along canvas ``points`` (mapped once, as the loupe stands now)."""
        page_points = [self.at(*p) for p in points]
        _touch(self.cdp, "touchStart", page_points[0])
        for p in page_points[1:]:
            _touch(self.cdp, "touchMove", p)
            self.page.page.wait_for_timeout(30)
        _touch(self.cdp, "touchEnd")
        self.page.page.wait_for_timeout(150)

    def pinch(self, centre: tuple[float, float], start: float, end: float) -> None:
        """Two fingers about a canvas point, from ``start`` to ``end`` canvas pixels apart."""
        cx, cy = centre
        steps = 10
        for i in range(steps + 1):
            d = start + (end - start) * i / steps
            a, b = self.at(cx - d / 2, cy), self.at(cx + d / 2, cy)
            _touch(self.cdp, "touchStart" if i == 0 else "touchMove", a, b)
            self.page.page.wait_for_timeout(40)
        _touch(self.cdp, "touchEnd")
        self.page.page.wait_for_timeout(200)


def test_a_finger_on_a_phone_slides_taps_pinches_and_pans(browser_context, site):
    context = browser_context.browser.new_context(viewport=PHONE, has_touch=True,
                                                  is_mobile=True, device_scale_factor=2)
    try:
        page = bp.RiverPage(context.new_page(), site)
        start = page.open(site.url(args=["--scenario", "default", "--seed", "7", "--speed",
                                         "0"]), timeout_s=60)
        phone = Phone(page, context.new_cdp_session(page.page))
        css = page.page.evaluate(
            "() => document.getElementById('canvas').getBoundingClientRect().height") / 720
        bx, by, bw, bh = start["buttons"]["lang"]
        print(f"\nunmagnified: a button is {bh * css:.1f} CSS px tall, a row 24 canvas px "
              f"= {24 * css:.1f} CSS px")
        assert bh * css < FINGER_CSS_PX          # why the loupe: the desk is too small

        # the spawn-rate slider: a tap opens the loupe on it, a drag in the loupe slides it
        spawn = start["sliders"]["spawn"]
        tx, ty, tw, th = spawn["track"]
        y = ty + th // 2
        loupe = phone.open_loupe(tx + tw // 2, y)
        assert loupe["k"] * 24 * css >= FINGER_CSS_PX, loupe
        assert page.report()["commands"] == []   # the opening tap did nothing else
        values = spawn["values"]
        knob_x = tx + round((values.index(spawn["shown"]) if spawn["shown"] in values else 0)
                            / (len(values) - 1) * tw)
        goal = tx + round(0.8 * tw)
        phone.drag([(knob_x + (goal - knob_x) * i / 10, y) for i in range(11)])
        got = page.wait_for(lambda r: any(c["name"] == "spawn_rate" for c in r["commands"]),
                            10, "the finger's drag sends spawn_rate")
        rates = [c["rate_per_min"] for c in got["commands"] if c["name"] == "spawn_rate"]
        assert rates[-1] == values[round((goal - tx) / tw * (len(values) - 1))]
        assert got["touch"]["loupe"] is None, "the acting gesture closes the loupe"

        # the language button: tap (loupe), tap it there, where it is finger-sized
        phone.open_loupe(bx + bw // 2, by + bh // 2)
        top = phone.at(bx, by)[1]
        bottom = phone.at(bx, by + bh)[1]
        print(f"in the loupe: the button is {bottom - top:.1f} CSS px tall")
        assert bottom - top >= FINGER_CSS_PX
        phone.tap(bx + bw // 2, by + bh // 2)
        page.wait_for(lambda r: r["lang"] == "zh", 10, "a tap on the language button")

        # the world: two fingers spread -> zoomed in about them; one finger pans; closing
        # fingers -> the overview
        assert page.report()["follow"]["camera"] == [1, 0, 0]
        phone.pinch((430, 250), 80, 260)
        zoomed = page.wait_for(lambda r: r["follow"]["camera"][0] > 1, 10,
                               "a pinch zooms the world in")["follow"]["camera"]
        phone.drag([(430 - 25 * i, 250 - 12 * i) for i in range(9)])
        panned = page.wait_for(lambda r: r["follow"]["camera"] != zoomed, 10,
                               "one finger pans the zoomed world")["follow"]["camera"]
        assert panned[0] == zoomed[0] and panned[1] > zoomed[1] and panned[2] > zoomed[2]
        phone.pinch((430, 250), 400, 60)
        page.wait_for(lambda r: r["follow"]["camera"][0] == 1, 10, "a pinch back out")
        print(f"camera: zoomed {zoomed}, panned {panned}, then the overview")

        # the share button, missed by a fingertip to its right (the desk's margin)
        sx, sy, sw, sh = start["buttons"]["share"]
        phone.open_loupe(sx + sw // 2, sy + sh // 2)
        phone.tap(sx + sw + OFF_BY, sy + sh // 2)
        page.page.wait_for_function(
            "() => document.getElementById('share').style.display === 'block'", timeout=10000)
        link = page.page.evaluate("() => document.getElementById('share').value")
        assert link.startswith(f"{site.base}/index.html#river=")
        assert page.python("import river_harness\n"
                           "river_harness.state.app.overlays.share.link") == link
        report = page.report()
        print(f"events the app saw from the finger: {report['events']}")
        assert report["events"].get("FingerDown", 0) == 0     # consumed by render/display.py
        assert report["sim_error"] == "" and page.tracebacks() == [], page.problems()
        assert page.foreign == []
    finally:
        with contextlib.suppress(Exception):
            context.close()
