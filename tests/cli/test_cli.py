"""What the command line does with its options: the window, the database it names, errors as one clear line."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from app import paths


class Recorder:
    def __init__(self, result: object = 0) -> None:
        self.calls: list[tuple] = []
        self.result = result

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls.append((args, kwargs))
        return self.result


def test_no_command_opens_the_window_with_the_options(run, tmp_path: Path):
    window = Recorder(result=0)
    result = run("--db", tmp_path / "x.db", "--quit-after-first-paint", "--language", "en", "--kiosk",
                 open_window=window)
    assert result.code == 0
    assert window.calls == [((str(tmp_path / "x.db"),),
                             {"quit_after_first_paint": True, "quit_when_ready": False, "language": "en",
                              "kiosk": True})]


def test_the_window_decides_the_exit_code(run):
    assert run(open_window=Recorder(result=3)).code == 3


def test_the_database_comes_from_the_option_else_the_environment_else_the_data_folder(run, monkeypatch):
    window = Recorder()
    run(open_window=window)
    assert window.calls[-1][0] == (str(paths.data_dir() / "salesoffice.db"),)
    monkeypatch.setenv("SALESOFFICE_DB", "postgresql+psycopg://desk@db.office/sales")
    run(open_window=window)
    assert window.calls[-1][0] == ("postgresql+psycopg://desk@db.office/sales",)
    run("--db", "other.db", open_window=window)
    assert window.calls[-1][0] == ("other.db",)


def test_screenshots_go_to_the_window_s_screenshot_maker(run, tmp_path: Path):
    shots = Recorder(result=None)
    with contextlib.closing(sqlite3.connect(tmp_path / "x.db")) as conn:  # a database, if not yet the office's
        conn.execute("CREATE TABLE t (x)")
    result = run("--db", tmp_path / "x.db", "screenshots", "--out", tmp_path / "shots", screenshots=shots)
    assert result.code == 0
    assert shots.calls == [((str(tmp_path / "x.db"), str(tmp_path / "shots")), {})]


def test_screenshots_of_a_mistyped_database_make_no_file(run, tmp_path: Path):
    shots = Recorder(result=None)
    result = run("--db", tmp_path / "ofice.db", "screenshots", "--out", tmp_path / "shots", screenshots=shots)
    assert result.code == 1 and result.err.strip() == f"{tmp_path / 'ofice.db'} 处没有数据库。"
    assert shots.calls == [] and not (tmp_path / "ofice.db").exists()


@pytest.mark.parametrize("args", [[], ["screenshots", "--out", "shots"]])
def test_without_the_window_the_program_says_so(run, args):
    result = run(*args)
    assert result.code == 2 and "salesoffice" in result.err


@pytest.mark.parametrize("args", [["frobnicate"], ["db"], ["backup"], ["--language", "fr", "db", "check"]])
def test_wrong_arguments_exit_2_with_the_usage(run, args):
    result = run(*args)
    assert result.code == 2 and "usage" in result.err


def test_help_is_in_chinese_by_default_and_english_on_request(run):
    zh = run("--help")
    assert zh.code == 0 and "在一个新的空数据库中生成演示案场" in zh.out
    en = run("--language", "en", "--help")
    assert en.code == 0 and "fill a new, empty database with a demo office" in en.out


def test_messages_follow_the_language_option(run, tmp_path: Path):
    result = run("--language", "en", "--db", tmp_path / "missing.db", "db", "check")
    assert result.code == 1 and result.err.strip() == f"There is no database at {tmp_path / 'missing.db'}."


def test_an_unexpected_error_is_logged_and_shown_as_one_line(run):
    def broken_window(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the graphics driver fell over")

    result = run(open_window=broken_window)

    assert result.code == 1
    assert len(result.err.strip().splitlines()) == 1 and "意外错误" in result.err
    log = paths.log_dir() / "salesoffice.log"
    assert str(log) in result.err
    assert "Traceback" not in result.err and "graphics driver" not in result.err
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "the graphics driver fell over" in text


def test_no_database_password_reaches_the_log_or_the_screen(run, monkeypatch):
    """A command that fails unexpectedly logs its command line, and the URL's password is not in it (SEC-5)."""
    url = "postgresql+psycopg://postgres:Secret-PW-42@127.0.0.1:1/office"

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError(f"could not use {url} (dsn: host=127.0.0.1 password=Secret-PW-42)")

    result = run("--db", url, open_window=broken)

    assert result.code == 1 and "Secret-PW-42" not in result.out + result.err
    text = (paths.log_dir() / "salesoffice.log").read_text(encoding="utf-8")
    assert "salesoffice --db postgresql+psycopg://postgres:***@127.0.0.1:1/office" in text
    assert "password=***" in text and "Secret-PW-42" not in text
