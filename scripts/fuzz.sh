#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in
# build/fuzz, replays every saved crash under tests/fuzz/regressions/, then
# runs each target for the given time from its committed seed corpus.
# Fails on any crash, leak, timeout (10 s on one input) or memory blow-up.
#
#   scripts/fuzz.sh [seconds-per-target] [target ...]    (default: 30, every target)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}
seconds=${1:-30}
shift || true
build="$root/build/fuzz"
fuzz_dir="$root/tests/fuzz"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DHOTLINE_FUZZ=ON \
  -DHOTLINE_BUILD_SHARED=OFF -DHOTLINE_BUILD_TESTS=OFF -DHOTLINE_BUILD_BENCH=OFF \
  -DHOTLINE_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target hotline_fuzzers

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for binary in "$build"/tests/fuzz/fuzz_*; do
    name=$(basename "$binary")
    targets+=("${name#fuzz_}")
  done
  for dir in "$fuzz_dir"/corpus/*/; do
    [ -x "$build/tests/fuzz/fuzz_$(basename "$dir")" ] ||
      echo "fuzz: warning: corpus/$(basename "$dir") has no target fuzz_$(basename "$dir")" >&2
  done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()

# Every saved reproducer must now pass: these are regression tests.
if [ -d "$fuzz_dir/regressions" ]; then
  for dir in "$fuzz_dir"/regressions/*/; do
    [ -d "$dir" ] || continue
    target=$(basename "$dir")
    mapfile -t cases < <(find "$dir" -type f ! -name '*.md' | sort)
    [ ${#cases[@]} -gt 0 ] || continue
    echo "== replay regressions/$target (${#cases[@]} inputs)"
    for input in "${cases[@]}"; do
      if ! timeout 60 "$build/tests/fuzz/fuzz_$target" -timeout=10 -rss_limit_mb=2048 "$input" \
          >"$build/replay.log" 2>&1; then
        echo "FAILED: ${input#"$root"/}"
        grep -E "ERROR|SUMMARY|runtime error|#[0-9] " "$build/replay.log" | head -12 || true
        failed+=("regressions/$target/$(basename "$input")")
      fi
    done
  done
fi

# Runs one target and leaves its verdict in $build/$target.verdict.
fuzz_one() {
  local target=$1
  local binary="$build/tests/fuzz/fuzz_$target"
  local work="$build/corpus/$target"
  local artifacts="$build/artifacts/$target"
  mkdir -p "$work" "$artifacts"
  local dict=()
  case "$target" in
    expression) dict=(-dict="$fuzz_dir/expression.dict") ;;
    engine_config | flow | posted_event | store_json | knowledge)
      dict=(-dict="$fuzz_dir/json.dict") ;;
  esac
  # New inputs go to the work corpus in build/; the committed seeds are read only.
  local seeds=()
  [ -d "$fuzz_dir/corpus/$target" ] && seeds=("$fuzz_dir/corpus/$target")
  if "$binary" "$work" "${seeds[@]}" "${dict[@]}" -max_total_time="$seconds" \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      >"$build/$target.log" 2>&1; then
    local runs
    runs=$(grep -oE "Done [0-9]+ runs in [0-9]+ second" "$build/$target.log" | tail -1)
    echo "$target: ${runs:-no summary}" >"$build/$target.verdict"
  else
    {
      echo "FAILED: $target (log: ${build#"$root"/}/$target.log, input in ${artifacts#"$root"/}/)"
      grep -E "ERROR|SUMMARY|runtime error|ALARM|#[0-9] " "$build/$target.log" | head -16 || true
    } >"$build/$target.verdict"
  fi
}

# A libFuzzer process uses one core: as many targets run at once as there are jobs.
echo "== fuzz ${targets[*]} for ${seconds}s each, $jobs at a time"
for target in "${targets[@]}"; do
  rm -f "$build/$target.verdict"
  fuzz_one "$target" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait
for target in "${targets[@]}"; do
  cat "$build/$target.verdict" 2>/dev/null || echo "FAILED: $target (no verdict)"
  grep -q '^FAILED' "$build/$target.verdict" 2>/dev/null && failed+=("$target")
  [ -f "$build/$target.verdict" ] || failed+=("$target")
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crash, leak or timeout"
