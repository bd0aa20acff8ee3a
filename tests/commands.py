"""Running `kg` as a process of its own in tests, checking its one-line errors, and holding a
store open for writing from another process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KG_COMMAND = Path(sys.executable).parent / "kg"


def kg_process(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` as its own process, with no KG_ settings inherited from the environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    return subprocess.run(
        [str(KG_COMMAND), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**clean, **(env or {})},
        check=False,
    )


def assert_one_line_error(stderr: str, *needles: str) -> None:
    """A failing command says why in one line of its own, and never shows a traceback."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("kg: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def start_holder(store: Path) -> subprocess.Popen[str]:
    """A process that holds ``store`` open for writing (with pyoxigraph alone, as any writer
    could) until it is killed."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]); "
            "print('holding', flush=True); sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    return holder


def assert_fails(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    """The command exited with 1 and said why in one line holding every one of ``needles``."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert_one_line_error(done.stderr, *needles)
