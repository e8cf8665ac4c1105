"""schema.org JSON-LD for offer pages, so search engines and assistants read opening hours."""

from django.utils import timezone

from .fields import WEEKDAY_CODES
from .opening_hours import ON_SITE

SCHEMA_DAYS = dict(
    zip(
        WEEKDAY_CODES,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
GOVERNMENT_KINDS = {
    "county_department",
    "job_centre",
    "employment_agency",
    "pension_insurance",
    "municipality",
}


def opening_hours_specification(schedule):
    spec = {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [f"https://schema.org/{SCHEMA_DAYS[code]}" for code in schedule.weekdays],
        "opens": schedule.opens_at.strftime("%H:%M"),
        "closes": schedule.closes_at.strftime("%H:%M"),
    }
    if schedule.valid_from:
        spec["validFrom"] = schedule.valid_from.isoformat()
    if schedule.valid_to:
        spec["validThrough"] = schedule.valid_to.isoformat()
    return spec


def _timed(schedules):
    return [s for s in schedules if s.opens_at and s.closes_at and s.weekdays]


def place(location, schedules):
    data = {
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "postalCode": location.postcode,
            "addressLocality": location.town,
            "addressCountry": "DE",
        },
    }
    if location.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    on_site = _timed(s for s in schedules if s.kind in ON_SITE)
    if on_site:
        data["openingHoursSpecification"] = [opening_hours_specification(s) for s in on_site]
    return data


def offer_json_ld(page, request=None):
    """The offer as a schema.org (Government)Service; expects `page.with_related()` first."""
    organisation = page.organisation
    schedules = list(page.opening_hours.all())
    provider = {
        "@type": "GovernmentOrganization"
        if organisation.kind in GOVERNMENT_KINDS
        else "Organization",
        "name": organisation.name,
    }
    for key, value in (
        ("url", organisation.website),
        ("telephone", organisation.phone),
        ("email", organisation.email),
    ):
        if value:
            provider[key] = value
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService" if organisation.kind in GOVERNMENT_KINDS else "Service",
        "identifier": str(page.hsds_id),
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
        "provider": provider,
        "isAccessibleForFree": page.is_free,
        "serviceType": [topic.name for topic in page.topics.all()],
        "availableLanguage": [
            {"@type": "Language", "name": language.name, "alternateName": language.code}
            for language in page.languages.all()
        ],
        "areaServed": [
            {"@type": "AdministrativeArea", "name": area.name} for area in page.service_areas.all()
        ],
        "audience": [
            {"@type": "Audience", "audienceType": group.name} for group in page.target_groups.all()
        ],
        "dateModified": (
            timezone.localdate(page.confirmed_at).isoformat() if page.confirmed_at else None
        ),
    }
    channels = []
    for offer_location in page.offer_locations.all():
        location = offer_location.location
        channels.append(
            {
                "@type": "ServiceChannel",
                "serviceLocation": place(
                    location, [s for s in schedules if s.location_id == location.pk]
                ),
            }
        )
    phone_hours = _timed(s for s in schedules if s.kind == "phone")
    if page.phone or page.email:
        contact = {"@type": "ContactPoint"}
        if page.phone:
            contact["telephone"] = page.phone
        if page.email:
            contact["email"] = page.email
        if phone_hours:
            contact["hoursAvailable"] = [opening_hours_specification(s) for s in phone_hours]
        channels.append({"@type": "ServiceChannel", "servicePhone": contact})
    if page.website:
        channels.append({"@type": "ServiceChannel", "serviceUrl": page.website})
    if channels:
        data["availableChannel"] = channels
    return {key: value for key, value in data.items() if value not in (None, [], "")}
