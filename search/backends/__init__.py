"""Search backends: `database` (always there) and `elasticsearch` (an optional extra).

The Elasticsearch client comes with `pip install 'lotse[elasticsearch]'`. Only
`backends/elasticsearch.py` imports it, and only code that asked `elasticsearch_enabled()`
first imports that module, so a site without the extra runs on the database backend even
when `ELASTICSEARCH_URL` is set; the system check lotse.E020 (`search/checks.py`) tells it
what to install.
"""

import functools
import logging

from django.utils.translation import gettext as _

from lotse.conf import lotse_settings

logger = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'lotse[elasticsearch]'"
MISSING_CLIENT = (
    "ELASTICSEARCH_URL is set but the Elasticsearch client is not installed: " + INSTALL_HINT
)


class EngineUnavailable(Exception):
    """Elasticsearch did not answer in time, or answered with an error; callers fall back."""


@functools.cache
def client_installed():
    """Can the Elasticsearch client (with its DSL) be imported in this process?"""
    try:
        import elastic_transport  # noqa: F401
        import elasticsearch  # noqa: F401
        import elasticsearch.dsl  # noqa: F401
    except ImportError:
        return False
    return True


def elasticsearch_configured():
    """`ELASTICSEARCH_URL` is set, whether or not the client is installed."""
    return bool(lotse_settings.ELASTICSEARCH_URL)


def elasticsearch_enabled():
    """Searches and index updates go to Elasticsearch: configured and the client installed."""
    if not elasticsearch_configured():
        return False
    if client_installed():
        return True
    _warn_missing_client()
    return False


def missing_client_message():
    """What commands say when they need the client, in the active language."""
    return _("ELASTICSEARCH_URL is set but the Elasticsearch client is not installed: %(hint)s") % {
        "hint": INSTALL_HINT
    }


@functools.cache
def _warn_missing_client():
    """Once per process, in the log; `manage.py check` reports it as lotse.E020."""
    logger.error("%s; the database backend answers searches.", MISSING_CLIENT)
