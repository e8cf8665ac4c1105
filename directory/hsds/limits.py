"""What `import_hsds` reads: files inside the given folder only, of bounded size, clean text.

A datapackage names its files itself, so `inside()` resolves each name (symlinks included)
and refuses URLs, absolute paths and anything that leads out of the folder. `read_json()`
bounds a file's size (`LOTSE_IMPORT_MAX_FILE_BYTES`) and its nesting depth
(`LOTSE_JSON_MAX_DEPTH`) before parsing; `record_problems()` bounds each record
(`LOTSE_IMPORT_MAX_RECORD_BYTES`) and each text in it (`LOTSE_IMPORT_MAX_TEXT_CHARS`) and
refuses control characters and broken Unicode on every database (SQLite would store NUL).
Every refusal is one line naming the file, or the record's id and JSON path.
"""

import json
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.utils.translation import gettext as _

from lotse.conf import lotse_settings
from lotse.network import inputs

from .importer import ImportFailed, Problem, innermost, json_path

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def refuse(where, message, kind=None, source=""):
    raise ImportFailed([Problem(kind or _("file"), "", str(where), message, source)])


def check_size(path):
    """The file at `path` is not larger than `LOTSE_IMPORT_MAX_FILE_BYTES`."""
    limit = lotse_settings.LOTSE_IMPORT_MAX_FILE_BYTES
    size = path.stat().st_size
    if size > limit:
        refuse(
            path,
            _("The file has %(size)d bytes; at most %(limit)d are read (%(setting)s).")
            % {"size": size, "limit": limit, "setting": "LOTSE_IMPORT_MAX_FILE_BYTES"},
        )


def read_json(path):
    """The parsed JSON document in the file at `path`; ImportFailed with one line if not."""
    path = Path(path)
    try:
        check_size(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        refuse(path, _("There is no such file or folder."))
    except OSError as error:
        refuse(path, _("The file cannot be read: %(error)s") % {"error": error.strerror})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        refuse(
            path,
            _("Not valid UTF-8 (byte %(position)d).") % {"position": error.start + 1},
        )
    try:
        return inputs.loads(text)
    except inputs.InputRefused as error:
        refuse(path, str(error))
    except json.JSONDecodeError as error:
        refuse(path, _("Not valid JSON: %(error)s") % {"error": error})


def inside(folder, name, where):
    """The file `name` of a datapackage in `folder` (resolved), or a Problem saying why not.

    Returns (path, None) or (None, Problem). `where` says where the name was given.
    """
    folder = Path(folder).resolve()
    if not isinstance(name, str) or not name.strip():
        problem = _("Give the file as a path inside the datapackage folder.")
    elif inputs.FORBIDDEN.search(name):
        problem = _("The path holds control characters.")
    elif PureWindowsPath(name).drive or PurePosixPath(name).is_absolute() or name[0] == "\\":
        problem = _("Absolute paths are not read, only paths inside the folder: %(name)s")
    elif "://" in name or URL.match(name):
        problem = _("Files are read only from the datapackage folder, not from URLs: %(name)s")
    else:
        target = (folder / name).resolve()
        if not target.is_relative_to(folder):
            problem = _("The path leads outside the datapackage folder: %(name)s")
        else:
            return target, None
    if "%(name)s" in problem:
        problem = problem % {"name": name}
    return None, Problem("datapackage", "", where, problem, "datapackage.json")


def strings(data):
    """(parts, text, is_key) for every key and text in `data`, without recursion."""
    stack = [([], data)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, str):
            yield parts, node, False
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    yield parts, key, True
                stack.append(([*parts, key], value))
        elif isinstance(node, list):
            stack.extend(([*parts, number], item) for number, item in enumerate(node))


def record_problems(records, limit=200):
    """Text and size problems of `records`, as for the schema: one Problem per place."""
    max_text = lotse_settings.LOTSE_IMPORT_MAX_TEXT_CHARS
    max_bytes = lotse_settings.LOTSE_IMPORT_MAX_RECORD_BYTES
    problems = []
    for record in records:
        found = len(problems)
        for parts, value, is_key in strings(record.data):
            try:
                inputs.check_text(value)
            except inputs.InputRefused as error:
                message = str(error)
            else:
                if is_key or len(value) <= max_text:
                    continue
                message = _(
                    "The text has %(length)d characters; at most %(limit)d are allowed "
                    "(%(setting)s)."
                ) % {
                    "length": len(value),
                    "limit": max_text,
                    "setting": "LOTSE_IMPORT_MAX_TEXT_CHARS",
                }
            kind, object_id, source = innermost(record.data, parts, record.sources, record.kind)
            problems.append(
                Problem(kind, object_id, json_path(record.path, parts), message, source)
            )
            if len(problems) >= limit:
                return problems
        if len(problems) > found:
            continue
        size = len(json.dumps(record.data, ensure_ascii=False).encode("utf-8"))
        if size > max_bytes:
            problems.append(
                Problem(
                    record.kind,
                    record.id,
                    record.path,
                    _("The record has %(size)d bytes; at most %(limit)d are allowed (%(setting)s).")
                    % {
                        "size": size,
                        "limit": max_bytes,
                        "setting": "LOTSE_IMPORT_MAX_RECORD_BYTES",
                    },
                    record.sources.get(id(record.data), ""),
                )
            )
    return problems
