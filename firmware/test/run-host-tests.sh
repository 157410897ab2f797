#!/bin/sh
# `make test`: builds and runs the firmware host tests, then prints ONE line "N passed, N failed"
# (scripts/test-all.mjs adds it to the total). Without g++ it says loudly what it skipped.
cd "$(dirname "$0")/.." || exit 1
if ! command -v "${CXX:-g++}" >/dev/null 2>&1; then
  echo "!!! SKIPPED firmware host tests: ${CXX:-g++} is not installed (apt-get install g++ make doctest-dev)"
  echo "0 passed, 0 failed"
  exit 0
fi
passed=0
failed=0
if ! make -s all; then
  echo "firmware host build FAILED (see the compiler output above)"
  echo "0 passed, 1 failed"
  exit 1
fi
# Unit and parser tests (ASan + UBSan): doctest's summary line gives the counts.
out=$(./build/unit-tests 2>&1)
status=$?
echo "$out" | tail -n 40
counts=$(echo "$out" | sed -n 's/^\[doctest\] test cases: *[0-9]* | *\([0-9]*\) passed | *\([0-9]*\) failed.*/\1 \2/p' | tail -n 1)
if [ -n "$counts" ]; then
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
fi
if [ $status -ne 0 ] && { [ -z "$counts" ] || [ "${counts#* }" = "0" ]; }; then failed=$((failed + 1)); fi
# The core's rules, checked in its source: no heap, no exceptions, no standard containers, no Arduino headers.
violations=$(for f in src/core/*; do sed 's|//.*$||' "$f" | grep -nE '\bnew\b|\b(malloc|calloc|realloc|free)\(|\bstd::|\bthrow\b|\btry\b|\bcatch\b|#include <' | grep -vE '#include <(stddef|stdint|stdio|stdlib|string|math)\.h>' | sed "s|^|$f:|"; done)
if [ -n "$violations" ]; then
  echo "$violations"
  echo "core rules FAILED: the lines above use the heap, exceptions, std:: or Arduino headers in src/core"
  failed=$((failed + 1))
else
  passed=$((passed + 1))
  echo "core rules: no heap, exceptions, std:: or Arduino headers in src/core"
fi
# The sketch on the host stand-ins.
if ./build/sketch-host >build/sketch-host.log 2>&1; then
  passed=$((passed + 1))
  tail -n 1 build/sketch-host.log
else
  failed=$((failed + 1))
  tail -n 20 build/sketch-host.log
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
