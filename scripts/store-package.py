#!/usr/bin/env python3
"""The package for the Chrome Web Store and Edge Add-ons, and the checks a store applies to it.

  scripts/store-package.py DIST_EXTENSION OUT.zip   zip the built extension without "key"
  scripts/store-package.py --check PACKAGE.zip      check a package as the stores would; exit 1
                                                    with every problem named

The stores refuse a manifest with "key" (each gives the listing an ID of its own), limit the
description to 132 characters and the name to 75 (Chrome Web Store; Edge Add-ons takes the same
manifest), and need every file the manifest names inside the package.
"""
import json
import re
import struct
import sys
import zipfile

#: The Chrome Web Store's limit for the manifest description, in characters.
MAX_DESCRIPTION = 132
#: The Chrome Web Store's limit for the extension name, in characters.
MAX_NAME = 75
#: Manifest keys a store refuses in an upload.
REFUSED_KEYS = ("key", "update_url")
#: The icon size every store listing needs.
STORE_ICON = 128


def build(src, out):
    import os

    with open(os.path.join(src, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for k in REFUSED_KEYS:
        manifest.pop(k, None)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        for root, dirs, files in os.walk(src):
            # _metadata is what a browser writes into a folder it loaded; dotfiles are never shipped.
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_metadata")))
            for name in sorted(files):
                path = os.path.join(root, name)
                rel = os.path.relpath(path, src).replace(os.sep, "/")
                if rel == "manifest.json" or name.startswith("."):
                    continue
                z.write(path, rel)
    print(f"{out}: {len(zipfile.ZipFile(out).namelist())} files, manifest without {', '.join(REFUSED_KEYS)}")


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def check(path):
    problems = []
    try:
        z = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        return [f"not a zip file: {e}"]
    names = set(z.namelist())
    if "manifest.json" not in names:
        return ["no manifest.json at the top of the package"]
    try:
        manifest = json.loads(z.read("manifest.json").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [f"manifest.json is not JSON: {e}"]
    if not isinstance(manifest, dict):
        return ["manifest.json is not an object"]
    for k in REFUSED_KEYS:
        if k in manifest:
            problems.append(f'manifest has "{k}": the stores refuse it in an upload')
    if manifest.get("manifest_version") != 3:
        problems.append(f"manifest_version is {manifest.get('manifest_version')!r}, not 3")
    version = str(manifest.get("version", ""))
    parts = version.split(".")
    if not (1 <= len(parts) <= 4 and all(p.isdigit() and int(p) <= 65535 and str(int(p)) == p for p in parts)):
        problems.append(f"version {version!r} is not 1 to 4 dot-separated integers (0 to 65535, no leading zeros)")
    for name in sorted(names):
        if any(part.startswith(".") or part == "_metadata" for part in name.split("/")):
            problems.append(f"{name}: hidden files and _metadata are not shipped")
        if name.endswith(".pem"):
            problems.append(f"{name}: a private key must never be in a package")

    # Localised strings: every __MSG_x__ the manifest uses, resolved in every locale.
    default = manifest.get("default_locale")
    locales = sorted({n.split("/")[1] for n in names if re.fullmatch(r"_locales/[^/]+/messages\.json", n)})
    if not default or default not in locales:
        problems.append(f"default_locale {default!r} has no _locales/{default}/messages.json")
    for loc in locales:
        try:
            messages = json.loads(z.read(f"_locales/{loc}/messages.json").decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            problems.append(f"_locales/{loc}/messages.json is not JSON: {e}")
            continue
        lower = {k.lower(): v for k, v in messages.items()}

        def resolve(text):
            def one(m):
                entry = lower.get(m.group(1).lower())
                if entry is None:
                    problems.append(f"_locales/{loc}: no message {m.group(1)} (the manifest uses it)")
                    return ""
                return entry.get("message", "")

            return re.sub(r"__MSG_(\w+)__", one, text)

        for key, limit in (("description", MAX_DESCRIPTION), ("name", MAX_NAME)):
            text = resolve(str(manifest.get(key, "")))
            if not text:
                problems.append(f"{loc}: the {key} is empty")
            elif len(text) > limit:
                problems.append(f"{loc}: the {key} has {len(text)} characters; the store allows {limit}")

    # Every file the manifest names is in the package.
    wanted = []
    wanted += list((manifest.get("icons") or {}).values())
    action = manifest.get("action") or {}
    wanted += list((action.get("default_icon") or {}).values()) if isinstance(action.get("default_icon"), dict) else []
    wanted += [action.get("default_popup")]
    background = manifest.get("background") or {}
    wanted += [background.get("service_worker")]
    wanted += [(manifest.get("options_ui") or {}).get("page"), manifest.get("options_page")]
    for cs in manifest.get("content_scripts") or []:
        wanted += cs.get("js", []) + cs.get("css", [])
    wanted += [(manifest.get("storage") or {}).get("managed_schema")]
    for r in (manifest.get("declarative_net_request") or {}).get("rule_resources", []):
        wanted.append(r.get("path"))
    for war in manifest.get("web_accessible_resources") or []:
        wanted += [r for r in war.get("resources", []) if "*" not in r]
    for f in wanted:
        if f and f.lstrip("/") not in names:
            problems.append(f"the manifest names {f}, which is not in the package")
    icon = (manifest.get("icons") or {}).get(str(STORE_ICON))
    if not icon:
        problems.append(f"no {STORE_ICON}×{STORE_ICON} icon in the manifest's icons")
    elif icon in names and png_size(z.read(icon)) != (STORE_ICON, STORE_ICON):
        problems.append(f"{icon} is not a {STORE_ICON}×{STORE_ICON} PNG")
    return problems


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--check":
        problems = check(args[1])
        if problems:
            print(f"{args[1]}: {len(problems)} problem(s):", file=sys.stderr)
            for p in problems:
                print(f"  - {p}", file=sys.stderr)
            sys.exit(1)
        print(f"{args[1]}: passes the store checks (no key, Manifest V3, descriptions within {MAX_DESCRIPTION} characters, every named file present)")
    elif len(args) == 2 and not args[0].startswith("-"):
        build(args[0], args[1])
    else:
        sys.exit("usage: store-package.py DIST_EXTENSION OUT.zip | store-package.py --check PACKAGE.zip")


if __name__ == "__main__":
    main()
