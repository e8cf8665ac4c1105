"""Password rules: Django's common-password list plus German words, names and places.

Django's `CommonPasswordValidator` knows 20,000 leaked (mostly English) passwords, but accepts
"Sommer2026" and "Lahnfeld1": a German word or a local town with digits added. This validator
also refuses such a word with only digits, symbols or spaces around it, written with digits for
letters too ("P4ssw0rt!"), and the names of the county's own towns and social areas (the
`SocialArea` rows), so a county's list grows with its data.
"""

import functools
import gzip
import re
import unicodedata
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext as _

GERMAN_LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords-de.txt"

#: Letters people write as digits or symbols; undone before comparing.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
#: Everything around the word that is not a letter (digits, symbols, spaces).
_PADDING = re.compile(r"^[\W\d_]*(?P<core>.*?)[\W\d_]*$")
#: Words shorter than this are not looked for inside a padded password ("Tom" in "Tom2026!").
_MIN_CORE = 3


def fold(text):
    """Lower case, umlauts as ae/oe/ue/ss, other accents dropped: how the lists are written."""
    text = unicodedata.normalize("NFKC", text).strip().lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=4)
def load_list(path):
    """The words of one list file (plain or gzipped); lines starting with "#" are comments."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            lines = file.read().splitlines()
    except OSError:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line.strip() and not line.startswith("#"))


def area_words():
    """Names of the county's towns and social areas, and each word of them ("Lahnfeld Nord")."""
    from .models import SocialArea

    try:
        names = list(SocialArea.objects.values_list("name", flat=True))
    except DatabaseError:  # the table does not exist yet (migrations)
        return set()
    words = set()
    for name in names:
        folded = fold(name)
        words.add(re.sub(r"[\W_]+", "", folded))
        words.update(word for word in re.split(r"[\W_]+", folded) if len(word) >= 4)
    return words


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Refuse common passwords, and common German words, names and places with padding."""

    def __init__(
        self,
        password_list_path=password_validation.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH,
        german_list_path=GERMAN_LIST_PATH,
        include_areas=True,
    ):
        if (
            password_list_path
            is password_validation.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH
        ):
            password_list_path = self.DEFAULT_PASSWORD_LIST_PATH
        self.passwords = load_list(str(password_list_path)) | load_list(str(german_list_path))
        self.include_areas = include_areas

    def candidates(self, password):
        """The password as written, with digits read as letters, and each without padding."""
        folded = fold(password)
        core = _PADDING.match(folded)["core"]
        cores = {core, core.translate(_LEET)}
        return {folded, folded.translate(_LEET)}, {c for c in cores if len(c) >= _MIN_CORE}

    def validate(self, password, user=None):
        forms, cores = self.candidates(password)
        words = self.passwords | area_words() if self.include_areas else self.passwords
        if forms & words:
            raise ValidationError(self.get_error_message(), code="password_too_common")
        if cores & words:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is a common word, name or place "
                    "with only digits or symbols added."
                ),
                code="password_too_common",
            )

    def get_help_text(self):
        return _(
            "Your password can’t be a common password, nor a common word, name or place with "
            "only digits or symbols added (like “Sommer2026”)."
        )
