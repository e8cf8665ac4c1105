"""Lotse's own system checks for the keys handovers depend on (`manage.py check [--deploy]`).

Messages name the setting and the position of a bad entry, never a key's value.

| id | level | when |
| --- | --- | --- |
| lotse.E010 | error | an entry of LOTSE_HANDOVER_KEYS is not a Fernet key |
| lotse.E011 | error, deploy | DEBUG is off and LOTSE_AUDIT_KEYS is empty |
| lotse.E012 | error | an entry of LOTSE_AUDIT_KEYS is shorter than 32 characters |
| lotse.E013 | error, deploy | DEBUG is off and LOTSE_HANDOVER_KEYS is empty |
| lotse.W010 | warning, deploy | one value serves in both LOTSE_HANDOVER_KEYS and LOTSE_AUDIT_KEYS |
| lotse.W011 | warning, deploy | a key is listed twice in one of them |
"""

import binascii

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks

from lotse.conf import lotse_settings

from .audit_keys import MIN_KEY_LENGTH

HINT_FERNET = (
    'Make one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)
HINT_AUDIT = 'Make one with: python -c "import secrets; print(secrets.token_urlsafe(32))"'


def _values(name):
    value = getattr(lotse_settings, name) or []
    if isinstance(value, str):  # a single key given as a string, not a list
        value = [value]
    return [str(item) for item in value]


def _position(index, values):
    return f"entry {index + 1} of {len(values)}"


def key_values(app_configs=None, **kwargs):
    """Malformed keys: wrong everywhere, deployment or not."""
    errors = []
    handover_keys = _values("LOTSE_HANDOVER_KEYS")
    for index, value in enumerate(handover_keys):
        try:
            Fernet(value)
        except (ValueError, TypeError, binascii.Error):
            errors.append(
                checks.Error(
                    f"LOTSE_HANDOVER_KEYS: {_position(index, handover_keys)} is not a Fernet "
                    "key (32 url-safe base64-encoded bytes).",
                    hint=HINT_FERNET,
                    id="lotse.E010",
                )
            )
    audit_keys = _values("LOTSE_AUDIT_KEYS")
    for index, value in enumerate(audit_keys):
        if len(value) < MIN_KEY_LENGTH:
            errors.append(
                checks.Error(
                    f"LOTSE_AUDIT_KEYS: {_position(index, audit_keys)} is shorter than "
                    f"{MIN_KEY_LENGTH} characters.",
                    hint=HINT_AUDIT,
                    id="lotse.E012",
                )
            )
    return errors


def keys_present(app_configs=None, **kwargs):
    """A deployment (DEBUG off) needs both kinds of key, and keeps them apart."""
    messages = []
    if settings.DEBUG:
        return messages
    handover_keys, audit_keys = _values("LOTSE_HANDOVER_KEYS"), _values("LOTSE_AUDIT_KEYS")
    if not audit_keys:
        messages.append(
            checks.Error(
                "LOTSE_AUDIT_KEYS is not set: the handover audit trail cannot be written "
                "without a MAC key kept outside the database.",
                hint=HINT_AUDIT,
                id="lotse.E011",
            )
        )
    if not handover_keys:
        messages.append(
            checks.Error(
                "LOTSE_HANDOVER_KEYS is not set: handover content cannot be encrypted.",
                hint=HINT_FERNET,
                id="lotse.E013",
            )
        )
    if set(handover_keys) & set(audit_keys):
        messages.append(
            checks.Warning(
                "A value is used in both LOTSE_HANDOVER_KEYS and LOTSE_AUDIT_KEYS: whoever "
                "learns it could both read handovers and rewrite their audit trail.",
                hint="Give the audit chain keys of its own.",
                id="lotse.W010",
            )
        )
    for name, values in (("LOTSE_HANDOVER_KEYS", handover_keys), ("LOTSE_AUDIT_KEYS", audit_keys)):
        if len(set(values)) < len(values):
            messages.append(checks.Warning(f"{name} lists the same key twice.", id="lotse.W011"))
    return messages


def register():
    checks.register(key_values, checks.Tags.security, "lotse")
    checks.register(keys_present, checks.Tags.security, "lotse", deploy=True)
