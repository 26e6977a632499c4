#!/usr/bin/env python3
"""Makes the Firefox package from the built extension, one code base for both browsers.

    firefox-package.py DIST_EXTENSION OUT_DIR

Writes OUT_DIR/firefox/ (the unpacked Firefox copy, which the Firefox tests install) and
OUT_DIR/canhgiac-<version>.xpi. Only the manifest differs from the Chromium build; it is made
here from extension/manifest.json, so the two never drift apart.
"""

import json
import shutil
import sys
import zipfile
from pathlib import Path

# Firefox ESR 140 is the oldest supported ESR this package targets: data_collection_permissions
# (required by addons.mozilla.org for new add-ons) is read from 140 on; ESR 128 ignores it and its
# own support ends. Everything else the extension uses (event page as an ES module from 112,
# storage.session from 115, declarativeNetRequest from 113, blocking webRequest in Manifest V3)
# is older.
STRICT_MIN_VERSION = "140.0"

# Firefox for Android reads data_collection_permissions from 142; without its own minimum it would
# take the desktop one. The add-on is made for desktop, but a phone's Firefox that installs it
# must be one that knows what it declares.
ANDROID_MIN_VERSION = "142.0"

# Chromium-only keys: the ID key, the Chrome minimum, and the managed-storage schema (Firefox
# takes the admin's values from policies.json without one and warns about the key).
CHROMIUM_ONLY = ("key", "minimum_chrome_version", "storage")

# Firefox holds a download at its response headers (extension/firefox-downloads.js); that needs
# blocking webRequest, which Firefox keeps in Manifest V3.
FIREFOX_PERMISSIONS = ("webRequest", "webRequestBlocking")

# Nothing is collected or sent on its own. A report the user composes and sends to the
# organisation's endpoint carries the addresses and, if the user keeps it, a picture of the page.
DATA_COLLECTION = {"required": ["none"], "optional": ["browsingActivity", "websiteContent"]}

# Files a browser writes into an unpacked folder it has loaded; never part of a package.
NOT_PACKAGED = ("_metadata", "managed_schema.json")


def firefox_manifest(chromium: dict) -> dict:
    """The Firefox manifest for the Chromium one."""
    m = {k: v for k, v in chromium.items() if k not in CHROMIUM_ONLY}
    background = chromium["background"]
    # An event page: Firefox runs background scripts, not a service worker, in Manifest V3.
    m["background"] = {"scripts": [background["service_worker"]], "type": background.get("type", "module")}
    m["permissions"] = list(chromium["permissions"]) + [p for p in FIREFOX_PERMISSIONS if p not in chromium["permissions"]]
    # The static app-package rules redirect to the Chromium ID's warning page; Firefox gives each
    # install its own origin, so the worker runs the same rules as session rules for its own
    # page (moveStaticRules in browser-rules.js). Enabled, they would point at a page that is not there.
    dnr = json.loads(json.dumps(chromium.get("declarative_net_request", {})))
    for r in dnr.get("rule_resources", []):
        r["enabled"] = False
    if dnr:
        m["declarative_net_request"] = dnr
    gecko = dict(chromium.get("browser_specific_settings", {}).get("gecko", {}))
    if "id" not in gecko:
        sys.exit("extension/manifest.json needs browser_specific_settings.gecko.id")
    gecko["strict_min_version"] = STRICT_MIN_VERSION
    gecko["data_collection_permissions"] = DATA_COLLECTION
    m["browser_specific_settings"] = {"gecko": gecko, "gecko_android": {"strict_min_version": ANDROID_MIN_VERSION}}
    return m


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    unpacked = out / "firefox"
    shutil.rmtree(unpacked, ignore_errors=True)
    shutil.copytree(src, unpacked, ignore=shutil.ignore_patterns(*NOT_PACKAGED))
    (unpacked / "manifest.json").write_text(
        json.dumps(firefox_manifest(manifest), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    xpi = out / f"canhgiac-{manifest['version']}.xpi"
    for old in out.glob("canhgiac-*.xpi"):
        old.unlink()
    # Sorted names, manifest first: the same build gives the same listing.
    files = sorted(p for p in unpacked.rglob("*") if p.is_file())
    files.sort(key=lambda p: p.name != "manifest.json")
    with zipfile.ZipFile(xpi, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, f.relative_to(unpacked).as_posix())
    print(f"dist/firefox/ and {xpi.relative_to(out.parent)} (Firefox ≥ {STRICT_MIN_VERSION}, add-on ID {manifest['browser_specific_settings']['gecko']['id']})")


if __name__ == "__main__":
    main()
