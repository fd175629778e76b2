"""The README's examples are what the bot prints: the preview command and the console transcript, run as shown."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from cli_process import run_cli
from test_console import console

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```text\n(.*?)```", README, re.S)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_first_example_is_what_preview_prints(tmp_path: Path) -> None:
    command = re.search(r"\(That is `(boundary-bot preview [^`]+)`", README).group(1)
    args = shlex.split(command)[1:]
    env = {"POLICY_FILE": str(ROOT / "bot" / "policy.example.toml"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = run_cli(*args, "--policy", env["POLICY_FILE"], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)["reply"]
    shown = BLOCKS[0].split("bot:", 1)[1]
    assert _words(shown).replace("Hi Sam,", "Hi there,") == _words(printed)
    assert BLOCKS[0].split("bot:")[0].strip().removeprefix("Sam:").strip() == args[-1]


def test_the_console_transcript_is_what_the_console_prints(tmp_path: Path) -> None:
    block = next(b for b in BLOCKS if b.startswith("$ make run ARGS="))
    first, *lines = block.rstrip("\n").splitlines()
    args = shlex.split(shlex.split(first.removeprefix("$ make run "))[0].removeprefix("ARGS="))
    inputs = [line.split("> ", 1)[1] for line in lines if line.startswith("[")]
    out = console(tmp_path, "\n".join(inputs) + "\n", *args).splitlines()
    position = 0
    for expected in lines:
        prefix = expected.removesuffix("...").rstrip() if expected.endswith("...") else None
        while position < len(out) and not (out[position].startswith(prefix) if prefix else out[position] == expected):
            position += 1
        assert position < len(out), f"the README shows {expected!r}; the console printed:\n" + "\n".join(out)
        position += 1
