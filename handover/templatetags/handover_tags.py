"""Template helpers for linking other apps' pages to the handover screens."""

from django import template

from network import permissions

register = template.Library()


@register.filter
def may_hand_over(user):
    """Advisers start handovers (from the public offer page, too)."""
    return permissions.is_adviser(user)
