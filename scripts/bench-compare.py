#!/usr/bin/env python3
"""Runs two hotline_bench binaries in turn and compares their figures.

A shared machine's speed drifts within minutes, so two builds are compared
only within one sitting, alternating: old, new, old, new, ... Each run is one
invocation of a binary with the same filter; every benchmark's real and CPU
time and its user counters are collected, and for each figure the script
reports both builds' runs, their medians, and in how many of the pairs the
new build came out lower.

    scripts/bench-compare.py OLD_BENCH NEW_BENCH --filter 'BM_SimulateDay/100000/' --pairs 5

Arguments it does not know (--benchmark_min_time=0.5, say) go to both
binaries. The report is JSON on standard output; progress goes to standard
error. A run that fails, prints no benchmark JSON or reports a benchmark
that skipped with an error ends the comparison.
"""

import argparse
import json
import statistics
import subprocess
import sys

NOT_FIGURES = {"family_index", "per_family_instance_index", "repetitions", "repetition_index",
               "threads", "iterations"}


def run_once(binary, bench_filter, extra):
    """One invocation: {benchmark name: {figure: value}}. Exits on a failed run."""
    try:
        done = subprocess.run(
            [binary, f"--benchmark_filter={bench_filter}", "--benchmark_format=json", *extra],
            capture_output=True, text=True)
    except OSError as e:
        sys.exit(f"bench-compare: cannot run {binary}: {e.strerror}")
    if done.returncode != 0:
        sys.exit(f"bench-compare: {binary} exited with status {done.returncode}: "
                 f"{done.stderr.strip()[-2000:]}")
    try:
        benchmarks = json.loads(done.stdout)["benchmarks"]
    except (ValueError, KeyError) as e:
        sys.exit(f"bench-compare: {binary} did not print benchmark JSON ({e})")
    figures = {}
    for bench in benchmarks:
        if bench.get("run_type") == "aggregate":
            continue
        # A benchmark that skipped with an error still reports times, of nothing.
        if bench.get("error_occurred"):
            sys.exit(f"bench-compare: {binary}: {bench.get('name')} failed: "
                     f"{bench.get('error_message', '')}")
        # The times and the counters: every number but the run's bookkeeping.
        figures[bench["name"]] = {
            key: value for key, value in bench.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            and key not in NOT_FIGURES}
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", help="the hotline_bench built from the code before")
    parser.add_argument("new", help="the hotline_bench built from the code after")
    parser.add_argument("--filter", required=True, help="--benchmark_filter for both")
    parser.add_argument("--pairs", type=int, default=5, help="old-then-new pairs (default 5)")
    # Any other argument (--benchmark_min_time=..., say) goes to both binaries.
    args, extra = parser.parse_known_args()
    if args.pairs < 1:
        parser.error("--pairs must be at least 1")

    runs = {"old": [], "new": []}
    for pair in range(args.pairs):
        for side in ("old", "new"):
            print(f"pair {pair + 1} of {args.pairs}: {side}", file=sys.stderr)
            runs[side].append(run_once(getattr(args, side), args.filter, extra))

    report = {"filter": args.filter, "pairs": args.pairs, "benchmarks": {}}
    for name in runs["old"][0]:
        figures = {}
        for key in runs["old"][0][name]:
            old = [r[name][key] for r in runs["old"] if key in r.get(name, {})]
            new = [r[name][key] for r in runs["new"] if key in r.get(name, {})]
            if len(old) != args.pairs or len(new) != args.pairs:
                continue  # a figure one of the runs did not report
            figures[key] = {
                "old": old,
                "new": new,
                "old_median": statistics.median(old),
                "new_median": statistics.median(new),
                "pairs_new_lower": sum(n < o for o, n in zip(old, new)),
            }
        report["benchmarks"][name] = figures
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
