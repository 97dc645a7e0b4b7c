"""Following a customer in the page (issue 22): F follows the next person in from the door,
the camera zooms in and keeps them in view to the exit, the card reads their visit, and the
overview comes back when they have gone; the wheel zooms the world in the page.

Input goes the real way: Chromium's keyboard and wheel events, SDL's emscripten handlers,
pygame's queue, the app's actions.
"""

from __future__ import annotations

from render import layout as L


def test_follow_a_customer_from_the_door_to_the_exit(new_page):
    page = new_page()
    page.open(page.site.url(args=["--scenario", "rush-hour", "--seed", "3",
                                  "--speed", "120"]))
    page.page.keyboard.press("KeyF")
    got = page.wait_for(lambda r: r["follow"]["after"] is not None
                        or r["follow"]["cid"] is not None, 5, "F awaits the next person")
    got = page.wait_for(lambda r: r["follow"]["cid"] is not None
                        and r["follow"]["camera"][0] > 1, 30, "the next person followed")
    cid = got["follow"]["cid"]
    assert cid > got["follow"]["after"] if got["follow"]["after"] is not None else True
    seen_cards, inside_view, samples = [], 0, 0
    world = L.WORLD_RECT
    while True:
        r = page.report()
        f = r["follow"]
        if f["cid"] != cid:
            break
        if f["card"]:
            seen_cards.append(f["card"])
        # in the world (not yet walked in from the street's edge, or off it on the way out)
        if f["at"] is not None and 8 <= f["feet"][0] <= L.WORLD_W - 8 \
                and 16 <= f["feet"][1] <= L.WORLD_H - 2:
            samples += 1
            inside_view += world.collidepoint(*f["at"])
        assert r["sim_error"] == ""
        assert r["sim_now"] < 6 * 3600, "the day ended before the visit did"
        page.page.wait_for_timeout(150)
    end = page.wait_for(lambda r: r["follow"]["cid"] is None, 5, "follow ended")
    # the camera is back on the overview, nobody followed or awaited
    assert end["follow"]["camera"] == [1, 0, 0] and end["follow"]["after"] is None
    # (until the first snapshot that has their card, the card still says it waits for them)
    titles = {c[0] for c in seen_cards} - {"Waiting for the next person to come in..."}
    assert titles and all(t.startswith(f"Customer #{cid} ") for t in titles), titles
    assert any(any(line.startswith("1. ") for line in c) for c in seen_cards)
    last = end["follow"]["card"]
    assert last is not None and last[0].startswith(f"Customer #{cid} ")
    assert any(line.startswith("Visit over") for line in last), last
    assert "F: follow the next person in" in last
    # the camera kept them in view while they were drawn
    assert samples >= 5 and inside_view == samples, (inside_view, samples)
    assert page.tracebacks() == []


def test_the_wheel_zooms_the_world_in_the_page(new_page):
    page = new_page()
    page.open(page.site.url(args=["--scenario", "default", "--seed", "7"]))
    page.page.mouse.move(*page.to_page(300, 250))
    page.page.mouse.wheel(0, -120)
    got = page.wait_for(lambda r: r["follow"]["camera"][0] == 2, 5, "the wheel zooms in")
    page.page.keyboard.press("KeyV")
    got = page.wait_for(lambda r: r["follow"]["camera"] == [1, 0, 0], 5, "V: the overview")
    assert got["sim_error"] == "" and page.tracebacks() == []
