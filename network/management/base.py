"""The base class of Lotse's management commands."""

import argparse

from django.core.management.base import BaseCommand


class LotseCommand(BaseCommand):
    """A command whose `help` and argument help texts may be lazy translations.

    argparse formats the description with `re.sub`, which takes only real strings, so a
    `help = gettext_lazy(...)` on a plain `BaseCommand` makes `--help` crash. Here every help
    text becomes a string when the parser is built, in the language active then.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        if parser.description is not None:
            parser.description = str(parser.description)
        for action in parser._actions:
            if action.help is not None and action.help != argparse.SUPPRESS:
                action.help = str(action.help)
        return parser
