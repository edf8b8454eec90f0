"""`python -m bench` runs every benchmark; `--only minutes` runs one, `--runs N` sets the timed runs.

Whatever goes wrong ends in one line on stderr and a non-zero exit, never a traceback (`--traceback`
shows it when you need it): `make bench` is run by people who want a figure, not a stack.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from bench import BenchError, one_line

# name -> the module whose run(runs=N) returns True when the budget is met. Imported only when run, so a
# scenario that cannot be imported (a service mid-edit) fails with its own one-line message.
SCENARIOS: dict[str, str] = {"import": "bench.imports", "minutes": "bench.minutes", "pages": "bench.pages",
                             "report": "bench.report", "voters": "bench.voters"}


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of runs, 1 or more (not {value!r})")
    return number


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1024 <= number <= 65000:
        raise argparse.ArgumentTypeError(f"give a port number from 1024 to 65000 (not {value!r})")
    return number


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"bench: {message} (see: python -m bench --help)\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(prog="python -m bench", description="Time what people wait for; see docs/performance.md.")
    parser.add_argument("--only", choices=sorted(SCENARIOS), help="run just this benchmark")
    parser.add_argument("--runs", type=_positive,
                        help="timed runs of each measurement (default: the scenario's own, 20 or 40 for pages)")
    parser.add_argument("--port", type=_port, help="servers listen on this port and the next ones (default: any free)")
    parser.add_argument("--traceback", action="store_true", help="show the full traceback when something fails")
    return parser


def _scenario(name: str) -> Callable[..., bool]:
    import importlib

    module = importlib.import_module(SCENARIOS[name])
    run: Callable[..., bool] = module.run  # each scenario module defines run(...) -> bool
    return run


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from bench.server import use_ports_from

    use_ports_from(args.port)
    # Stopped by `kill` rather than Ctrl-C: unwind the same way, so every server started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    failed = []
    for name in [args.only] if args.only else sorted(SCENARIOS):
        try:
            if not _scenario(name)(**({"runs": args.runs} if args.runs else {})):
                failed.append(name)
        except KeyboardInterrupt:
            sys.stderr.write("bench: interrupted; the servers it started are stopped and its temporary "
                             "databases removed.\n")
            return 130
        except BenchError as error:
            if args.traceback:
                raise
            sys.stderr.write(f"bench: {name}: {error}\n")
            return 1
        except Exception as error:
            if args.traceback:
                raise
            logging.getLogger("leder.bench").debug("unexpected", exc_info=True)
            sys.stderr.write(f"bench: {name}: unexpected {type(error).__name__}: {one_line(error)}\n")
            return 1
    if failed:
        sys.stderr.write(f"bench: over budget: {', '.join(failed)} (figures saved; see docs/performance.md)\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
