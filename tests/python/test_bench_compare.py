"""scripts/bench-compare.py alternates two benchmark binaries and reports their medians.

The two binaries here are small programs that print what hotline_bench prints
with --benchmark_format=json, taking their figures from a list in turn and
logging each run, so the test knows what every run reported and in what order
the runs came.
"""
import json
import pathlib
import subprocess
import sys
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "bench-compare.py"

FAKE = textwrap.dedent(
    """\
    #!{python}
    import json, pathlib, sys
    here = pathlib.Path(__file__).parent
    log = here / "runs.log"
    runs = log.read_text().splitlines() if log.exists() else []
    mine = sum(1 for r in runs if r.startswith("{name} "))
    figures = {figures!r}[mine]
    with log.open("a") as f:
        f.write("{name} " + " ".join(sys.argv[1:]) + "\\n")
    print(json.dumps({{"context": {{}}, "benchmarks": [
        {{"name": "BM_A/10", "run_type": "iteration", "iterations": 1, "real_time": figures[0],
          "cpu_time": figures[0], "time_unit": "ns", "route_ns": figures[1]}},
        {{"name": "BM_A/10_mean", "run_type": "aggregate", "real_time": 0.0, "cpu_time": 0.0}},
    ]}}))
    """
)


def executable(folder, name, text):
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def fake_binary(folder, name, figures):
    return executable(folder, name, FAKE.format(python=sys.executable, name=name, figures=figures))


def shell_binary(folder, name, body):
    return executable(folder, name, "#!/bin/sh\n" + body)


def compare(tmp_path, old, new, *args):
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(old), str(new), *args],
        capture_output=True, text=True, cwd=tmp_path)


def test_alternates_the_builds_and_reports_medians_and_pairs_won(tmp_path):
    old = fake_binary(tmp_path, "old", [(10.0, 5), (30.0, 6), (20.0, 7)])
    new = fake_binary(tmp_path, "new", [(9.0, 6), (31.0, 5), (12.0, 7)])
    done = compare(tmp_path, old, new, "--filter", "BM_A/", "--pairs", "3",
                   "--benchmark_min_time=1")
    assert done.returncode == 0, done.stderr
    runs = (tmp_path / "runs.log").read_text().splitlines()
    # Old then new in every pair, each with the filter, JSON output and the extra argument.
    assert [r.split()[0] for r in runs] == ["old", "new"] * 3
    for r in runs:
        assert r.split()[1:] == ["--benchmark_filter=BM_A/", "--benchmark_format=json",
                                 "--benchmark_min_time=1"]
    report = json.loads(done.stdout)
    assert report["pairs"] == 3 and report["filter"] == "BM_A/"
    assert list(report["benchmarks"]) == ["BM_A/10"]  # the aggregate row is left out
    figures = report["benchmarks"]["BM_A/10"]
    assert figures["real_time"] == {
        "old": [10.0, 30.0, 20.0], "new": [9.0, 31.0, 12.0],
        "old_median": 20.0, "new_median": 12.0, "pairs_new_lower": 2}
    # A tie is not a pair won.
    assert figures["route_ns"]["pairs_new_lower"] == 1
    assert figures["route_ns"]["old_median"] == 6 and figures["route_ns"]["new_median"] == 6
    assert "iterations" not in figures


def test_a_failing_binary_stops_the_comparison(tmp_path):
    old = fake_binary(tmp_path, "old", [(10.0, 5)])
    broken = shell_binary(tmp_path, "new", "echo 'no such benchmark' >&2\nexit 3\n")
    done = compare(tmp_path, old, broken, "--filter", "BM_A/", "--pairs", "1")
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"{broken} exited with status 3: no such benchmark" in done.stderr


def test_a_binary_that_prints_no_benchmark_json_stops_the_comparison(tmp_path):
    chatty = shell_binary(tmp_path, "old", "echo 'hello'\n")
    done = compare(tmp_path, chatty, chatty, "--filter", "BM_A/", "--pairs", "1")
    assert done.returncode == 1
    assert f"{chatty} did not print benchmark JSON" in done.stderr


def test_a_missing_binary_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    done = compare(tmp_path, missing, missing, "--filter", "BM_A/", "--pairs", "1")
    assert done.returncode == 1
    assert f"cannot run {missing}: No such file or directory" in done.stderr


@pytest.mark.parametrize("pairs", ["0", "-2"])
def test_fewer_than_one_pair_is_refused(tmp_path, pairs):
    done = compare(tmp_path, "old", "new", "--filter", "x", "--pairs", pairs)
    assert done.returncode == 2
    assert "--pairs must be at least 1" in done.stderr


def test_a_benchmark_that_skipped_with_an_error_stops_the_comparison(tmp_path):
    skipped = shell_binary(
        tmp_path, "old",
        "echo '{\"benchmarks\": [{\"name\": \"BM_A/10\", \"run_type\": \"iteration\", "
        "\"error_occurred\": true, \"error_message\": \"no fixture\", \"real_time\": 0.0}]}'\n")
    done = compare(tmp_path, skipped, skipped, "--filter", "BM_A/", "--pairs", "1")
    assert done.returncode == 1
    assert f"{skipped}: BM_A/10 failed: no fixture" in done.stderr
