"""Every management command of the four apps answers `--help`: exit 0 and its own help text,
in German and in English (help texts are lazy translations, `lotse.network.management.base`)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, load_command_class
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
APPS = ("network", "directory", "handover", "search")

#: (app, command) for every file in the apps' management/commands folders.
COMMANDS = sorted(
    (app, path.stem)
    for app in APPS
    for path in (ROOT / app / "management" / "commands").glob("*.py")
    if not path.name.startswith("_")
)


def words(text):
    return " ".join(text.split())


def test_commands_are_found_in_every_app():
    assert {app for app, _name in COMMANDS} == set(APPS)
    assert ("directory", "import_hsds") in COMMANDS


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("app", "name"), COMMANDS, ids=[name for _app, name in COMMANDS])
def test_help_of_every_command(app, name, language, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "1000")  # no wrapping: the help text stays one line
    with translation.override(language):
        command = load_command_class(f"lotse.{app}", name)
        expected = words(str(command.help))
        with pytest.raises(SystemExit) as exit_:
            call_command(command, "--help")
    assert exit_.value.code == 0
    output = capsys.readouterr()
    assert expected
    assert expected in words(output.out)
    assert "usage:" in output.out
    assert output.err == ""


def test_help_through_manage_py():
    env = {"PATH": os.environ.get("PATH", ""), "DEBUG": "1", "COLUMNS": "1000"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_hsds", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "--dry-run" in result.stdout
    assert "HSDS 3.0" in result.stdout
