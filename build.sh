#!/usr/bin/env bash
# Cảnh Giác: build, see it run, and test.
#   ./build.sh        install what is missing; build dist/extension/ (unpacked, fixed ID), the store
#                     zip dist/canhgiac-<version>-store.zip (no key), the Firefox package
#                     dist/canhgiac-<version>.xpi, dist/canhgiac.exe (Windows CLI) and the admin kit
#                     template in dist/admin/
#   ./build.sh run [BROWSER] [--headless] [--lang vi|en]
#                     build if needed, then open Chromium (or BROWSER) with a fresh profile, the
#                     extension loaded and a local page of live examples; with no display, visit
#                     them headless, print what happened and save screenshots in dist/run/
#   ./build.sh test   the build, then every test: Rust, wasm (in Node), the Windows CLI under wine,
#                     end-to-end in Chromium and in Firefox ESR, and the store screenshots in
#                     dist/store/screenshots/
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
MODE=${1:-build}
case "$MODE" in build | test | run) ;; *) echo "usage: ./build.sh [run [BROWSER] [--headless] | test]" >&2; exit 2 ;; esac
[ $# -gt 0 ] && shift
if [ "$MODE" != run ] && [ $# -gt 0 ]; then echo "usage: ./build.sh [run [BROWSER] [--headless] | test]" >&2; exit 2; fi

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
DIST=$ROOT/dist
section() { printf '\n=== %s ===\n' "$*"; }
need() { command -v "$1" >/dev/null 2>&1; }
as_root() { [ "$(id -u)" -eq 0 ]; }

apt_install() {
  if as_root; then
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "Missing: $*. Install it with:  sudo apt-get install -y $*" >&2
    exit 1
  fi
}

# `run` builds only when a source is newer than the last build.
if [ "$MODE" = run ] && [ -f "$ROOT/dist/extension/manifest.json" ] && [ -f "$ROOT/dist/canhgiac.exe" ] \
  && [ -z "$(find src extension data build Cargo.toml Cargo.lock package-lock.json scripts/privacy-page.py docs/privacy.md docs/admin.md docs/admin.vi.md admin \
        -newer "$ROOT/dist/extension/manifest.json" -print -quit)" ]; then
  SKIP_BUILD=1
fi
# The browser `run` opens: Debian's Chromium unless one is named.
RUN_BROWSER=/usr/bin/chromium
prev=
for a in "$@"; do
  case "$prev:$a" in --lang:* | --shots:* | *:-*) ;; *) RUN_BROWSER=$a ;; esac
  prev=$a
done

section "Tools"
need cargo || { echo "Rust is missing: install it with rustup (https://rustup.rs), then run ./build.sh again." >&2; exit 1; }
need node && need npm || apt_install nodejs npm
need python3 || apt_install python3
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# wasm-bindgen-cli must match the crate's pinned wasm-bindgen exactly.
WB_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
[ -n "$WB_VERSION" ] || { echo "Cargo.toml must pin wasm-bindgen as \"=X.Y.Z\"" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WB_VERSION" ]; then
  echo "installing wasm-bindgen-cli $WB_VERSION"
  # --locked first; if the registry no longer serves a locked dependency, resolve afresh.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Tests drive Debian's Chromium; its Vietnamese UI (chromium-l10n) lets them check the
# default-language warning page as Vietnamese users see it.
if { [ "$MODE" = test ] || { [ "$MODE" = run ] && [ "$RUN_BROWSER" = /usr/bin/chromium ]; }; } \
  && { [ ! -x /usr/bin/chromium ] || [ ! -e /usr/lib/chromium/locales/vi.pak ]; }; then
  apt_install chromium chromium-l10n
fi
# canhgiac.exe for Windows admins is cross-built with MinGW-w64.
if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  rustup target add x86_64-pc-windows-gnu
fi
need x86_64-w64-mingw32-gcc || apt_install gcc-mingw-w64-x86-64
# The test runs canhgiac.exe under wine (Debian's wine64: ~45 s to install, ~10 s to make its prefix).
WINE=$(command -v wine64 || command -v wine || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || true)
if [ "$MODE" = test ] && [ -z "$WINE" ]; then
  apt_install wine64
  WINE=/usr/lib/wine/wine64
fi
# A virtual display lets the test of `./build.sh run` see it open a browser window.
if [ "$MODE" = test ] && ! need xvfb-run; then apt_install xvfb xauth; fi
echo "cargo $(cargo --version | cut -d' ' -f2), wasm-bindgen $WB_VERSION, node $(node --version)"

if [ -n "${SKIP_BUILD:-}" ]; then
  section "Run"
  echo "dist/ is newer than every source: not building again"
  exec node scripts/run.mjs "$@"
fi

section "Engine"
cargo build --release --bin canhgiac
cargo build --lib --target wasm32-unknown-unknown --profile wasm

section "Extension"
VERSION=$(python3 -c 'import json,sys; print(json.load(open("extension/manifest.json"))["version"])')
rm -rf "$DIST/extension"
mkdir -p "$DIST/extension/engine"
cp -R extension/. "$DIST/extension/"
# The built-in community lists ship as files beside the engine, never inside the wasm module.
mkdir -p "$DIST/extension/lists"
cp data/lists/*.txt data/lists/SOURCE.md "$DIST/extension/lists/"
wasm-bindgen --target web --remove-name-section --out-dir "$DIST/extension/engine" --out-name canhgiac \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm/canhgiac.wasm"
rm -f "$DIST/extension/engine/"*.d.ts
WASM=$DIST/extension/engine/canhgiac_bg.wasm
# Loads the engine in Node as the extension does and judges one URL: a module that cannot start
# (e.g. one an old wasm-opt mangled) must never reach dist/.
wasm_works() {
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    const [js, wasm] = process.argv.slice(1);
    const { initSync, Engine } = await import(js);
    initSync({ module: readFileSync(wasm) });
    const v = new Engine().checkUrl("https://tai-ung-dung.top/VNeID.apk");
    if (v.verdict !== "warn" && v.verdict !== "block") throw new Error(`unexpected verdict ${v.verdict}`);
    // A test build (feature fault-injection) traps here; it must never be shipped.
    new Engine().checkUrl("https://canhgiac-fault-injection.test/");
  ' "$DIST/extension/engine/canhgiac.js" "$1"
}
wasm_works "$WASM" || { echo "the wasm engine does not start in Node" >&2; exit 1; }
# wasm-opt is optional: Debian's (108) may not read what rustc emits, or may rewrite the
# externref table so the module no longer starts; either way the unoptimised module is kept.
if need wasm-opt; then
  if wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$WASM" -o "$WASM.opt" 2>/dev/null \
      && wasm_works "$WASM.opt" 2>/dev/null; then
    mv "$WASM.opt" "$WASM"
    echo "wasm-opt: optimised"
  else
    rm -f "$WASM.opt"
    echo "wasm-opt $(wasm-opt --version 2>/dev/null | grep -o '[0-9]\+' | head -1) could not optimise this module into one that starts; kept the unoptimised one"
  fi
else
  echo "wasm-opt not found (apt-get install binaryen): kept the unoptimised wasm"
fi
EXT_ID=$(python3 scripts/extension-id.py extension/manifest.json)
"$TARGET_DIR/release/canhgiac" dnr-rules --warning-page "chrome-extension://$EXT_ID/warning.html" \
  > "$DIST/extension/rules/sideload.json"
# The managed-storage schema from the policy's key table (tests/schema.rs keeps extension/'s copy equal).
"$TARGET_DIR/release/canhgiac" schema > "$DIST/extension/managed_schema.json"
python3 scripts/icons.py "$DIST/extension/icons"
python3 scripts/privacy-page.py docs/privacy.md "$DIST/extension/privacy.html"
printf 'wasm: %s bytes (%s gzipped)\n' "$(wc -c < "$WASM")" "$(gzip -9 -c "$WASM" | wc -c)"
echo "dist/extension/: load unpacked; its manifest keeps the key, so its ID is $EXT_ID"
# -- Firefox: dist/firefox/ and dist/canhgiac-<version>.xpi (scripts/firefox.sh, docs/firefox.md) --
scripts/firefox.sh package

section "Store package (Chrome Web Store, Edge Add-ons)"
# The stores refuse a manifest with "key" and give the listing an ID of their own; the worker
# aims the static rules at whatever ID it runs under (tests/e2e/store-id.test.mjs).
rm -f "$DIST"/canhgiac-*.zip
python3 scripts/store-package.py "$DIST/extension" "$DIST/canhgiac-$VERSION-store.zip"
python3 scripts/store-package.py --check "$DIST/canhgiac-$VERSION-store.zip"

section "Windows CLI (canhgiac.exe)"
cargo build --release --target x86_64-pc-windows-gnu --bin canhgiac
cp "$TARGET_DIR/x86_64-pc-windows-gnu/release/canhgiac.exe" "$DIST/canhgiac.exe"
python3 scripts/check-pe.py "$DIST/canhgiac.exe"

section "Admin kit (template)"
# No policy: a template with no organisation values, each file saying how to make the real kit
# (canhgiac admin-kit --policy my-policy.json --store chrome|edge|self …).
rm -rf "$DIST/admin"
"$TARGET_DIR/release/canhgiac" admin-kit --out "$DIST/admin" --manifest extension/manifest.json
cp admin/example-policy.json docs/admin.md docs/admin.vi.md "$DIST/admin/"
if [ -n "${CANHGIAC_SIGNING_KEY:-}" ]; then
  python3 scripts/pack-crx.py "$CANHGIAC_SIGNING_KEY" "$DIST/extension" "$DIST" "$VERSION" \
    "${CANHGIAC_UPDATE_BASE_URL:-https://example.invalid/canhgiac}"
fi

if [ "$MODE" = run ]; then
  section "Run"
  exec node scripts/run.mjs "$@"
fi
[ "$MODE" = test ] || exit 0

section "Rust: format and lints"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
if [ -f tests/wasm.rs ]; then
  cargo clippy --lib --test wasm --target wasm32-unknown-unknown -- -D warnings
else
  cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
fi

section "Rust: unit, data-driven, property and CLI tests"
cargo test

section "wasm tests (Node)"
if [ -f tests/wasm.rs ]; then
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --target wasm32-unknown-unknown --test wasm
else
  echo "tests/wasm.rs not found: no wasm tests yet"
fi

section "Windows CLI under wine"
# The cross-built canhgiac.exe validates the example policy as the native CLI does
# (tests/e2e/deploy.test.mjs runs more of it the same way).
scripts/wine/prepare.sh "$TARGET_DIR/wine-prefix" "$WINE"
export WINEPREFIX="$TARGET_DIR/wine-prefix" WINEDEBUG=-all
native=$("$TARGET_DIR/release/canhgiac" policy check admin/example-policy.json)
windows=$("$WINE" "$DIST/canhgiac.exe" policy check admin/example-policy.json | tr -d '\r')
[ "$native" = "$windows" ] || { printf 'canhgiac.exe under wine said:\n%s\nthe native CLI:\n%s\n' "$windows" "$native" >&2; exit 1; }
version=$("$WINE" "$DIST/canhgiac.exe" --version | tr -d '\r')
[ "$version" = "$("$TARGET_DIR/release/canhgiac" --version)" ] || { echo "canhgiac.exe --version said: $version" >&2; exit 1; }
echo "canhgiac.exe under $("$WINE" --version): $version; policy check: $windows"

section "End-to-end tests (Chromium)"
# An engine that traps on a marker URL, for the test of the worker's recovery from an engine
# fault (tests/e2e/fault.test.mjs). Its own target folder, so it can never end up in dist/.
CARGO_TARGET_DIR="$TARGET_DIR/fault-injection" \
  cargo build --lib --target wasm32-unknown-unknown --profile wasm --features fault-injection
rm -rf "$TARGET_DIR/fault-engine"
wasm-bindgen --target web --out-dir "$TARGET_DIR/fault-engine" --out-name canhgiac \
  "$TARGET_DIR/fault-injection/wasm32-unknown-unknown/wasm/canhgiac.wasm"
# A test that waits on a worker that never answers fails after 4 minutes instead of holding CI.
node --test --test-concurrency=1 --test-timeout=240000 tests/e2e/

section "Firefox: addons-linter and end-to-end tests (firefox-esr)"
scripts/firefox.sh test

section "Store screenshots"
# From the real built extension, headless; both languages of the listing.
for lang in vi en; do
  node scripts/run.mjs --headless --lang "$lang" --shots "$DIST/store/screenshots/$lang"
done
