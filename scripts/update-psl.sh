#!/usr/bin/env bash
# Refreshes data/public_suffix_list.dat, the Public Suffix List compiled into the engine.
#
# Source: https://publicsuffix.org/list/public_suffix_list.dat (Mozilla Public License 2.0; see
# data/PSL-LICENSE.md). Where that address cannot be reached, the same file is taken from the
# `publicsuffixlist` package on PyPI, which ships it unmodified. The new list must keep the
# ICANN/private section markers and VERSION/COMMIT lines, and the engine's tests must pass
# (./build.sh test runs the PSL's own conformance file against it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=data/public_suffix_list.dat
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if curl -fsSL --max-time 30 -o "$tmp/list.dat" https://publicsuffix.org/list/public_suffix_list.dat 2>/dev/null; then
  echo "fetched from publicsuffix.org"
else
  echo "publicsuffix.org unreachable; taking the copy inside the publicsuffixlist package (PyPI)"
  python3 -m pip download --quiet --no-deps -d "$tmp" publicsuffixlist
  python3 -m zipfile -e "$tmp"/publicsuffixlist-*.whl "$tmp/whl"
  cp "$tmp/whl/publicsuffixlist/public_suffix_list.dat" "$tmp/list.dat"
fi

grep -q '===BEGIN ICANN DOMAINS===' "$tmp/list.dat" && grep -q '===BEGIN PRIVATE DOMAINS===' "$tmp/list.dat" \
  || { echo "the downloaded list lacks its section markers; keeping the old one" >&2; exit 1; }
rules=$(grep -cv '^\(//\|$\)' "$tmp/list.dat")
[ "$rules" -gt 5000 ] || { echo "only $rules rules: refusing a truncated list" >&2; exit 1; }
cp "$tmp/list.dat" "$out"
grep -E '^// (VERSION|COMMIT):' "$out" || true
echo "wrote $out ($rules rules). Now run ./build.sh test and commit."
