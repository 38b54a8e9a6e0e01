"""``playground train FILE``: train a project or a network spec headless and print the results."""
from __future__ import annotations

import argparse
import json
import sys
import time

from .engine import Diverged, SpecError

EPILOG = """examples:
  playground train resources/examples/spiral.json --epochs 50
  playground train my_network.json --dataset xor --epochs 20 --json
  playground train project.nnplay --seed 3"""


def train_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground train", epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train a Playground project (.nnplay or project JSON) or a network spec (JSON) "
                    "without the window, then print train and test loss and metrics.")
    parser.add_argument("file", help="a .nnplay project, a project JSON or a network spec JSON")
    parser.add_argument("--dataset", help="train on this dataset instead (e.g. spiral, xor, circle, "
                                          "stroke_digits)")
    parser.add_argument("--epochs", type=int, help="epochs to train (default: the project's epoch "
                                                    "limit, else 20)")
    parser.add_argument("--seed", type=int, help="seed for weights, data and shuffling")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(f"playground train: {message}", file=sys.stderr)
    return code


def _load(args) -> object:
    from .project import ProjectError, build_session, load_project_or_spec
    project = load_project_or_spec(args.file)
    if args.dataset:
        from .data import default_recipe
        from .data.errors import DatasetError
        try:
            project.dataset = default_recipe(args.dataset)
        except (DatasetError, KeyError, ValueError) as exc:
            raise ProjectError(str(exc)) from exc
    if args.seed is not None:
        project.training.seed = args.seed
        project.dataset = {**project.dataset, "seed": args.seed}
        project.view = {**project.view, "network_seed": args.seed}
    return build_session(project)


def _progress(trainer, epochs: int, start: float) -> None:
    last = trainer.history[-1]
    rate = trainer.step_count / max(time.perf_counter() - start, 1e-9)
    parts = [f"epoch {trainer.epoch}/{epochs}", f"loss {last.get('train_loss', float('nan')):.4f}"]
    if "test_loss" in last:
        parts.append(f"test loss {last['test_loss']:.4f}")
    if "test_accuracy" in last:
        parts.append(f"test accuracy {100 * last['test_accuracy']:.1f} %")
    parts.append(f"{rate:,.0f} steps/s")
    print("\r" + "   ".join(parts) + " " * 4, end="", file=sys.stderr, flush=True)


def run_train(argv: list[str]) -> int:
    args = train_parser().parse_args(argv)
    if args.epochs is not None and args.epochs < 1:
        return _fail("--epochs must be at least 1")
    from .data.errors import DatasetError
    from .project import ProjectError
    try:
        session = _load(args)
    except (ProjectError, SpecError, DatasetError, OSError, ValueError) as exc:
        return _fail(str(exc))
    trainer = session.trainer
    if args.epochs is None:
        args.epochs = trainer.settings.stop_epochs or 20
    from .engine.stop import stop_reason
    start, reason = time.perf_counter(), None
    try:
        while trainer.epoch < args.epochs and reason is None:
            trainer.run_epoch()
            if not args.json:
                _progress(trainer, args.epochs, start)
            reason = stop_reason(trainer.settings, trainer)
    except Diverged as exc:
        print(file=sys.stderr)
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return _fail("interrupted", 130)
    seconds = time.perf_counter() - start
    result = {"dataset": session.dataset.name, "epochs": trainer.epoch, "steps": trainer.step_count,
              "seconds": round(seconds, 3), "loss": trainer.loss_name, **trainer.history[-1]}
    if reason:
        result["stopped"] = reason
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(file=sys.stderr)
        print(f"trained {session.dataset.name} for {trainer.epoch} epochs "
              f"({trainer.step_count} steps) in {seconds:.1f} s")
        if reason:
            print(f"  {reason}")
        for key, value in trainer.history[-1].items():
            if key.startswith(("train_", "test_")) and "class_" not in key:
                print(f"  {key:<20} {value:.4f}")
    return 0
