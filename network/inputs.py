"""Text that breaks pages, the database or spreadsheets is refused where it comes in.

PostgreSQL cannot store NUL, a lone surrogate cannot be encoded as UTF-8, other control
characters corrupt pages, XML and terminals, and Python's JSON parser recurses once per nesting
level. So:

* `InputsMiddleware` answers 400 to a path, query string or form body (POST) holding a control
  character — tab, line feed and carriage return are text, the rest of Unicode's "Cc" is not;
* `JSONParser`, `FormParser` and `MultiPartParser` do the same for the bodies DRF parses
  (`REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`), and the JSON parser measures the nesting depth
  (`LOTSE_JSON_MAX_DEPTH`) before `json.loads` can recurse;
* `TextValidator` bounds long model text fields (`LOTSE_MAX_TEXT_CHARS`), so no route (admin,
  partner API, import) can publish a description of megabytes;
* `spreadsheet_cell` defuses text a spreadsheet would run as a formula (CSV exports).
"""

import codecs
import csv
import json
import re

from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as drf_json

from lotse.conf import lotse_settings

#: Control characters (Unicode "Cc") other than tab, line feed and carriage return, and
#: surrogates, which only a JSON escape like "\ud800" can produce.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: A JSON string (which may hold brackets), unterminated ones included, without backtracking.
JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\Z)', re.DOTALL)
JSON_BRACKETS = re.compile(r"[\[\]{}]")
#: Cells starting like this are formulas to Excel, LibreOffice and Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class InputRefused(ValueError):
    """The text holds something Lotse does not accept; `str()` says what, in one line."""


def check_text(value, where=""):
    """Raise InputRefused if `value` holds a control character or a lone surrogate."""
    match = FORBIDDEN.search(value)
    if match is None:
        return
    character, position = match.group(), match.start() + 1
    if "\ud800" <= character <= "\udfff":
        message = _("Invalid Unicode (a lone surrogate) at position %(position)d.") % {
            "position": position
        }
    else:
        message = _(
            "Control characters are not allowed: U+%(code)04X at position %(position)d."
        ) % {
            "code": ord(character),
            "position": position,
        }
    raise InputRefused(f"{where}: {message}" if where else message)


def check_data(data):
    """Every key and string of parsed JSON, without recursion."""
    stack = [("$", data)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            check_text(node, where)
        elif isinstance(node, dict):
            for key, value in node.items():
                check_text(str(key), where)
                stack.append((f"{where}.{key}", value))
        elif isinstance(node, list):
            stack.extend((f"{where}[{number}]", item) for number, item in enumerate(node))


def check_json_depth(text, limit=None):
    """Raise InputRefused if JSON `text` (str or bytes) nests deeper than `limit` levels.

    Counts brackets outside strings in one pass, so that `json.loads` never meets a depth that
    makes it recurse until Python gives up (a RecursionError, i.e. a server error).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    limit = lotse_settings.LOTSE_JSON_MAX_DEPTH if limit is None else limit
    depth = 0
    for bracket in JSON_BRACKETS.findall(JSON_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                raise InputRefused(
                    _("The JSON is nested too deeply: at most %(limit)d levels are allowed.")
                    % {"limit": limit}
                )
        else:
            depth -= 1


def loads(text, limit=None, **options):
    """`json.loads` after the depth check; bad JSON raises ValueError (json.JSONDecodeError)."""
    check_json_depth(text, limit)
    return json.loads(text, **options)


# Requests


def request_problem(request):
    """Why the path, query string or form body of `request` is refused, or None."""
    try:
        check_text(request.path, _("address"))
        for key, values in request.GET.lists():
            check_text(key, _("parameter"))
            for value in values:
                check_text(value, key)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for key, values in request.POST.lists():
                check_text(key, _("field"))
                for value in values:
                    check_text(value, key)
            for key, files in request.FILES.lists():
                for upload in files:
                    check_text(upload.name or "", key)
    except InputRefused as error:
        return str(error)
    return None


class InputsMiddleware:
    """400 for control characters in the path, the query string or a POSTed form.

    Placed after LocaleMiddleware, so that the reason is in the visitor's language. JSON bodies
    are DRF's (see the parsers below): a middleware cannot know which views read them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": problem}, status=400)
        return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")


# DRF parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a bounded depth and clean text.

    DRF reads the body through `request.body`, which Django bounds already
    (DATA_UPLOAD_MAX_MEMORY_SIZE: a larger body answers 400).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = codecs.decode(stream.read() if stream is not None else b"", encoding)
            constant = drf_json.strict_constant if self.strict else None
            data = loads(text, parse_constant=constant)
            check_data(data)
        except InputRefused as error:
            raise ParseError(str(error)) from None
        except ValueError as error:  # invalid JSON or bytes of another encoding
            raise ParseError(_("JSON parse error - %(error)s") % {"error": error}) from None
        return data


def check_querydict(data):
    try:
        for key, values in data.lists():
            check_text(key, _("field"))
            for value in values:
                if isinstance(value, str):
                    check_text(value, key)
    except InputRefused as error:
        raise ParseError(str(error)) from None


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_querydict(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        check_querydict(result.data)
        return result


# Models


@deconstructible
class TextValidator:
    """Text fields without a database length: at most `LOTSE_MAX_TEXT_CHARS` characters, no
    control characters but tab and line breaks. The limit is read when validating, so that a
    setting changes it without a migration."""

    def __call__(self, value):
        value = "" if value is None else str(value)
        limit = lotse_settings.LOTSE_MAX_TEXT_CHARS
        if len(value) > limit:
            raise ValidationError(
                _("At most %(limit)d characters are allowed (this text has %(length)d).")
                % {"limit": limit, "length": len(value)},
                code="max_length",
            )
        try:
            check_text(value)
        except InputRefused as error:
            raise ValidationError(str(error), code="control_character") from None

    def __eq__(self, other):
        return isinstance(other, TextValidator)


# Spreadsheets


def spreadsheet_cell(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; the rest is kept.

    For exports meant for spreadsheets only (the coordinators' CSV); data exchange formats
    (HSDS datapackages) keep their values byte for byte.
    """
    if value is None or isinstance(value, int | float):
        return value  # numbers are numbers, also when negative
    text = str(value)  # what csv.writer would write: names of objects, dates
    return "'" + text if text.startswith(FORMULA_START) else text


class SpreadsheetWriter:
    """`csv.writer` whose text cells go through `spreadsheet_cell`."""

    def __init__(self, handle, **options):
        self.writer = csv.writer(handle, **options)

    def writerow(self, row):
        return self.writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)
