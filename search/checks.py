"""The search's system check (`manage.py check`).

| id | level | when |
| --- | --- | --- |
| lotse.E020 | error | ELASTICSEARCH_URL is set but the Elasticsearch client is not installed |

Without the client the site still answers searches from the database (`lotse.search.backends`);
the check makes sure nobody believes Elasticsearch is in use.
"""

from django.core import checks

from .backends import INSTALL_HINT, MISSING_CLIENT, client_installed, elasticsearch_configured


def elasticsearch_client(app_configs=None, **kwargs):
    if elasticsearch_configured() and not client_installed():
        return [
            checks.Error(
                MISSING_CLIENT,
                hint=f"Install it with {INSTALL_HINT}, or unset ELASTICSEARCH_URL to search "
                "the database. Until then the database backend answers searches.",
                id="lotse.E020",
            )
        ]
    return []


def register():
    checks.register(elasticsearch_client, "lotse")
