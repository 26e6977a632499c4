#!/usr/bin/env python3
"""Checks that a file is a 64-bit Windows console program (PE32+, x86-64), as canhgiac.exe must be.

Usage: scripts/check-pe.py dist/canhgiac.exe     (exit 1 naming what is wrong)
"""
import struct
import sys

#: IMAGE_FILE_MACHINE_AMD64.
MACHINE_AMD64 = 0x8664
#: Optional-header magic of PE32+ (64-bit); PE32 is 0x10B.
PE32_PLUS = 0x20B
#: IMAGE_SUBSYSTEM_WINDOWS_CUI: a console program, so `policy check` prints to the terminal.
SUBSYSTEM_CONSOLE = 3


def describe(data):
    """The file's PE facts, or a ValueError saying what is missing."""
    if data[:2] != b"MZ":
        raise ValueError("no MZ header: not a Windows program")
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe_offset : pe_offset + 4] != b"PE\0\0":
        raise ValueError(f"no PE signature at offset {pe_offset:#x}")
    machine, sections = struct.unpack_from("<HH", data, pe_offset + 4)
    optional = pe_offset + 24
    (magic,) = struct.unpack_from("<H", data, optional)
    (subsystem,) = struct.unpack_from("<H", data, optional + 68)
    return {"machine": machine, "magic": magic, "subsystem": subsystem, "sections": sections}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: check-pe.py FILE.exe")
    path = sys.argv[1]
    with open(path, "rb") as f:
        data = f.read()
    try:
        pe = describe(data)
    except (ValueError, struct.error) as e:
        sys.exit(f"{path}: {e}")
    wrong = []
    if pe["machine"] != MACHINE_AMD64:
        wrong.append(f"machine {pe['machine']:#x}, not x86-64 ({MACHINE_AMD64:#x})")
    if pe["magic"] != PE32_PLUS:
        wrong.append(f"optional header {pe['magic']:#x}, not PE32+ ({PE32_PLUS:#x})")
    if pe["subsystem"] != SUBSYSTEM_CONSOLE:
        wrong.append(f"subsystem {pe['subsystem']}, not a console program ({SUBSYSTEM_CONSOLE})")
    if wrong:
        sys.exit(f"{path}: " + "; ".join(wrong))
    print(f"{path}: PE32+ x86-64 console program, {pe['sections']} sections, {len(data):,} bytes")


if __name__ == "__main__":
    main()
