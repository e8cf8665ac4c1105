"""Rights follow organisations, memberships and owned objects the moment they change."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from . import rights
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


@receiver(post_save, sender=Person)
def person_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        rights.sync_object(instance)


@receiver(post_delete, sender=Person)
def person_deleted(sender, instance, **kwargs):
    rights.forget_object(instance)
