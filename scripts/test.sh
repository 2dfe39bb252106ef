#!/usr/bin/env bash
# Sets up the machine, builds Hotline and runs every test: the normal build
# (library, examples and benchmarks, warnings as errors), the C++ and C suites
# under AddressSanitizer and UndefinedBehaviorSanitizer, the threaded runtime
# suites under ThreadSanitizer, each fuzz target for a bounded time
# (HOTLINE_FUZZ_SECONDS, default 20 s each), then the binding suites.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}

# Each stage's heading tells how long the run has taken so far.
stage() {
  echo "== $* [at $((SECONDS / 60)) min $((SECONDS % 60)) s]"
}

"$root/scripts/setup.sh"

configure_and_build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -G Ninja -DHOTLINE_WERROR=ON "$@"
  cmake --build "$dir" -j"$jobs"
}

# The normal build, the static library and the Python package's bundled
# library compile the core with the same flags and the same absolute paths:
# through ccache, the second and third take the first's objects instead of
# compiling the core twice more. Only the C ABI's own files differ (HL_STATIC).
# ccache also hashes the compiler's name, and pip's CMake picks g++ where
# CMake alone picks c++: the three builds name the same one.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache
    -DCMAKE_CXX_COMPILER=c++ -DCMAKE_C_COMPILER=cc)
  export CCACHE_NOHASHDIR=true
fi

# The C++ and C suites are compiled and run once, in the sanitized build below:
# it runs the same cases as a normal build would and catches more. The normal
# build is the one hosts and the bindings use; building it without the suites
# halves its time.
stage "normal build"
configure_and_build "$root/build/release" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DHOTLINE_BUILD_TESTS=OFF "${launcher[@]}"

stage "ABI against the committed baseline"
"$root/scripts/abi-check.sh" "$root/build/release"

stage "ASan + UBSan build"
configure_and_build "$root/build/asan" -DCMAKE_BUILD_TYPE=Debug -DHOTLINE_SANITIZE=ON \
  -DHOTLINE_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$root/build/asan" --output-on-failure -j"$jobs"

stage "ThreadSanitizer build: the runtime, attributes shared across threads, and the C tests that post from several threads"
cmake -S "$root" -B "$root/build/tsan" -G Ninja -DHOTLINE_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
  -DHOTLINE_TSAN=ON -DHOTLINE_BUILD_BENCH=OFF
tsan_targets=()
for target in hotline_runtime_tests hotline_expr_tests hotline_capi_runtime_tests \
  hotline_capi_posting_threads_tests hotline_capi_post_validation_tests \
  hotline_capi_host_interface_ticket_storage_tests hotline_capi_store_resolved_customer_tests; do
  # The runtime's doctest suite is optional: build what this tree has.
  ninja -C "$root/build/tsan" -t query "$target" >/dev/null 2>&1 && tsan_targets+=("$target")
done
cmake --build "$root/build/tsan" -j"$jobs" --target "${tsan_targets[@]}"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir "$root/build/tsan" --output-on-failure \
  -R '^(runtime|expr|capi_runtime|capi_posting_threads|capi_post_validation|'\
'capi_host_interface_ticket_storage|capi_store_resolved_customer)$'

stage "Fuzzing: every target for ${HOTLINE_FUZZ_SECONDS:-20} s, and the saved reproducers"
"$root/scripts/fuzz.sh" "${HOTLINE_FUZZ_SECONDS:-20}"

stage "Installed: libhotline under build/install, examples/minimal_c built against it"
install="$root/build/install"
cmake --install "$root/build/release" --prefix "$install"
cmake -S "$root/examples/minimal_c" -B "$root/build/minimal_c" -G Ninja \
  -DCMAKE_PREFIX_PATH="$install"
cmake --build "$root/build/minimal_c"
"$root/build/minimal_c/minimal_c" >/dev/null

stage "Installed static: the export set links the core's modules and their libraries"
configure_static() {
  cmake -S "$root" -B "$root/build/static" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHOTLINE_WERROR=ON -DHOTLINE_BUILD_SHARED=OFF -DHOTLINE_BUILD_TESTS=OFF \
    -DHOTLINE_BUILD_BENCH=OFF -DHOTLINE_BUILD_EXAMPLES=OFF "$@"
}
configure_static "${launcher[@]}"
cmake --build "$root/build/static" -j"$jobs" --target hotline
cmake --install "$root/build/static" --prefix "$root/build/install-static"
cmake -S "$root/examples/minimal_c" -B "$root/build/minimal_c-static" -G Ninja \
  -DCMAKE_PREFIX_PATH="$root/build/install-static"
cmake --build "$root/build/minimal_c-static"
"$root/build/minimal_c-static/minimal_c" >/dev/null
if ldd "$root/build/minimal_c-static/minimal_c" | grep -q libhotline; then
  echo "minimal_c linked against the static install still loads libhotline.so" >&2
  exit 1
fi
# The same through pkg-config --static, as a Makefile would link it.
cc -std=c99 -pedantic -Wall -Werror "$root/examples/minimal_c/main.c" -o "$root/build/minimal_c-pc" \
  $(PKG_CONFIG_PATH="$root/build/install-static/lib/pkgconfig" \
    pkg-config --cflags --static --libs hotline)
"$root/build/minimal_c-pc" >/dev/null

stage "Python"
venv="$root/build/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" pytest jsonschema mypy websocket-client pyyaml openapi-spec-validator selenium
# pip builds libhotline from these sources (scikit-build-core) and bundles it;
# the build folder under build/python is kept, so a rerun is incremental.
skbuild=(-C cmake.build-type=RelWithDebInfo -C cmake.define.HOTLINE_WERROR=ON)
for flag in "${launcher[@]}"; do skbuild+=(-C "cmake.define.${flag#-D}"); done
"${pip[@]}" "${skbuild[@]}" "$root/bindings/python"
"$venv/bin/mypy" --strict "$root/bindings/python/hotline"
# No HOTLINE_LIBRARY: the package loads the library it bundled (a test also
# proves that HOTLINE_LIBRARY overrides it).
(cd "$root" && env -u HOTLINE_LIBRARY "$venv/bin/python" -m pytest -q tests/python \
  bindings/python/tests)

stage "Go"
(
  cd "$root/bindings/go"
  # The installed hotline.pc finds the headers and the library (#cgo pkg-config).
  export PKG_CONFIG_PATH="$install/lib/pkgconfig"
  export CGO_LDFLAGS="-Wl,-rpath,$install/lib"
  go vet ./...
  go test -count=1 ./...
  go test -count=1 -race ./...
)

stage "SIP host over SIPp: calls through hotline-sip (ASan + UBSan build), then a smoke load"
# Each test starts its own host on fresh ports; SIPp plays callers, agents' phones and
# registrations; the call-control tests add Python phones that measure what each
# party hears. The whole stage stays within 16 minutes.
HOTLINE_SIP="$root/build/asan/examples/sip/hotline-sip" \
  ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  timeout 900 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/sip"
ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  timeout 60 "$root/scripts/sip-load.sh" --host "$root/build/asan/examples/sip/hotline-sip" \
  --rate 20 --seconds 5 --calls 50 --hold-seconds 5 --require-clean

stage "Operations server: REST, roles, metrics (promtool) and events against hotline-ops"
# Each test starts its own server (ASan + UBSan build) on a port it picks, hotline-ops or
# hotline-sim --serve running a day at 3000x, some over a SQLite store; about 2 minutes.
HOTLINE_OPS="$root/build/asan/examples/ops/hotline-ops" \
  HOTLINE_SIM="$root/build/asan/examples/sim/hotline-sim" \
  ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  timeout 240 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/ops" \
  --ignore="$root/tests/ops/browser"

stage "Pages in a browser: wallboard, supervisor and agent desktop in headless chromium"
# Selenium (from PyPI, in the venv above) drives Debian's chromium through chromium-driver
# against the same sanitized servers; Chart.js is Debian's libjs-chart.js. About 80 s.
HOTLINE_OPS="$root/build/asan/examples/ops/hotline-ops" \
  HOTLINE_SIM="$root/build/asan/examples/sim/hotline-sim" \
  ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  timeout 240 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/ops/browser"
stage "every stage passed"
