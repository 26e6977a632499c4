#!/usr/bin/env bash
# Makes a wine prefix in which canhgiac.exe runs: scripts/wine/prepare.sh PREFIX WINE
# Debian 12's wine 8 has no bcryptprimitives.dll (Windows 10 and later do), so a test-only
# stand-in (bcryptprimitives.c) is built into the prefix when wine has none of its own.
set -euo pipefail
prefix=$(realpath -m "$1")  # wine wants an absolute path
wine=$2
export WINEPREFIX=$prefix WINEDEBUG=-all
server=$(command -v wineserver || echo "$(dirname "$wine")/wineserver")
# A new prefix takes ~10 s to make; wineboot returns before it is done, wineserver -w waits.
if [ ! -f "$prefix/system.reg" ]; then
  "$wine" wineboot -i >/dev/null 2>&1
  "$server" -w
fi
dll=$prefix/drive_c/windows/system32/bcryptprimitives.dll
src=$(dirname "$0")/bcryptprimitives.c
if [ ! -e "$dll" ] || [ -e "$prefix/canhgiac-shim" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$dll" "$src" -ladvapi32
  touch "$prefix/canhgiac-shim"
fi
