"""What the database search backend stores, and the synonym list both backends use.

`SearchDocument` is one denormalised row per live offer, written by
`lotse.search.backends.database` from `lotse.search.documents.build_document`. Its analysed token
columns feed SQLite FTS5 (the virtual table `lotse_search_fts`, kept in step by triggers) or
PostgreSQL full text (the generated column `search_vector` with a GIN index); both are created by
the migrations for the database in use only, so this model does not declare them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.search import index


class SearchDocument(models.Model):
    """An offer as the database backend searches it; rebuilt from the page, never edited."""

    page = models.OneToOneField(
        "lotse_directory.OfferPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    hsds_id = models.CharField(max_length=36, unique=True)
    title = models.CharField(max_length=255)
    #: The title folded like analysed text, for sorting and autocomplete.
    title_normalised = models.CharField(max_length=255, db_index=True)
    summary = models.TextField(blank=True)
    #: Plain text of the description, for highlighted snippets.
    description = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    organisation_id = models.CharField(max_length=36, blank=True)
    organisation_name = models.CharField(max_length=255, blank=True)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    #: Filters, facets, places and schedules: the rest of `build_document()`.
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A word that occurs in indexed offers: the vocabulary typo tolerance corrects towards."""

    #: The normalised word (umlauts folded), e.g. "schuldnerberatung".
    word = models.CharField(max_length=100, unique=True)
    #: Its stem, the token documents carry, e.g. "schuldnerberat".
    token = models.CharField(max_length=100, db_index=True)
    #: How it was first seen in text, e.g. "Schuldnerberatung", for autocomplete.
    display = models.CharField(max_length=100)
    #: In how many indexed offers it occurs.
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.word


class Synonym(index.Indexed, models.Model):
    """Words the public uses for what offers call otherwise ("Hartz IV" for "Bürgergeld").

    Edited by the coordination (shared county data). Applied at query time by
    `lotse.search.analysis.expand_query`, so changes work at once without reindexing.
    """

    terms = models.CharField(
        _("terms"),
        max_length=500,
        help_text=_("Comma-separated words or phrases, e.g. “Hartz IV, ALG II”."),
    )
    expands_to = models.CharField(
        _("also finds"),
        max_length=500,
        blank=True,
        help_text=_(
            "Comma-separated words a search for the terms also finds, e.g. “Bürgergeld”. "
            "Leave empty when the terms mean the same: then each of them finds the others."
        ),
    )

    panels = [
        HelpPanel(
            content=_(
                "A search for any of the terms also finds offers that use the other words. "
                "Changes apply to the next search."
            )
        ),
        FieldPanel("terms"),
        FieldPanel("expands_to"),
    ]
    search_fields = [index.SearchField("terms"), index.SearchField("expands_to")]

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")

    def __str__(self):
        if self.expands_to:
            return f"{self.terms} → {self.expands_to}"
        return self.terms.replace(",", " ↔")


class PendingIndexUpdate(models.Model):
    """An offer whose Elasticsearch document may be out of date: an update that failed.

    Written when Elasticsearch could not be reached (or while a rebuild fills a new index);
    `lotse.search.tasks.replay_pending` brings each offer's document up to its current state, oldest
    row first, and deletes the rows it has done. Replaying twice does no harm.
    """

    page_id = models.IntegerField(_("offer page id"), db_index=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    #: Why the last attempt failed (the engine's error, never personal data).
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")

    def __str__(self):
        return f"offer {self.page_id}"
