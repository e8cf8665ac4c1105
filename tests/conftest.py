"""Shared pytest fixtures."""

import pytest

from tests import factories


@pytest.fixture
def directory(db):
    return factories.directory_root()


@pytest.fixture
def organisation_page(directory):
    return factories.make_organisation_page()


@pytest.fixture
def offer(organisation_page):
    location = factories.LocationFactory(organisation=organisation_page.organisation)
    return factories.make_offer(
        organisation_page,
        locations=[location],
        hours=[{**factories.WEEKDAY_HOURS, "location": 0}],
    )
