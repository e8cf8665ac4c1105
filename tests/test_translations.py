"""Every user-facing string of every app has a German translation, and the shipped .mo matches.

The English msgids are the source text, so the English catalogue may stay empty; German is
the site's main language and must be complete. The check regenerates each app's catalogue
from its source in a scratch copy, so a string added without a translation fails here.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["network", "directory", "handover", "search"]


def catalogue(app):
    return polib.pofile(str(ROOT / app / "locale" / "de" / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.parametrize("app", APPS)
def test_every_message_has_a_german_translation(app):
    po = catalogue(app)
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []


@pytest.mark.parametrize("app", APPS)
def test_the_compiled_catalogue_matches_the_source(app):
    po = catalogue(app)
    mo = polib.mofile(str(ROOT / app / "locale" / "de" / "LC_MESSAGES" / "django.mo"))
    expected = {key(e): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    compiled = {key(e): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
    assert compiled == expected


@pytest.mark.parametrize("app", APPS)
def test_the_catalogue_holds_every_string_of_the_source(app, tmp_path):
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # Without a locale folder of its own, makemessages would write into LOCALE_PATHS.
    (copy / "locale").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "settings.test"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    shipped = {key(e) for e in catalogue(app) if not e.obsolete}
    assert sorted({key(e) for e in fresh} - shipped, key=str) == []
