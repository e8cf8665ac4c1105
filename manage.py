#!/usr/bin/env python
"""Django's command-line utility for this project.

Without DJANGO_SETTINGS_MODULE it uses the development settings only where that is plainly
meant: in a terminal, with DEBUG=1 in the environment, or for a command that only reads the
code (`makemigrations --check`, `check`, `makemessages`, `--help`). A cron job or service
that forgot the variable stops with a one-line reason instead of running on the development
settings (console e-mail, the development database).
"""

import os
import sys

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


#: Commands that only read the code (no database writes, no e-mail): the development settings
#: are harmless for them anywhere, e.g. `makemigrations --check` in CI or an editor.
CODE_ONLY_COMMANDS = frozenset(
    {"check", "compilemessages", "help", "makemessages", "makemigrations", "version"}
)


def default_settings(argv):
    debug = os.environ.get("DEBUG", "").strip().lower()
    if debug in TRUE or (debug not in FALSE and sys.stdin.isatty()):
        return "settings.dev"
    if len(argv) < 2 or argv[1] in CODE_ONLY_COMMANDS or argv[1].startswith("-"):
        return "settings.dev"
    sys.exit(
        "manage.py: DJANGO_SETTINGS_MODULE is not set. Use settings.production for a "
        "deployment (cron jobs too), or DEBUG=1 / settings.dev for development."
    )


if __name__ == "__main__":
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        os.environ["DJANGO_SETTINGS_MODULE"] = default_settings(sys.argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 – load the settings: a bad setting, one line
    except ImproperlyConfigured as error:
        sys.exit(f"manage.py: {error}")
    execute_from_command_line(sys.argv)
