"""The cast of the handover tests: an adviser's office, two partners and the county."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from lotse.network import contacts
from lotse.network.models import Membership, Organisation
from tests import factories

Role = Membership.Role
SUMMARY = "Mietschulden seit drei Monaten, Räumungsklage angekündigt."
CITIZEN_NAME = "Zarah Leander-Quist"
CITIZEN_PHONE = "06441 998877"
CITIZEN_EMAIL = "zarah.quist@example.net"
#: Text that must appear nowhere but in the parties' views of the content.
SECRETS = (
    SUMMARY,
    CITIZEN_NAME,
    "Leander",
    CITIZEN_PHONE,
    "998877",
    CITIZEN_EMAIL,
    "Räumungsklage",
)


def member(username, role, organisation, **fields):
    user = factories.UserFactory(username=username, **fields)
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return get_user_model().objects.get(pk=user.pk)


def contact(username, organisation, **fields):
    user = member(username, Role.CONTACT, organisation)
    return factories.PersonFactory(
        organisation=organisation, user=user, name=username.title(), **fields
    )


@pytest.fixture
def cast(directory):
    county = factories.OrganisationFactory(
        name="Sozialbüro Lahnfeld", kind=Organisation.Kind.COUNTY_DEPARTMENT
    )
    awo = factories.OrganisationFactory(name="AWO Lahnfeld")
    diakonie = factories.OrganisationFactory(name="Diakonie Lahnfeld")
    adviser = member("lea", Role.ADVISER, county, email="lea@sozialbuero.example")
    colleague = member("carl", Role.ADVISER, county)
    coordinator = member("klara", Role.COORDINATOR, county)
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    deputy = contact("dora", awo)
    recipient = contact("rita", awo, email="rita@awo.example")
    # Rita names her deputy herself: only such a deputy reads her handovers.
    contacts.name_deputy(recipient.user, recipient, deputy)
    same_org = contact("otto", awo)
    other_org = contact("dieter", diakonie)
    topic = factories.TopicFactory(name="Schulden")
    awo_page = factories.make_organisation_page(awo)
    offer = factories.make_offer(
        awo_page,
        topics=[topic],
        title="Schuldnerberatung der AWO",
        handover_contact=recipient,
    )
    return SimpleNamespace(
        county=county,
        awo=awo,
        diakonie=diakonie,
        adviser=adviser,
        colleague=colleague,
        coordinator=coordinator,
        superuser=superuser,
        recipient=recipient,
        deputy=deputy,
        same_org=same_org,
        other_org=other_org,
        topic=topic,
        offer=offer,
        awo_page=awo_page,
    )


@pytest.fixture
def handover(cast):
    return factories.make_handover(cast.adviser, cast.recipient, offer=cast.offer)


def pytest_terminal_summary(terminalreporter):
    """Report how many role × view/endpoint combinations the handover matrix went through."""
    from tests.handover.test_access_matrix import MATRIX_TALLY

    if MATRIX_TALLY:
        combinations = sum(count for _role, count, _wrong in MATRIX_TALLY)
        wrong = sum(wrong for _role, _count, wrong in MATRIX_TALLY)
        terminalreporter.write_line(
            f"handover access matrix: {combinations} combinations over {len(MATRIX_TALLY)} "
            f"roles through the real admin and API URLs, {wrong} wrong"
        )
