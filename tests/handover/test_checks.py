"""Lotse's system checks: `check --deploy` refuses bad or missing keys, and never shows them."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[2]
FERNET = "3q2-7zN0xYfYg1rQn7hW8lGQm2bq0Pj3c5p0s0eVw5o="
AUDIT = "a-deployment-audit-key-0123456789-abcdefghijkl"


def deploy_check():
    """`check --deploy`: the messages, or "" when it passes."""
    try:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    except SystemCheckError as error:
        return str(error)
    return ""


def lotse_messages(fail_level="WARNING"):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "check",
            "--deploy",
            "--tag",
            "lotse",
            "--fail-level",
            fail_level,
            stdout=out,
            stderr=err,
        )
    except SystemCheckError as error:
        return str(error)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def deployment(settings):
    settings.DEBUG = False
    settings.LOTSE_HANDOVER_KEYS = [FERNET]
    settings.LOTSE_AUDIT_KEYS = [AUDIT]
    return settings


def test_good_keys_pass(deployment):
    assert "lotse." not in lotse_messages()
    assert "lotse." not in deploy_check()


@pytest.mark.parametrize("keys", [["notakey"], [FERNET, "notakey"], [FERNET[:-2]]])
def test_an_invalid_fernet_key_fails_the_deploy_check(deployment, keys):
    deployment.LOTSE_HANDOVER_KEYS = keys
    message = deploy_check()
    assert "lotse.E010" in message
    assert f"entry {len(keys)} of {len(keys)}" in message
    for key in keys:
        assert key not in message


def test_a_missing_audit_key_fails_with_debug_off_only(deployment):
    deployment.LOTSE_AUDIT_KEYS = []
    assert "lotse.E011" in deploy_check()
    deployment.DEBUG = True  # development: a key is derived from SECRET_KEY
    assert "lotse.E011" not in lotse_messages()


def test_a_short_audit_key_fails(deployment):
    deployment.LOTSE_AUDIT_KEYS = [AUDIT, "kurz"]
    message = deploy_check()
    assert "lotse.E012" in message and "entry 2 of 2" in message and "kurz" not in message


def test_missing_handover_keys_fail_with_debug_off(deployment):
    deployment.LOTSE_HANDOVER_KEYS = []
    assert "lotse.E013" in deploy_check()


def test_one_key_for_both_purposes_or_twice_is_warned(deployment):
    deployment.LOTSE_AUDIT_KEYS = [FERNET]
    message = lotse_messages()
    assert "lotse.W010" in message and FERNET not in message
    deployment.LOTSE_AUDIT_KEYS = [AUDIT, AUDIT]
    message = lotse_messages()
    assert "lotse.W011" in message and AUDIT not in message


def test_production_settings_with_a_bad_key_fail_check_deploy():
    """The finding of the security test, as it was run: production settings, a bad key."""
    env = {
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": "x7!q0-long-random-production-secret-9f3k2m1n8b7v6c5x4z3a2s1d0f",
        "ALLOWED_HOSTS": "hilfe.landkreis-lahnfeld.de",
        "DATABASE_URL": "sqlite:////tmp/lotse-deploy-check-h3.sqlite3",
        "LOTSE_HANDOVER_KEYS": "notakey",
        "LOTSE_AUDIT_KEYS": AUDIT,
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "lotse.E010" in output and "notakey" not in output
    assert AUDIT not in output
