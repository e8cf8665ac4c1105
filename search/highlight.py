"""Making a backend's highlighted snippet safe to show, for the page and the JSON API alike."""

import re
from html import escape, unescape

from django.utils.safestring import mark_safe

MARK = re.compile(r"(</?mark>)")


def safe_highlight(snippet):
    """The backend's snippet as safe HTML in which only balanced <mark> tags survive.

    Backends escape their snippets already; this does not rely on it: every piece of text is
    unescaped and escaped again (so escaped text stays as it is and anything else is
    neutralised), and a <mark> tag only counts where it opens or closes a highlight.
    """
    parts, inside = [], False
    for piece in MARK.split(snippet or ""):
        if piece == "<mark>" and not inside:
            parts.append(piece)
            inside = True
        elif piece == "</mark>" and inside:
            parts.append(piece)
            inside = False
        elif piece not in ("<mark>", "</mark>"):
            parts.append(escape(unescape(piece), quote=False))
    if inside:
        parts.append("</mark>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above
