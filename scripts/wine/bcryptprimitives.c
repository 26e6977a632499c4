// Test-only stand-in for Windows' bcryptprimitives.dll, for running canhgiac.exe under Debian 12's
// wine 8, which lacks the DLL. Rust's standard library imports ProcessPrng from it (Windows 10 and
// later have it) to seed hash maps. ./build.sh test builds this into the wine prefix only; it is
// never shipped, and on Windows the system's own DLL is used.
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
