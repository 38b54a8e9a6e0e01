"""``python -m playground.bench --threads N``: parsed, applied to numba, the BLAS and PyTorch, and
shown with the results (what is checked is the counts in force, never a speed)."""
import json
import subprocess
import sys

import pytest


def bench(*args):
    return subprocess.run([sys.executable, "-m", "playground.bench", "--only", "F", "--no-startup",
                           *args], capture_output=True, text=True, timeout=600)


def test_threads_sets_every_library_to_the_same_count():
    pytest.importorskip("torch")
    out = bench("--threads", "1", "--vs-torch", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["threads"] == {"numba": 1, "blas": 1, "torch": 1, "torch_interop": 1}
    assert all("ratio" in row for row in result["workloads"])


def test_the_table_says_how_many_threads_it_ran_on():
    out = bench("--threads=1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "threads: numba 1, BLAS 1"


@pytest.mark.parametrize("value", ["0", "two"])
def test_a_bad_thread_count_is_refused_in_words(value):
    out = subprocess.run([sys.executable, "-m", "playground.bench", "--threads", value],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"the thread count must be a whole number from 1 up, not '{value}'" in out.stderr
