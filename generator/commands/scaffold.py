"""`playbook new KIND ID`: start a new playbook file, written from the kind's schema.

The file lists every field of the schema in the schema's order, each under a comment with the
field's description: required fields with a placeholder, optional ones commented out. Nothing
here is written by hand per kind, so a field added to a schema shows up in new files at once.

A placeholder never passes validation, so a file cannot be merged half filled in: a required
field is left empty (`name:`, which `playbook validate` reports as "is empty: give a value"), and
a field with a closed list of values gets `TODO`, which is not one of them (reported with the
list of allowed values). Each is marked `TODO`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..rules.agreement import signatories
from ..rules.placeholders import MARK
from ..source.filepaths import display_path, within
from ..source.loader import KINDS, SETTINGS_FILE, load_document
from ..source.problems import printable
from ..source.schemas import ID_PATTERN, ecma_pattern, resolved, schemas_dir

# Kind or folder name -> folder name.
FOLDERS: dict[str, str] = {**{kind: folder for folder, kind in KINDS.items()}, **{f: f for f in KINDS}}
_WIDTH = 100
_STEP = 2  # spaces per level of indentation, as in the playbook's own files


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `new` to the `playbook` command's subcommands."""
    parser = commands.add_parser(
        "new", help="start a new playbook file with every field to fill in",
        description="Write <folder>/<ID>.yaml in the playbook folder with every field of the kind, each described, "
                    f"and a placeholder marked {MARK} where a value is needed. It never overwrites a file.")
    parser.add_argument("kind", metavar="KIND",
                        help="what to add: " + ", ".join(KINDS.values()) + " (or the folder's name: "
                        + ", ".join(KINDS) + ")")
    parser.add_argument("id", metavar="ID",
                        help="the new entry's id, which is also its file name: lower-case letters, digits and "
                             "single hyphens, e.g. roi-calculator")
    parser.add_argument("--playbook", default="playbook", metavar="DIR",
                        help="the playbook folder (default: playbook)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the new file; 0 when written, 1 when refused, 2 for an unknown kind."""
    folder_name = FOLDERS.get(str(args.kind).lower())
    if folder_name is None:
        _say(f"playbook new: '{args.kind}' is not a kind of entry: use one of " + ", ".join(KINDS.values()))
        return 2
    kind = KINDS[folder_name]
    root = Path(args.playbook)
    try:
        target = _target(root, folder_name, str(args.id))
    except _Refused as err:
        _say(f"playbook new: {err}; nothing was written")
        return 1
    text, marks = scaffold(kind, str(args.id), _schema_line(root, folder_name, kind), _signing(kind, root))
    try:
        target.parent.mkdir(exist_ok=True)
        # "x": create the file, and fail if anything (even a broken link) has taken its name since.
        with open(target, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        _say(f"playbook new: {display_path(target)} already exists: edit it, or choose another id; "
             "nothing was written")
        return 1
    except OSError as err:
        _say(f"playbook new: {display_path(Path(err.filename or target))}: {err.strerror or err}; "
             "nothing was written")
        return 1
    check = "playbook validate" + ("" if display_path(root) == "playbook" else f" {display_path(root)}")
    print(printable(f"{display_path(target)} written: fill in the {marks} field{'s' if marks != 1 else ''} "
                    f"marked {MARK}, then run {check}"))
    return 0


def _signing(kind: str, root: Path) -> dict[str, Any] | None:
    """The kind's schema with a name to fill in for each signing team of the playbook (from its
    playbook.yaml: sales and marketing unless `signatories` says otherwise) in `agreed_by`, where
    the schema, which cannot know the teams, lists only the date as required; None for a kind
    without `agreed_by`."""
    schema = load_schema(kind)
    agreed = schema.get("$defs", {}).get("agreed_by")
    if agreed is None:
        return None
    settings = load_document(root / SETTINGS_FILE, "playbook", [])
    teams = signatories(settings.data if settings is not None else None)
    other = next(iter(agreed.get("patternProperties", {}).values()), {"type": "string"})
    names = {team: agreed["properties"].get(team) or {**other, "description": (
        f"Full name of the person of {team} who agreed to this, as listed for {team} in playbook.yaml.")}
        for team in teams}
    rest = {name: value for name, value in agreed["properties"].items() if name not in names}
    schema["$defs"]["agreed_by"] = {**agreed, "properties": {**names, **rest}, "required": [*teams, "date"]}
    return schema


class _Refused(Exception):
    """Why a file is not written, in one line."""


def _say(line: str) -> None:
    print(printable(line), file=sys.stderr)


def _target(root: Path, folder_name: str, entry_id: str) -> Path:
    """The path of the new file, or _Refused when it must not be written."""
    if not ecma_pattern(ID_PATTERN).search(entry_id):
        raise _Refused(f"'{entry_id}' is not a valid id: use lower-case letters, digits and single hyphens, "
                       "e.g. roi-calculator")
    if not root.is_dir():
        raise _Refused(f"{display_path(root)} is not a playbook folder: give the folder that holds "
                       "playbook.yaml with --playbook")
    folder = root / folder_name
    if folder.is_symlink() or os.path.lexists(folder):
        try:
            resolved = folder.resolve(strict=True)
        except (OSError, RuntimeError):
            raise _Refused(f"{display_path(folder)} is a link that leads nowhere") from None
        if not within(resolved, root.resolve()):
            raise _Refused(f"{display_path(folder)} is a link to a folder outside the playbook: "
                           "replace the link with the folder itself")
        if not resolved.is_dir():
            raise _Refused(f"{display_path(folder)} is not a folder")
    target = folder / f"{entry_id}.yaml"
    if os.path.lexists(target):
        raise _Refused(f"{display_path(target)} already exists: edit it, or choose another id")
    return target


def _schema_line(root: Path, folder_name: str, kind: str) -> str:
    """The first line of the file, naming its schema for editors: relative to the new file's folder,
    pointing to the nearest schemas/ folder above the playbook (../../schemas/… in the usual layout)."""
    name = f"{kind}.schema.json"
    folder = root.resolve() / folder_name
    path = f"../../schemas/{name}"
    for above in folder.parents:
        if (above / "schemas" / name).is_file():
            path = Path(os.path.relpath(above / "schemas" / name, folder)).as_posix()
            break
    return f"# yaml-language-server: $schema={path}"


def load_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema `playbook validate` checks this kind against."""
    schema: dict[str, Any] = json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def scaffold(kind: str, entry_id: str, schema_line: str, schema: dict[str, Any] | None = None) -> tuple[str, int]:
    """The text of a new file of this kind and how many placeholders it holds."""
    schema = load_schema(kind) if schema is None else schema
    writer = _Writer(schema)
    lines = [schema_line]
    about = schema.get("description", "")
    title = schema.get("title", kind)
    lines += _comment(f"{title}: {about}", 0)
    lines += _comment(f"Write a value in place of every {MARK} (and delete the mark), then run playbook validate: "
                      "it lists every field still to fill in, with its line. Optional fields are commented out: "
                      "remove the # before one to use it.", 0)
    required = schema.get("required", [])
    for name, prop in schema.get("properties", {}).items():
        lines.append("")
        if name == "id" and name in required:
            lines += _comment(_description(resolved(writer.root, prop)), 0)
            lines.append(f"id: {entry_id}")
        else:
            lines += writer.field(name, prop, 0, optional=name not in required)
    return "\n".join(lines) + "\n", writer.marks


@dataclass
class _Writer:
    """Writes the lines of fields from a schema, counting the placeholders."""

    root: dict[str, Any]
    marks: int = 0

    def field(self, name: str, schema: dict[str, Any], indent: int, optional: bool) -> list[str]:
        """A field: its description as a comment, then `name: placeholder` or `name:` and its parts.
        An optional field is written commented out, with the descriptions of its parts at line ends."""
        schema = resolved(self.root, schema)
        help_lines = _comment(_description(schema, optional) + _allowed(schema), indent)
        inline, block = self.value(schema, indent + _STEP, inline_help=optional)
        head = " " * indent + f"{name}:"
        lines = [head + inline] if inline is not None else [head, *block]
        if not optional:
            return help_lines + lines
        # Commented out as a block; nothing in it counts as a placeholder to fill.
        return help_lines + [_uncomment_prefix(line, indent) for line in lines]

    def value(self, schema: dict[str, Any], indent: int, inline_help: bool) -> tuple[str | None, list[str]]:
        """A value that fails validation until filled in: on the field's line (text after the colon)
        or as lines below it (a set of fields or a list)."""
        kind = schema.get("type")
        if kind == "object":
            return None, self.fields(schema, indent, inline_help)
        if kind == "array":
            items = resolved(self.root, schema.get("items", {}))
            item_help = _description(items)
            inline, block = self.value(items, indent + _STEP, inline_help)
            if inline is not None:
                line = " " * indent + "-" + inline
                if inline_help:
                    return None, [_with_help(line, item_help)]
                return None, _comment(item_help, indent) + [line]
            dashed = _dash(block, indent)
            return None, dashed if inline_help else _comment(item_help, indent) + dashed
        if inline_help:
            return (" " + MARK if "enum" in schema else ""), []
        self.marks += 1
        if "enum" in schema:
            return " " + MARK, []
        return "  # " + MARK, []

    def fields(self, schema: dict[str, Any], indent: int, inline_help: bool) -> list[str]:
        """The fields of an object, required ones with placeholders and optional ones commented out."""
        required = schema.get("required", [])
        lines: list[str] = []
        for name, prop in schema.get("properties", {}).items():
            if inline_help:
                prop = resolved(self.root, prop)
                inline, block = self.value(prop, indent + _STEP, True)
                first = " " * indent + f"{name}:" + (inline or "")
                part = [_with_help(first, _description(prop, name not in required)), *block]
                lines += part if name in required else [_uncomment_prefix(line, indent) for line in part]
            else:
                lines += self.field(name, prop, indent, optional=name not in required)
        return lines


def _description(schema: dict[str, Any], optional: bool = False) -> str:
    text = " ".join(str(schema.get("description", "")).split())
    if optional and not text.lower().startswith("optional"):
        word = text.split(" ", 1)[0]
        # "A note" -> "a note", but "CRM field" stays as it is.
        text = "Optional: " + (text[:1].lower() + text[1:] if word[1:] == word[1:].lower() else text)
    return text


def _allowed(schema: dict[str, Any]) -> str:
    """The closed list of values, where there is one (for a list: the values of its items)."""
    values = schema.get("enum")
    if values is None and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        values = schema["items"].get("enum")
    return f" One of: {', '.join(map(str, values))}." if values else ""


def _comment(text: str, indent: int) -> list[str]:
    """Text as comment lines at this indentation, wrapped to a readable width."""
    if not text.strip():
        return []
    pad = " " * indent + "# "
    return textwrap.wrap(text, width=max(_WIDTH - len(pad), 40), initial_indent=pad, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False)


def _with_help(line: str, help_text: str) -> str:
    return f"{line}  # {help_text}" if help_text else line


def _dash(block: list[str], indent: int) -> list[str]:
    """The lines of one list item written at indent + 2, with `- ` put before its first field (and
    the description of that field moved out to the dash, above it)."""
    out = list(block)
    for i, line in enumerate(out):
        if not line.lstrip().startswith("#"):
            above = [" " * indent + text[indent + _STEP:] for text in out[:i]]
            return [*above, " " * indent + "- " + line[indent + _STEP:], *out[i + 1:]]
    return [*out, " " * indent + "- {}"]


def _uncomment_prefix(line: str, indent: int) -> str:
    """A line of an optional field, commented out at the field's indentation."""
    return " " * indent + "# " + line[indent:]

