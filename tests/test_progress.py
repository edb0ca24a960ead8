"""The progress line of long runs: on a terminal only, never under CI."""

from __future__ import annotations

import io

import pytest

from cetrus._progress import Progress, progress_enabled


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    "ci, tty, expected",
    [
        (None, True, True),
        (None, False, False),
        ("true", True, False),
        ("1", True, False),
        ("false", True, True),
        ("", True, True),
    ],
)
def test_enabled_on_a_terminal_outside_ci(monkeypatch, ci, tty, expected):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    stream = Terminal() if tty else io.StringIO()
    assert progress_enabled(None, stream) is expected
    assert progress_enabled(True, io.StringIO()) is True  # asked for: shown
    assert progress_enabled(False, Terminal()) is False


def test_line_rewrites_itself_and_is_erased(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = Terminal()
    with Progress(3, "R parity", stream=out, min_interval=0) as bar:
        bar.update(note="roc::a")
        assert bar.line().startswith("R parity  1/3  0:00 (~0:00 left)")
        bar.update(note="roc::b")
        bar.update(note="icc::c")
    text = out.getvalue()
    assert "\n" not in text and text.count("\r") >= 4 and "roc::b" in text
    assert text.endswith("\r") and text.rsplit("\r", 2)[-2].strip() == ""  # erased at the end


def test_quiet_when_not_a_terminal(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    out = io.StringIO()
    with Progress(2, "x", stream=out) as bar:
        bar.update()
        bar.update()
    assert out.getvalue() == ""


def test_parity_suite_shows_progress_only_when_asked(tmp_path, monkeypatch, capsys):
    from validation.harness import Case, Tol, run_all

    cases = [Case("demo", f"c{i}", lambda: [("x", 1.0, 1.0)], Tol(abs=1e-9)) for i in range(3)]
    monkeypatch.setenv("CI", "true")
    run_all(cases, out_dir=tmp_path, name="p", echo=None)
    assert capsys.readouterr().err == ""
    run_all(cases, out_dir=tmp_path, name="p", echo=None, progress=True)
    err = capsys.readouterr().err
    assert "R parity  3/3" in err and "demo::c2" in err
