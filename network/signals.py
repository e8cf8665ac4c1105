"""Rights follow organisations, memberships and owned objects the moment they change; changes
of a contact's handover fields are checked and announced (`contacts`)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
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
