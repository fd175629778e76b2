"""`python -m benchmarks [core classify intents dispatch messages slack latency fanout replicas memory history mail]`: all or those named."""

from __future__ import annotations

import argparse
import logging
import time
from datetime import datetime

from benchmarks import (
    classify,
    core,
    dispatch,
    fanout,
    history,
    intents,
    mail_reply,
    memory,
    message_path,
    replicas,
    reply_latency,
    slack_e2e,
)
from benchmarks.report import machine

SUITES = {
    "core": core.run,
    "classify": classify.run,
    "intents": intents.run,
    "dispatch": dispatch.run,
    "messages": message_path.run,
    "slack": slack_e2e.run,
    "latency": reply_latency.run,
    "fanout": fanout.run,
    "replicas": replicas.run,
    "memory": memory.run,
    "history": history.run,
    "mail": mail_reply.run,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("suites", nargs="*", metavar="SUITE", help=f"any of {', '.join(SUITES)} (default: all)")
    args = parser.parse_args()
    if unknown := [name for name in args.suites if name not in SUITES]:
        parser.error(f"unknown suite {unknown[0]!r}; choose from {', '.join(SUITES)}")
    logging.basicConfig(level=logging.WARNING)
    started = time.monotonic()
    print(f"boundary-bot benchmarks, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {machine()}", flush=True)
    for name in args.suites or SUITES:
        SUITES[name]()
    print(f"(all figures in {time.monotonic() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
