"""The engine warm-up the app runs at start-up: every task runs, progress counts to the end."""
from playground.engine.warmup import tasks, warm_up


def test_warm_up_reports_progress_to_the_end_for_float32_only():
    seen = []
    warm_up(lambda done, total, label: seen.append((done, total, label)))
    float32 = [label for label, _ in tasks() if "(float32)" in label]
    assert [done for done, _, _ in seen] == list(range(1, len(float32) + 1))
    assert {total for _, total, _ in seen} == {len(float32)}
    assert sorted(label for _, _, label in seen) == sorted(float32)
    assert seen[-1][2].startswith("convolution")  # the helper process's share comes last


def test_warm_up_without_a_helper_process_runs_every_task_here():
    seen = []
    warm_up(lambda done, total, label: seen.append(label), dtypes=("float64",), parallel=False)
    assert len(seen) == len([label for label, _ in tasks() if "(float64)" in label])
