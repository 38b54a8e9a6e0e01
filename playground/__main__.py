"""``playground`` opens the app; ``playground train FILE`` trains headless; see ``--help``."""
from __future__ import annotations

import argparse
import sys


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground",
        description="Build neural networks by hand and watch them learn. "
                    "'playground train FILE' trains without the window (see 'playground train -h').")
    parser.add_argument("project", nargs="?", help="a .nnplay project to open")
    parser.add_argument("--example", help="open a built-in example (see the Examples menu)")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the window and exit")
    parser.add_argument("--train-steps", type=int, default=0, help="with --screenshot: steps first")
    parser.add_argument("--self-test", action="store_true", help="check the installation and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "train":
        from .cli import run_train
        return run_train(argv[1:])
    options = app_parser().parse_args(argv)
    from .ui.app import run
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
