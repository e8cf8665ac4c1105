"""Template helpers for the public pages: JSON-LD and the language switch."""

import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

register = template.Library()

# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Render a dict as a <script type="application/ld+json"> block."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in every configured language, for the switch and hreflang links."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
                "bidi": info["bidi"],
            }
        )
    # Without language-prefixed URLs (a host site without i18n_patterns) every language has
    # the same URL: there is nothing to switch to.
    if len({link["url"] for link in links}) < 2:
        return []
    return links


@register.simple_tag(takes_context=True)
def offer_json_ld(context, page):
    """schema.org data of an offer page (its relations must already be prefetched)."""
    from lotse.directory.jsonld import offer_json_ld as build

    return build(page, context.get("request"))
