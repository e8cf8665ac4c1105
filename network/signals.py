"""Rights follow organisations, memberships and owned objects the moment they change; changes
of a contact's handover fields are checked and announced (`contacts`)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import contacts, rights
from .models import Membership, Organisation, Person


@receiver(post_save, sender=Organisation)
def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        rights.sync_organisation(instance)


@receiver(pre_delete, sender=Organisation)
def organisation_deleted(sender, instance, **kwargs):
    rights.forget_object(instance)
    if instance.editors_group_id:
        instance.editors_group.delete()


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        rights.sync_user(instance.user)


@receiver(pre_save, sender=Person)
def person_saving(sender, instance, raw=False, **kwargs):
    if not raw:
        contacts.before_save(instance)


@receiver(post_save, sender=Person)
def person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        rights.sync_object(instance)
        contacts.after_save(instance)


@receiver(pre_delete, sender=Person)
def person_deleting(sender, instance, **kwargs):
    contacts.people_losing(instance)


@receiver(post_delete, sender=Person)
def person_deleted(sender, instance, **kwargs):
    rights.forget_object(instance)


@receiver(pre_delete, sender=get_user_model())
def account_deleting(sender, instance, **kwargs):
    contacts.account_deleted(instance)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def host_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Joining or leaving a host group named in `LOTSE_GROUP_ROLES` gives or takes its role."""
    from django.contrib.auth.models import Group

    from lotse.conf import lotse_settings

    given = list(lotse_settings.LOTSE_GROUP_ROLES)
    if not given or action not in ("post_add", "post_remove", "pre_clear", "post_clear"):
        return
    if reverse:  # group.user_set changed: `instance` is the group, `pk_set` user ids
        if instance.name not in given:
            return
        users = get_user_model().objects.filter(pk__in=pk_set or ())
    else:  # user.groups changed: `instance` is the user, `pk_set` group ids
        groups = Group.objects.filter(name__in=given)
        users = [instance] if groups.filter(pk__in=pk_set or ()).exists() else []
    if action == "pre_clear":
        # Clearing names no ids afterwards: remember who is affected before.
        if reverse:
            instance._lotse_clearing = list(instance.user_set.all())
        elif instance.groups.filter(name__in=given).exists():
            instance._lotse_clearing = [instance]
        return
    if action == "post_clear":
        users = getattr(instance, "_lotse_clearing", [])
    for user in users:
        rights.sync_user(user)
