"""Wagtail admin screens that show each user only what `permissions` lets them see.

Snippet viewsets of organisation-owned and shared county data subclass
`OrganisationScopedViewSet`: listings, search, choosers, inspect/edit/delete/history/usage
views and the forms' choice lists are all filtered through `lotse.network.permissions`, so a partner
sees nothing of other organisations (not even a 403 that would confirm an id exists).
"""

import copy
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views import chooser as page_chooser
from wagtail.admin.views.pages.listing import GenericPageFilterSet
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents import get_document_model
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page, PageLogEntry, PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser, snippets

from . import contacts, permissions
from .choices import ScopedChoicesMixin


class NetworkPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's permission questions, answered by `lotse.network.permissions`."""

    def user_has_permission(self, user, action):
        return action in permissions.ACTIONS and permissions.model_permission(
            user, action, self.model
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return action in permissions.ACTIONS and permissions.can(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_permission_for(self, user, action):
        objects = self.model._default_manager.all()
        if action not in permissions.ACTIONS:
            return objects.none()
        return permissions.filter_queryset(user, action, objects)

    def instances_user_has_any_permission_for(self, user, actions):
        objects = self.model._default_manager.none()
        for action in actions:
            objects |= self.instances_user_has_permission_for(user, action)
        return objects


#: What Wagtail asks before showing the page explorer, its search and the "Pages" menu.
EXPLORE_ACTIONS = frozenset({"add", "change", "publish", "bulk_delete", "lock", "unlock"})
#: What Wagtail asks before showing its page reports (aging pages, page types usage, workflows).
REPORT_ACTIONS = frozenset({"add", "change", "publish"})


class NetworkPagePermissionTester(PagePermissionTester):
    """Wagtail's tester with the permissions that apply to the page under Lotse's rules."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.permissions_for_page(user, page)
            }


def _permissions_for_user(page, user):
    return NetworkPagePermissionTester(user, page)


def install_page_permission_tester():
    """Every page answers `permissions_for_user()` with `NetworkPagePermissionTester`.

    Wagtail builds its tester in `Page.permissions_for_user` and offers no policy hook for it;
    overriding the method on Lotse's page types would not do, because the move, copy, bulk
    action and listing views ask plain `Page` instances. Outside the directory the tester
    answers exactly as Wagtail's; page types that define their own tester keep it.
    """
    Page.permissions_for_user = _permissions_for_user


class NetworkPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, confined to Lotse's roles inside the directory.

    Host groups keep their page permissions, reports and workflows everywhere else; inside
    the subtrees `permissions.governed_paths()` names, only Lotse's groups' permissions
    count (`permissions.page_permission_applies`). Wagtail has no "view" page permission:
    only users who may change something can open the page explorer. Advisers must look up
    every partner's offers but change nothing, so they may explore the whole tree, while every
    per-page check (edit, publish, delete, preview, copy, move) still comes from their (absent)
    page permissions.
    """

    def get_all_permissions_for_user(self, user):
        from . import rights

        perms = super().get_all_permissions_for_user(user)
        return list(
            perms.annotate(lotse=Exists(rights.managed_groups().filter(pk=OuterRef("group_id"))))
        )

    def permissions_for_page(self, user, page):
        """The user's page permission rows that apply to `page`."""
        perms = self.get_cached_permissions_for_user(user)
        governed = () if all(p.lotse for p in perms) else permissions.governed_paths(user)
        return [p for p in perms if permissions.page_permission_applies(p, page.path, governed)]

    def _reads_all(self, user):
        return user.is_active and permissions.reads_all_pages(user)

    def user_has_any_permission(self, user, actions):
        if set(actions) == REPORT_ACTIONS and not user.is_superuser:
            # The page reports count and name pages across the whole tree, whatever the user
            # may see: among Lotse's roles only coordinators get them; host groups keep
            # Wagtail's rule through their own permissions.
            if permissions.is_coordinator(user):
                return True
            perms = self.get_cached_permissions_for_user(user)
            host = {perm.permission.codename for perm in perms if not perm.lotse}
            return bool(host & self._get_permission_codenames(REPORT_ACTIONS))
        if super().user_has_any_permission(user, actions):
            return True
        return set(actions) == EXPLORE_ACTIONS and self._reads_all(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        base = self._base_user_has_permission(user)
        if base is not None:
            return base
        held = set()
        for perm in self.permissions_for_page(user, instance):
            held.add(perm.permission.codename)
            if perm.permission.codename == "add_page" and instance.owner_id == user.pk:
                held.add("change_page")
        return bool(self._get_permission_codenames(actions) & held)

    def instances_user_has_any_permission_for(self, user, actions):
        base = self._base_queryset_for_user(user)
        if base is not None:
            return base
        pages = self.model._default_manager.none()
        governed = None
        for perm in self.get_cached_permissions_for_user(user):
            codename = perm.permission.codename
            if codename == "add_page" and "add" not in actions and "change" in actions:
                below = self.model._default_manager.descendant_of(perm.page, inclusive=True)
                below = below.filter(owner=user)
            elif codename in self._get_permission_codenames(actions):
                below = self.model._default_manager.descendant_of(perm.page, inclusive=True)
            else:
                continue
            if not perm.lotse:
                governed = governed if governed is not None else permissions.governed_paths(user)
                for path in governed:
                    below = below.exclude(path__startswith=path)
            pages |= below
        return pages

    def explorable_instances(self, user):
        if self._reads_all(user):
            return self.model._default_manager.all()
        return super().explorable_instances(user)

    def instances_with_direct_explore_permission(self, user):
        if self._reads_all(user):
            return self.model.base_page_model.objects.filter(depth=1)
        return super().instances_with_direct_explore_permission(user)


class ScopedModelForm(ScopedChoicesMixin, WagtailAdminModelForm):
    """Choice lists hold only what the user may pick; saving re-checks the result.

    `coordinator_only_fields` are shown but locked for everybody else (e.g. whether a partner
    is trusted to publish without review).
    """

    coordinator_only_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and not permissions.is_coordinator(user):
            for name in self.coordinator_only_fields:
                if name in self.fields:
                    self.fields[name].disabled = True

    def _post_clean(self):
        super()._post_clean()
        user = self.for_user
        if user is None or self.errors:
            return
        action = permissions.CHANGE if self.instance.pk else permissions.ADD
        if not permissions.can(user, action, self.instance):
            self.add_error(None, _("You may not save this entry with these values."))


class OrganisationForm(ScopedModelForm):
    coordinator_only_fields = ("parent", "kind", "trusted")


class PersonForm(ScopedModelForm):
    """A contact's entry. Its account and deputy decide who reads handovers sent to it, so
    `permissions` (applied by `contacts`) decides who changes them: the deputy only the
    person themselves or the coordination, the account also an administrator of the
    organisation (with an account of that organisation). Locked fields show their value;
    a tampered request that changes one is refused and written to the audit."""

    GUARDED = ("user", "deputy")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor, person = self.for_user, self.instance
        if actor is None:
            return
        deputy, account = self.fields.get("deputy"), self.fields.get("user")
        if deputy is not None and not permissions.may_name_deputy(actor, person):
            deputy.disabled = True
        if account is not None:
            if permissions.may_change_linked_user(actor, person):
                allowed = permissions.linkable_users(actor, person).values("pk")
                account.queryset = account.queryset.model._default_manager.filter(
                    Q(pk__in=allowed) | Q(pk=person.stored("user_id"))
                )
            else:
                account.disabled = True

    def clean(self):
        cleaned = super().clean()
        for name in self.GUARDED:
            field = self.fields.get(name)
            key = self.add_prefix(name)
            if field is None or not field.disabled or key not in self.data:
                continue
            initial = self.get_initial_for_field(field, name)
            sent = self.data.get(key) or None
            if str(sent or "") != str(getattr(initial, "pk", initial) or ""):
                # The form never offers this: a hand-made request trying to change it.
                self.add_error(
                    None, contacts.DEPUTY_REFUSED if name == "deputy" else contacts.USER_REFUSED
                )
                probe = copy.copy(self.instance)
                setattr(probe, f"{name}_id", int(sent) if str(sent).isdigit() else None)
                contacts.refuse(self.for_user, probe, {name})
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        actor = self.for_user
        if actor is None or self.errors:
            return
        refused = contacts.refusals(actor, self.instance)
        if refused:
            contacts.refuse(actor, self.instance, refused)
            for name, message in refused.items():
                self.add_error(name if name in self.fields else None, message)
            return
        contacts.acting(self.instance, actor)


class HideInvisibleItemsMixin:
    """Bulk actions list objects the user may not act on; drop those they may not even see."""

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra.get("items_with_no_access", [])
        if refused:
            model = type(refused[0])
            visible = set(
                permissions.filter_queryset(
                    self.request.user,
                    permissions.VIEW,
                    model._default_manager.filter(pk__in=[obj.pk for obj in refused]),
                ).values_list("pk", flat=True)
            )
            extra["items_with_no_access"] = [obj for obj in refused if obj.pk in visible]
        return objects, extra


def scoped_bulk_actions():
    """Wagtail's page and snippet bulk actions, without naming other organisations' objects."""
    from wagtail.admin.views.pages.bulk_actions import (
        delete,
        move,
        publish,
        unpublish,
    )
    from wagtail.snippets.bulk_actions.delete import DeleteBulkAction as SnippetDelete

    bases = (
        delete.DeleteBulkAction,
        move.MoveBulkAction,
        publish.PublishBulkAction,
        unpublish.UnpublishBulkAction,
        SnippetDelete,
    )
    return [type(base.__name__, (HideInvisibleItemsMixin, base), {}) for base in bases]


class ScopedObjectMixin:
    """Object views check the object itself: 404 if the user may not see it, 403 if not act."""

    scoped_action = permissions.VIEW

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        permissions.require(self.request.user, self.scoped_action, obj)
        return obj


class IndexView(snippets.IndexView):
    def get_base_queryset(self):
        return permissions.filter_queryset(
            self.request.user, permissions.VIEW, super().get_base_queryset()
        )

    @cached_property
    def filters(self):
        """Filter choices (e.g. by organisation) list only what the user may see."""
        filterset = super().filters
        if filterset is not None:
            for name, field in filterset.form.fields.items():
                queryset = getattr(field, "queryset", None)
                if queryset is not None:
                    field.queryset = permissions.filter_queryset(
                        self.request.user, permissions.VIEW, queryset
                    )
                    filterset.filters[name].queryset = field.queryset
        return filterset


class InspectView(ScopedObjectMixin, snippets.InspectView):
    pass


class EditView(ScopedObjectMixin, snippets.EditView):
    scoped_action = permissions.CHANGE


class DeleteView(ScopedObjectMixin, snippets.DeleteView):
    scoped_action = permissions.DELETE


class CopyView(ScopedObjectMixin, snippets.CopyView):
    pass


class HistoryView(ScopedObjectMixin, snippets.HistoryView):
    pass


class UsageView(ScopedObjectMixin, snippets.UsageView):
    pass


class ChooseObjectListMixin:
    def get_object_list(self):
        return permissions.filter_queryset(
            self.request.user, permissions.CHOOSE, super().get_object_list()
        )


class ChooseView(ChooseObjectListMixin, chooser.ChooseView):
    pass


class ChooseResultsView(ChooseObjectListMixin, chooser.ChooseResultsView):
    pass


class ChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        obj = super().get_object(pk)
        permissions.require(self.request.user, permissions.CHOOSE, obj)
        return obj


class ChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return permissions.filter_queryset(
            self.request.user, permissions.CHOOSE, super().get_objects(pks)
        )


class ScopedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView


class OrganisationScopedViewSet(snippets.SnippetViewSet):
    """A snippet viewset whose every screen is filtered through `lotse.network.permissions`.

    Subclasses of indexed models set no `search_fields`: listings then search the model's own
    index fields, because restricting the fields breaks the SQLite full-text backend.
    """

    inspect_view_enabled = True
    form_base_class = ScopedModelForm
    index_view_class = IndexView
    inspect_view_class = InspectView
    edit_view_class = EditView
    delete_view_class = DeleteView
    copy_view_class = CopyView
    history_view_class = HistoryView
    usage_view_class = UsageView
    chooser_viewset_class = ScopedChooserViewSet

    def get_edit_handler(self):
        panels = getattr(self, "panels", None) or self.model.panels
        return ObjectList(panels, base_form_class=self.form_base_class).bind_to_model(self.model)


# Wagtail screens outside the snippet viewsets that would otherwise name other organisations'
# pages, users, images or documents.


def _explorable_page_users(request, field):
    """Users named on pages the user may explore (owner or editor), for filter choices."""
    pages = policy_registry.get_by_type(Page).explorable_instances(request.user)
    if field == "owner":
        ids = pages.order_by().values_list("owner_id", flat=True)
    else:
        ids = PageLogEntry.objects.filter(
            action="wagtail.edit", page__in=pages.values_list("pk", flat=True)
        ).values_list("user_id", flat=True)
    return get_user_model().objects.filter(pk__in=ids.distinct())


class ScopedPageFilterSet(GenericPageFilterSet):
    """The explorer's owner and editor filters list only people on pages the user sees."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("owner", "edited_by"):
            self.filters[field].queryset = partial(_explorable_page_users, field=field)


class ScopedPageViewSet(PageViewSet):
    """The page explorer, registered in place of Wagtail's default for every page type."""

    filterset_class = ScopedPageFilterSet


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        # Wagtail lists everybody who ever changed a page; only those in visible entries here.
        return get_users_for_filter(self.request.user)


class ScopedSiteHistoryView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet


class ScopedPageBrowseView(page_chooser.BrowseView):
    """The page chooser does not open (and so name) a page the user may not choose."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            pages = Page.objects.filter(pk=parent_page_id)
            if not permissions.filter_queryset(request.user, permissions.CHOOSE, pages).exists():
                raise Http404
        return super().get(request, parent_page_id)


class ScopedPageChosenMultipleView(page_chooser.ChosenMultipleView):
    def get(self, request):
        pages = Page.objects.filter(pk__in=[pk for pk in request.GET.getlist("id") if pk.isdigit()])
        allowed = permissions.filter_queryset(request.user, permissions.CHOOSE, pages)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in allowed.values_list("pk", flat=True)])
        return super().get(request)


def refuse_foreign_move_destination(request, page, destination):
    """Wagtail's move confirmation names its destination before checking the user may use it."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


class ChoosableImagesAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API lists only images the user could pick in the image chooser."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_image_model())
        return (
            super()
            .get_queryset()
            .filter(
                pk__in=policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
            )
        )


class ChoosableDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    """The admin API lists only documents the user could pick in the document chooser."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(get_document_model())
        return (
            super()
            .get_queryset()
            .filter(
                pk__in=policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
            )
        )
