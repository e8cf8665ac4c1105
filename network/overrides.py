"""Scoped replacements of Wagtail admin views that offer no hook to narrow them.

The page chooser's browse and "chosen" answers and the site history report would name other
organisations' pages and people. `ScopedAdminViewsMiddleware` answers those URLs (matched by
their Wagtail URL names) with the subclasses in `scoping` instead, so a host site needs no
extra URL include in front of Wagtail's admin.
"""

from functools import cache

from wagtail.admin.auth import require_admin_access

from . import scoping


@cache
def replacements():
    """Wagtail URL name → Lotse's view, guarded like Wagtail's own admin views."""
    history = scoping.ScopedSiteHistoryView
    return {
        "wagtailadmin_choose_page_child": scoping.ScopedPageBrowseView.as_view(),
        "wagtailadmin_choose_page_chosen_multiple": (
            scoping.ScopedPageChosenMultipleView.as_view()
        ),
        "wagtailadmin_reports:site_history": history.as_view(),
        "wagtailadmin_reports:site_history_results": history.as_view(results_only=True),
    }


class ScopedAdminViewsMiddleware:
    """Runs the scoped view in place of Wagtail's for the URLs in `replacements()`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        view = replacements().get(match.view_name) if match is not None else None
        if view is None:
            return None
        return require_admin_access(view)(request, *view_args, **view_kwargs)
