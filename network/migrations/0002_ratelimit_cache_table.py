# The rate-limit counters' table (CACHES["lotse_ratelimit"], lotse.network.cache.DatabaseCache),
# so that `migrate` is all a site needs; `createcachetable` does the same and skips existing ones.

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("lotse_network", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=True),
    ]
