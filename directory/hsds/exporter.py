"""The published directory as HSDS 3.0: a JSON list of fully nested organisations.

The output is deterministic (sorted by name, then id; stable derived ids; texts in the site's
main language), so exporting twice gives the same file, and so does exporting again after
importing an export into an empty directory.
"""

import json

from django.conf import settings
from django.utils import translation

from . import mapping, queries


def organizations(progress=None):
    """Every public organisation, fully nested with its published offers."""
    with translation.override(settings.LANGUAGE_CODE):
        catalogue = mapping.Catalogue()
        rows = list(queries.with_published_offers(queries.public_organisations()))
        rows.sort(key=lambda org: (org.name.casefold(), str(org.hsds_id)))
        result = []
        for org in rows:
            result.append(mapping.organization_full(org, org.published_offers, catalogue))
            if progress is not None:
                progress()
        return result


def dumps(data):
    """JSON text as the export writes it: UTF-8, indented, a newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(path, data):
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(dumps(data))
