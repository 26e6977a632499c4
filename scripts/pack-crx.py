#!/usr/bin/env python3
"""Packs dist/extension/ into a signed CRX3 and writes an update manifest, for admins who host
Cảnh Giác themselves (ExtensionInstallForcelist with their own update URL).

Usage: scripts/pack-crx.py KEY.pem EXTENSION_DIR OUT_DIR VERSION BASE_URL
Writes OUT_DIR/canhgiac-VERSION.crx and OUT_DIR/updates.xml (codebase BASE_URL/canhgiac-VERSION.crx).
Signing uses the openssl command. The key decides the extension ID, printed at the end.
"""
import hashlib
import io
import os
import re
import struct
import subprocess
import sys
import zipfile
from xml.sax.saxutils import quoteattr


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def zip_dir(path: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for root, _, files in sorted(os.walk(path)):
            for name in sorted(files):
                full = os.path.join(root, name)
                z.write(full, os.path.relpath(full, path))
    return buf.getvalue()


def openssl(args: list, what: str, data: bytes = b"") -> bytes:
    """Runs openssl; on failure exits naming what could not be done and openssl's own reason."""
    try:
        done = subprocess.run(["openssl", *args], input=data, capture_output=True)
    except OSError as e:
        sys.exit(f"pack-crx: cannot {what}: openssl cannot run ({e})")
    if done.returncode != 0:
        sys.exit(f"pack-crx: cannot {what}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def valid_version(version: str) -> bool:
    """Chrome's extension version: one to four dot-separated integers, each 0-65535, no leading zeros."""
    parts = version.split(".")
    return 1 <= len(parts) <= 4 and all(
        re.fullmatch(r"0|[1-9][0-9]{0,4}", p) and int(p) <= 65535 for p in parts
    )


def update_manifest(ext_id: str, codebase: str, version: str) -> str:
    """The update manifest; attribute values are quoted and escaped, so a base URL with a query
    string (its '&') still makes well-formed XML."""
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n"
        f"  <app appid={quoteattr(ext_id)}>\n"
        f"    <updatecheck codebase={quoteattr(codebase)} version={quoteattr(version)} />\n"
        "  </app>\n"
        "</gupdate>\n"
    )


def main() -> None:
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    key, ext_dir, out_dir, version, base_url = sys.argv[1:]
    # Checked first: a version Chrome would refuse must not leave a signed file behind.
    if not valid_version(version):
        sys.exit(f"pack-crx: {version!r} is not an extension version (1 to 4 numbers 0-65535 joined by dots)")
    public_der = openssl(["rsa", "-in", key, "-pubout", "-outform", "DER"], f"read the key {key}")
    crx_id = hashlib.sha256(public_der).digest()[:16]
    signed_data = field(1, crx_id)  # SignedData { crx_id = 1 }
    archive = zip_dir(ext_dir)
    # CRX3 signs: magic, the signed header data with its length, then the archive.
    message = b"CRX3 SignedData\x00" + struct.pack("<I", len(signed_data)) + signed_data + archive
    signature = openssl(["dgst", "-sha256", "-sign", key], f"sign with {key}", message)
    proof = field(1, public_der) + field(2, signature)  # AsymmetricKeyProof
    header = field(2, proof) + field(10000, signed_data)  # CrxFileHeader
    crx = b"Cr24" + struct.pack("<II", 3, len(header)) + header + archive
    ext_id = "".join(chr(ord("a") + int(c, 16)) for c in crx_id.hex())
    os.makedirs(out_dir, exist_ok=True)
    name = f"canhgiac-{version}.crx"
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(crx)
    with open(os.path.join(out_dir, "updates.xml"), "w", encoding="utf-8") as f:
        f.write(update_manifest(ext_id, f"{base_url.rstrip('/')}/{name}", version))
    print(f"wrote {name} and updates.xml for extension {ext_id}")


if __name__ == "__main__":
    main()
