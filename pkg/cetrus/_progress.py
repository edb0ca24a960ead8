"""A progress line for long runs (the parity suite, the study's spread, extraction).

Shown only where someone watches: on a terminal (``stderr.isatty()``) and not under CI
(the ``CI`` environment variable set to anything but ``""``, ``0``, ``false`` or
``no``). A redirected or CI run stays quiet and its logs carry no carriage returns.
The line rewrites itself in place and is erased when the run ends, so the run's own
output (the summary, the JSON) is what remains on the screen.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["Progress", "progress_enabled"]


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def progress_enabled(progress: bool | None = None, stream: TextIO | None = None) -> bool:
    """``progress`` when given; otherwise whether ``stream`` (stderr) is a terminal and CI
    is not set."""
    if progress is not None:
        return bool(progress)
    if _ci():
        return False
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced stream
        return False


class Progress:
    """``label  k/n  elapsed (~left)  note`` on one self-rewriting stderr line.

    Use as a context manager; :meth:`update` after each item. Disabled (a no-op) unless
    :func:`progress_enabled` says so.
    """

    def __init__(
        self,
        total: int,
        label: str,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        min_interval: float = 0.2,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = progress_enabled(enabled, self.stream)
        self.total = int(total)
        self.label = label
        self.done = 0
        self.min_interval = min_interval
        self._start = time.monotonic()
        self._last = -float("inf")
        self._width = 0

    def __enter__(self) -> Progress:
        self._draw("", force=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, n: int = 1, note: str = "") -> None:
        self.done += n
        self._draw(note, force=self.done >= self.total)

    def line(self, note: str = "") -> str:
        elapsed = time.monotonic() - self._start
        text = f"{self.label}  {self.done}/{self.total}  {_clock(elapsed)}"
        if 0 < self.done < self.total:
            text += f" (~{_clock(elapsed / self.done * (self.total - self.done))} left)"
        return f"{text}  {note}".rstrip()

    def _draw(self, note: str, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.min_interval:
            return
        self._last = now
        text = self.line(note)[:119]
        pad = max(0, self._width - len(text))
        self._width = len(text)
        self._write("\r" + text + " " * pad)

    def close(self) -> None:
        if self.enabled and self._width:
            self._write("\r" + " " * self._width + "\r")
            self._width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: progress is not worth dying for
            self.enabled = False


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    m, s = divmod(seconds, 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"
