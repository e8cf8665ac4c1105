"""Encryption at rest for handover content: Fernet tokens, keys from the environment.

`LOTSE_HANDOVER_KEYS` lists Fernet keys, newest first. New values are always encrypted with
the newest key; every listed key still decrypts, so a new key can be put in front at any time
and `manage.py rotate_handover_keys` then re-encrypts the rows before the old key is dropped.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from lotse.conf import lotse_settings

__all__ = ["EncryptedTextField", "InvalidToken", "decrypt", "encrypt", "keys", "rotate"]


def _development_key():
    """Only with DEBUG on: a key derived from SECRET_KEY, so the demo runs without set-up."""
    digest = hashlib.sha256(f"lotse-handover:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def keys():
    configured = list(lotse_settings.LOTSE_HANDOVER_KEYS or [])
    if configured:
        return configured
    if settings.DEBUG:
        return [_development_key()]
    raise ImproperlyConfigured(
        "Set LOTSE_HANDOVER_KEYS to one or more Fernet keys (newest first) to store handovers."
    )


@lru_cache(maxsize=4)
def _fernet(key_tuple):
    try:
        return MultiFernet([Fernet(key) for key in key_tuple])
    except (ValueError, TypeError) as error:
        # The message never contains the key itself.
        raise ImproperlyConfigured(
            "LOTSE_HANDOVER_KEYS holds a value that is not a Fernet key "
            "(32 url-safe base64-encoded bytes)."
        ) from error


def fernet():
    return _fernet(tuple(keys()))


def encrypt(text):
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token):
    return fernet().decrypt(token.encode("ascii")).decode("utf-8")


def rotate(token):
    """The same plaintext, encrypted with the newest key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def newest_key_encrypted(token):
    """Was `token` made with the newest key? (Decrypting with it alone succeeds.)"""
    try:
        Fernet(keys()[0]).decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; Python code sees plaintext, the database never does.

    Empty values stay empty (nothing to protect), so purged content is visibly gone. The field
    cannot be searched or filtered on, by design.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)
