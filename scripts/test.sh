#!/usr/bin/env bash
# Sets up the machine, builds Hotline and runs every test: the C++ and C
# suites in a normal build and again under AddressSanitizer and
# UndefinedBehaviorSanitizer, the threaded runtime suites under
# ThreadSanitizer, each fuzz target for a bounded time
# (HOTLINE_FUZZ_SECONDS, default 30 s each), then the binding suites.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}

"$root/scripts/setup.sh"

configure_and_build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -G Ninja -DHOTLINE_WERROR=ON "$@"
  cmake --build "$dir" -j"$jobs"
}

echo "== normal build"
configure_and_build "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir "$root/build/release" --output-on-failure -j"$jobs"

echo "== ABI against the committed baseline"
"$root/scripts/abi-check.sh" "$root/build/release"

echo "== ASan + UBSan build"
configure_and_build "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DHOTLINE_SANITIZE=ON \
  -DHOTLINE_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build/asan" --output-on-failure -j"$jobs"

echo "== ThreadSanitizer build: the runtime and the C tests that post from several threads"
cmake -S "$root" -B "$root/build/tsan" -G Ninja -DHOTLINE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
  -DHOTLINE_TSAN=ON -DHOTLINE_BUILD_BENCH=OFF
tsan_targets=()
for target in hotline_runtime_tests hotline_capi_runtime_tests \
  hotline_capi_posting_threads_tests; do
  # The runtime's doctest suite is optional: build what this tree has.
  ninja -C "$root/build/tsan" -t query "$target" >/dev/null 2>&1 && tsan_targets+=("$target")
done
cmake --build "$root/build/tsan" -j"$jobs" --target "${tsan_targets[@]}"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir "$root/build/tsan" --output-on-failure \
  -R '^(runtime|capi_runtime|capi_posting_threads)$'

echo "== Fuzzing: every target for ${HOTLINE_FUZZ_SECONDS:-30} s, and the saved reproducers"
"$root/scripts/fuzz.sh" "${HOTLINE_FUZZ_SECONDS:-30}"

echo "== Python"
venv="$root/build/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check pytest jsonschema
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$root/bindings/python"
HOTLINE_LIBRARY="$root/build/release/capi/libhotline.so" \
  "$venv/bin/python" -m pytest -q "$root/tests/python" "$root/bindings/python/tests"

echo "== Go"
(
  cd "$root/bindings/go"
  export CGO_LDFLAGS="-L$root/build/release/capi -Wl,-rpath,$root/build/release/capi"
  go vet ./...
  go test -count=1 ./...
  go test -count=1 -race ./...
)
