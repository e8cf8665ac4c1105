"""Admin screens for the catalogue's snippets (pages are edited in the page explorer)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Location, TargetGroup, Topic


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "parent"]
    search_fields = ["name"]


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "parent"]
    search_fields = ["name"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    list_display = ["name", "town", "organisation", "step_free_access"]
    list_filter = ["town", "step_free_access", "organisation"]
    search_fields = ["name", "town", "street"]


class DirectoryViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Directory")
    menu_icon = "list-ul"
    menu_order = 210
    items = (TopicViewSet, TargetGroupViewSet, LocationViewSet)


register_snippet(DirectoryViewSetGroup)
