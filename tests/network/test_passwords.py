"""Password rules: at least 12 characters, no common password, no German word with digits."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from lotse.network.passwords import CommonPasswordValidator
from tests import factories

# The validator also reads the county's town names from the database.
pytestmark = pytest.mark.django_db

WEAK = [
    "Lahnfeld1",
    "Sommer2026",
    "Sommer2026!",
    "Winter2025",
    "Herbst 2024",
    "2026Fruehling",
    "Frühling2026",
    "P4ssw0rt2024!",
    "Passwort123",
    "hallo1234",
    "Schalke04",
    "Lahnfeld2026!!",
    "Dillhausen#1",
    "Diakonie2026",
    "Jobcenter123",
    "qwertz123456",
    "Dezember12",
    "ichliebedich",
]


@pytest.mark.parametrize("password", WEAK)
def test_common_german_passwords_are_refused(password):
    with pytest.raises(ValidationError) as caught:
        CommonPasswordValidator().validate(password)
    assert caught.value.code == "password_too_common"


@pytest.mark.parametrize(
    "password",
    ["Lahnfeld-Regen-Taschenlampe", "mein Hund isst 7 Birnen", "ob3rN-kxT9-wQ2m", "Tom-hat-Hunger"],
)
def test_long_unusual_passwords_pass(password):
    CommonPasswordValidator().validate(password)
    validate_password(password)


def test_the_countys_own_town_names_are_refused_too():
    factories.SocialAreaFactory(name="Knüllwald-Remsfeld")
    validator = CommonPasswordValidator()
    for password in ("Knuellwald2026", "Remsfeld!2026", "knüllwaldremsfeld1"):
        with pytest.raises(ValidationError):
            validator.validate(password)


@pytest.mark.parametrize("password", ["Lahnfeld1", "Sommer2026", "kurz-aber1", "1234567890123"])
def test_the_configured_validators_refuse_them(password):
    with pytest.raises(ValidationError):
        validate_password(password, factories.UserFactory.build())


def test_twelve_characters_at_least():
    with pytest.raises(ValidationError) as caught:
        validate_password("x7#Qm!zR2pL")  # 11, otherwise fine
    assert [e.code for e in caught.value.error_list] == ["password_too_short"]
    validate_password("x7#Qm!zR2pLw")


def test_the_german_list_ships_with_the_package():
    from lotse.network import passwords

    words = passwords.load_list(str(passwords.GERMAN_LIST_PATH))
    assert {"sommer", "lahnfeld", "passwort", "fruehling"} <= words
    assert len(words) > 400
