// Boots the real main.py in the page: Pyodide, the vendored pygame-ce wheel, app.zip, then
// `await main.main(args)`.  Everything comes from this page's own host.
//   index.html                         the default scenario
//   index.html#river=<version>.<data>          a share link (sim/share.py): main.py --open-link
//   index.html?args=["--seed","7"]     main.py's flags (JSON), for development and tests
//   ?app=x.zip&root=assets             another archive (pygbag's .apk keeps the app in assets/)
//   ?harness=harness.py                a test harness run before main (tests/browser/)
// window.river is what tests read: status ("loading", "running", "exited", "failed"), error
// (a JS-side failure), times (milestones, ms since navigation) and report() (the harness's).
"use strict";

const WHEEL = "vendor/pygame_ce-2.5.7.dev1-cp312-cp312-wasm32_bi_emscripten.whl";
const APP_DIR = "/home/pyodide/app";

// KeyboardEvent.code -> DOM PK code (the set-1 scancode; 0xE0xx for extended keys), as
// emscripten's emscripten_compute_dom_pk_code returns it.  Pyodide's core lacks that helper
// and SDL's keyboard handler calls it on every key; pygbag's runtime carries it.
const DOM_PK = (() => {
  const t = {Escape: 0x01, Minus: 0x0c, Equal: 0x0d, Backspace: 0x0e, Tab: 0x0f,
    BracketLeft: 0x1a, BracketRight: 0x1b, Enter: 0x1c, ControlLeft: 0x1d, Semicolon: 0x27,
    Quote: 0x28, Backquote: 0x29, ShiftLeft: 0x2a, Backslash: 0x2b, Comma: 0x33, Period: 0x34,
    Slash: 0x35, ShiftRight: 0x36, NumpadMultiply: 0x37, AltLeft: 0x38, Space: 0x39,
    CapsLock: 0x3a, NumpadSubtract: 0x4a, NumpadAdd: 0x4e, F11: 0x57, F12: 0x58,
    NumpadEnter: 0xe01c, ControlRight: 0xe01d, NumpadDivide: 0xe035, AltRight: 0xe038,
    Home: 0xe047, ArrowUp: 0xe048, PageUp: 0xe049, ArrowLeft: 0xe04b, ArrowRight: 0xe04d,
    End: 0xe04f, ArrowDown: 0xe050, PageDown: 0xe051, Insert: 0xe052, Delete: 0xe053};
  const rows = [["QWERTYUIOP", 0x10], ["ASDFGHJKL", 0x1e], ["ZXCVBNM", 0x2c]];
  for (const [letters, first] of rows) {
    [...letters].forEach((c, i) => { t["Key" + c] = first + i; });
  }
  for (let d = 1; d <= 9; d++) t["Digit" + d] = 0x01 + d;
  t.Digit0 = 0x0b;
  for (let f = 1; f <= 10; f++) t["F" + f] = 0x3a + f;
  return t;
})();

window.river = {status: "loading", error: null, py: null, report: () => null, times: {},
                share: shareLink, copied: null};

// The app's share dialog calls this (render/share.py): the link in a text field a person can
// select, and on the clipboard where the page may write it (a secure context; an iframe such
// as itch.io's may be refused: then the field is the way).  "" hides the field.  Returns
// whether a copy was attempted; window.river.copied tells how it went (true/false).
function shareLink(link) {
  const field = document.getElementById("share");
  window.river.copied = null;
  if (!link) {
    field.style.display = "none";
    return false;
  }
  field.value = link;
  field.style.display = "block";
  if (!(window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText)) {
    window.river.copied = false;
    return false;
  }
  navigator.clipboard.writeText(link).then(() => { window.river.copied = true; },
                                           () => { window.river.copied = false; });
  return true;
}

function mark(name) {
  window.river.times[name] = Math.round(performance.now());
}

function say(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

function cString(heap, ptr) {
  let end = ptr;
  while (heap[end] !== 0) end++;
  return new TextDecoder().decode(heap.subarray(ptr, end));
}

async function bytesOf(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return await response.arrayBuffer();
}

// The flags main.main gets: a share link in the address (#river=... or ?river=...) first,
// then ?args=[...].  main.py checks both, as it checks its command line.
function mainArgs(query) {
  const extra = JSON.parse(query.get("args") || "[]");
  const hasLink = /[#?&]river=/.test(location.href);
  return hasLink ? ["--open-link", location.href, ...extra] : extra;
}

async function boot() {
  const query = new URLSearchParams(location.search);
  const root = query.get("root") || "";
  const py = await loadPyodide({
    indexURL: new URL("pyodide/", location.href).href,
    stdout: (line) => console.log(line),
    stderr: (line) => console.error(line),
  });
  mark("pyodide");
  window.river.py = py;
  py.canvas.setCanvas2D(document.getElementById("canvas"));
  py._module.mergeLibSymbols({
    emscripten_compute_dom_pk_code: (ptr) => DOM_PK[cString(py._module.HEAPU8, ptr)] || 0,
  }, "river-page");
  py.unpackArchive(await bytesOf(WHEEL), "wheel",
                   {extractDir: "/lib/python3.12/site-packages"});
  py.unpackArchive(await bytesOf(query.get("app") || "app.zip"), "zip",
                   {extractDir: APP_DIR});
  mark("unpacked");
  const appRoot = root ? `${APP_DIR}/${root}` : APP_DIR;
  const harness = query.get("harness");
  if (harness) {
    py.runPython(await (await fetch(harness)).text());
    py.globals.get("install")(appRoot, query.get("clock") || "real");
    window.river.report = () => py.runPython("import river_harness; river_harness.report()");
  } else {
    py.globals.set("river_root", appRoot);
    py.runPython("import os, sys\nos.chdir(river_root)\nsys.path.insert(0, river_root)");
  }
  mark("main");
  say("");
  window.river.run = (more) => run(py, more);
  await run(py, mainArgs(query));
}

// One main.main(args) to its end (a pygame QUIT); the next run may follow in the same page,
// so one Pyodide load serves several runs (tests).
async function run(py, args) {
  window.river.status = "running";
  py.globals.set("river_args", py.toPy(args));
  try {
    window.river.exitCode = await py.runPythonAsync(
      "import main\nawait main.main(list(river_args))");
    window.river.status = "exited";
  } catch (err) {
    failed(err);
  }
}

function failed(err) {
  window.river.status = "failed";
  window.river.error = String(err && err.stack || err);
  say("River Factory could not start: " + window.river.error.split("\n")[0]);
  console.error("river page failed: " + window.river.error);
}

boot().catch(failed);
