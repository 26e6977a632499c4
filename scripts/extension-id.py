#!/usr/bin/env python3
"""Prints the Chromium extension ID that follows from a manifest's "key".

The ID is the SHA-256 of the DER public key, first 32 hex digits, each mapped 0-f -> a-p.
Usage: scripts/extension-id.py extension/manifest.json
"""
import base64
import hashlib
import json
import sys


def extension_id(key_b64: str) -> str:
    digest = hashlib.sha256(base64.b64decode(key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: extension-id.py MANIFEST")
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    if "key" not in manifest:
        sys.exit(f"{sys.argv[1]} has no \"key\"")
    print(extension_id(manifest["key"]))
