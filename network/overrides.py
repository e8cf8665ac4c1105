"""Wagtail admin URLs answered by scoped views (included before Wagtail's own admin URLs).

Wagtail offers no hook to narrow these screens, so the same paths are routed to subclasses
in `scoping` that hide other organisations' pages and people.
"""

from django.urls import path

from . import scoping

urlpatterns = [
    path(
        "choose-page/<int:parent_page_id>/",
        scoping.ScopedPageBrowseView.as_view(),
    ),
    path(
        "choose-page/chosen-multiple/",
        scoping.ScopedPageChosenMultipleView.as_view(),
    ),
    path(
        "reports/site-history/",
        scoping.ScopedSiteHistoryView.as_view(),
    ),
    path(
        "reports/site-history/results/",
        scoping.ScopedSiteHistoryView.as_view(results_only=True),
    ),
]
