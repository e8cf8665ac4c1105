"""The synonym list in the admin (coordinators edit it), and the search on the directory page."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from lotse.directory.models import DirectoryIndexPage
from lotse.network.ratelimit import limited_response
from lotse.network.scoping import OrganisationScopedViewSet

from .apps import register_policies
from .models import Synonym
from .views import directory_search_context

# Before any snippet is registered below (see lotse.search.apps.register_policies).
register_policies()


class SynonymViewSet(OrganisationScopedViewSet):
    model = Synonym
    icon = "search"
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["terms", "expands_to"]


register_snippet(SynonymViewSet)


@hooks.register("lotse_directory_index_context")
def add_search_to_directory_page(page, request, context):
    directory_search_context(page, request, context)


@hooks.register("before_serve_page")
def limit_directory_searches(page, request, serve_args, serve_kwargs):
    """The directory page searches on every visit: it counts with the search API (429 page)."""
    if isinstance(page, DirectoryIndexPage):
        return limited_response(request, "search")
    return None
