"""``--screenshot`` writes the format its suffix names, or refuses in one line before running.

pygame saves a TGA for any suffix it does not know, so ``x.txt`` used to get a TGA inside.
"""

from __future__ import annotations

import asyncio

import pytest

import main as app_main

MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".bmp": b"BM", ".jpg": b"\xff\xd8\xff",
         ".JPEG": b"\xff\xd8\xff", ".tga": None}


@pytest.mark.parametrize("name", ["x.txt", "x", "x.png.gz", "x.webp", "x.svg"])
def test_a_screenshot_suffix_pygame_cannot_honour_is_refused(tmp_path, capsys, name):
    path = tmp_path / name
    code = asyncio.run(app_main.main(["--headless", "--frames", "2", "--screenshot",
                                      str(path)]))
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "--screenshot" in err and ".png" in err and ".bmp" in err and ".tga" in err
    assert ".jpg" in err
    assert not path.exists()


@pytest.mark.parametrize("suffix", sorted(MAGIC))
def test_a_screenshot_is_written_in_the_format_its_suffix_names(tmp_path, capsys, suffix):
    path = tmp_path / f"shot{suffix}"
    code = asyncio.run(app_main.main(["--headless", "--frames", "2", "--screenshot",
                                      str(path)]))
    assert code == 0, capsys.readouterr().err
    data = path.read_bytes()
    magic = MAGIC[suffix]
    if magic is None:   # TGA has no magic: an uncompressed or RLE true-colour image type
        assert data[2] in (2, 10) and int.from_bytes(data[12:14], "little") == 1280
    else:
        assert data.startswith(magic)
