#!/usr/bin/env bash
# Firefox's part of ./build.sh, kept in one place (docs/firefox.md).
#   scripts/firefox.sh package   dist/firefox/ and dist/canhgiac-<version>.xpi from dist/extension/
#   scripts/firefox.sh test      addons-linter on the .xpi (0 errors, 0 warnings), then the
#                                end-to-end suite in Debian's firefox-esr
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=$(pwd)/dist

case "${1:-}" in
package)
  python3 scripts/firefox-package.py "$DIST/extension" "$DIST"
  ;;
test)
  # The browser and its Vietnamese language pack (the warning page is checked in both languages).
  if [ ! -x /usr/bin/firefox-esr ] || ! ls /usr/lib/firefox-esr/browser/extensions/langpack-vi@* >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr firefox-esr-l10n-vi >/dev/null
    else
      echo "Missing: firefox-esr. Install it with:  sudo apt-get install -y firefox-esr firefox-esr-l10n-vi" >&2
      exit 1
    fi
  fi
  XPI=$(ls "$DIST"/canhgiac-*.xpi)
  echo "addons-linter $(node_modules/.bin/addons-linter --version) on ${XPI#"$DIST/"}"
  # addons-linter fails only on errors; warnings count as failures here too.
  node_modules/.bin/addons-linter --output json "$XPI" > "$DIST/addons-linter.json" || true
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const m of [...r.errors, ...r.warnings]) console.log(`${m._type} ${m.code}: ${m.message} ${m.file ?? ""}`);
    console.log(`addons-linter: ${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.notices} notices`);
    if (r.summary.errors || r.summary.warnings) process.exit(1);
  ' "$DIST/addons-linter.json"
  node --test --test-concurrency=1 --test-timeout=240000 tests/e2e-firefox/firefox.test.mjs tests/e2e-firefox/english.test.mjs
  # These write /etc/firefox/policies/policies.json: one writer at a time on a shared machine.
  flock /tmp/policy-dir.lock node --test --test-concurrency=1 --test-timeout=240000 tests/e2e-firefox/policy.test.mjs tests/e2e-firefox/kit.test.mjs
  ;;
*)
  echo "usage: scripts/firefox.sh package|test" >&2
  exit 2
  ;;
esac
