"""Full text per database, and the seed synonyms.

SQLite: FTS5 over the analysed columns, kept in step by triggers (note: if Django ever remakes
lotse_search_searchdocument on SQLite, recreate them). PostgreSQL: a weighted tsvector
generated column with a GIN index, and trigram search over the vocabulary for typo tolerance.
"""

from django.db import migrations

DOCUMENT = "lotse_search_searchdocument"
FTS = "lotse_search_fts"

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE {FTS} USING fts5(
        title_terms, summary_terms, body_terms,
        content='{DOCUMENT}', content_rowid='page_id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON {DOCUMENT} BEGIN
        INSERT INTO {FTS}(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.page_id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON {DOCUMENT} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.page_id, old.title_terms, old.summary_terms, old.body_terms);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE ON {DOCUMENT} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.page_id, old.title_terms, old.summary_terms, old.body_terms);
        INSERT INTO {FTS}(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.page_id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""ALTER TABLE {DOCUMENT} ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A')
            || setweight(to_tsvector('simple'::regconfig, coalesce(summary_terms, '')), 'B')
            || setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'C')
        ) STORED""",
    f"CREATE INDEX lotse_search_document_vector ON {DOCUMENT} USING gin (search_vector)",
    "CREATE INDEX lotse_search_term_trigram ON lotse_search_searchterm "
    "USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS lotse_search_term_trigram",
    "DROP INDEX IF EXISTS lotse_search_document_vector",
    f"ALTER TABLE {DOCUMENT} DROP COLUMN IF EXISTS search_vector",
]

SEED_SYNONYMS = [
    ("Hartz IV, ALG II, Arbeitslosengeld II, Hartz 4, ALG 2", "Bürgergeld"),
    ("Rente, Altersvorsorge, Altersrente", ""),
    ("Sozialhilfe, Stütze", "Grundsicherung"),
    ("Kita, Kindertagesstätte, Kindergarten", ""),
    ("Überschuldung, Pfändung, Insolvenz, Privatinsolvenz", "Schulden"),
    ("Flüchtlinge, Geflüchtete, Asyl", ""),
    ("Drogen, Alkohol, Abhängigkeit", "Sucht"),
    ("Mietschulden, Räumung, Zwangsräumung", "Wohnungsnotfall"),
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


def seed_synonyms(apps, schema_editor):
    Synonym = apps.get_model("lotse_search", "Synonym")
    for terms, expands_to in SEED_SYNONYMS:
        Synonym.objects.get_or_create(terms=terms, defaults={"expands_to": expands_to})


def unseed_synonyms(apps, schema_editor):
    Synonym = apps.get_model("lotse_search", "Synonym")
    Synonym.objects.filter(terms__in=[terms for terms, _ in SEED_SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lotse_search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(seed_synonyms, unseed_synonyms),
    ]
