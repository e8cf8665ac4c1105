"""Drop DRF's `authtoken_token` table: it held API tokens in plaintext.

API tokens are now Wagtail's `APIToken` rows, stored only as digests (`network/tokens.py`).
The old tokens are not carried over: they were readable by anyone with the database or a
backup, so each partner gets a new one (`manage.py create_partner_token USERNAME`).
"""

from django.db import migrations


def drop_plaintext_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_person_deputy_named"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(drop_plaintext_tokens, migrations.RunPython.noop)]
