"""`playground train` honours a project's stop conditions (Training panel): the epoch limit and a
target accuracy, saying why it stopped."""
import json

from test_cli import SPIRAL, run


def project_with(tmp_path, **stops):
    data = json.loads(open(SPIRAL).read())
    data["training"] = {**data.get("training", {}), **stops}
    path = tmp_path / "stops.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_the_epoch_limit_is_the_default_length(tmp_path):
    out = run("train", project_with(tmp_path, stop_epochs=4), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["epochs"] == 4 and "4 epochs" in result["stopped"]


def test_a_target_accuracy_stops_early_and_says_so(tmp_path):
    out = run("train", project_with(tmp_path, stop_accuracy=0.8), "--epochs", "200")
    assert out.returncode == 0, out.stderr
    assert "accuracy" in out.stdout and "reached the target 80 %" in out.stdout
    epochs = int(out.stdout.split(" for ")[1].split(" epochs")[0])
    assert epochs < 200
