"""The live twin in a real browser: a slider dragged in the page opens the card, whose
figures are those of ``python -m sim twin`` run natively on the page's recorded session."""

from __future__ import annotations

import json
import subprocess
import sys

import browserpage as bp
from test_page_controls import _drag, _expected

STOP_S = 2400.0


def test_a_slider_in_the_page_opens_the_card_the_headless_twin_prints(new_page, tmp_path):
    page = new_page()
    start = page.open(page.site.url(args=["--scenario", "default", "--seed", "7", "--speed",
                                          "600", "--seconds", repr(STOP_S)]))
    assert not start["twin"]["open"]
    image = start["sliders"]["capacity:image"]
    x = _drag(page, image, 0.8)
    slots = int(_expected(image, x))
    report = page.wait_for(lambda r: r["twin"]["open"] and r["sim_now"] >= STOP_S
                           and r["twin"]["shown"] is not None
                           and r["twin"]["shown"]["now_s"] >= STOP_S, 90, "the twin at S")
    twin = report["twin"]
    assert [c["slots"] for c in twin["changes"]] == [slots]
    at = twin["since_s"]
    assert twin["changes"][0]["at_s"] == at
    rec = tmp_path / "rec.json"
    rec.write_text(json.dumps(report["commands"]))
    out = tmp_path / "card.json"
    proc = subprocess.run([sys.executable, "-m", "sim", "twin", "--scenario", "default",
                           "--seed", "7", "--commands", str(rec), "--at", repr(at),
                           "--seconds", repr(STOP_S - at), "--json", str(out)],
                          cwd=bp.ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    native = json.loads(out.read_text())
    assert twin["shown"]["live"] == native["live"]
    assert twin["shown"]["twin"] == native["twin"]
    assert twin["shown"]["live"] != twin["shown"]["twin"]
