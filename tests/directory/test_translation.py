"""Lotse in a site with Wagtail's i18n: run tests/directory/i18n_cases.py with its settings."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_translating_the_directory_with_wagtail_i18n():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--ds=tests.settings_i18n",
            "-o",
            "python_files=i18n_cases.py",
            "tests/directory/i18n_cases.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
