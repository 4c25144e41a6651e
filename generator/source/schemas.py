"""Check each YAML document against its JSON Schema and say what is wrong in plain words."""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from . import schema_rules as r
from .document import Document, text_shows
from .paths import format_path, shorten
from .problems import Problem, Rule
from .schema_formats import PYTHON_PATTERN, formats_named, is_date, python_patterns

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`pattern` as JSON Schema means it: a final `$` ends the text. (Python's `$` also matches
    before a final line break, so "zz\\n" passed as an id.)"""
    if isinstance(instance, str) and not ecma_pattern(pattern).search(instance):
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema pattern compiled for Python, a final `$` read as the end of the text."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _unique_items(validator: Any, unique: bool, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`uniqueItems` in linear time: jsonschema compares every pair of a list that mixes
    numbers and text (20,000 items took over a minute)."""
    if unique and isinstance(instance, list) and _first_repeat(instance) is not _NONE:
        from jsonschema.exceptions import ValidationError

        yield ValidationError(f"{instance!r} has non-unique elements")


def _is_integer(checker: Any, instance: Any) -> bool:
    # 1.0 is a number, not a whole number as written: `order: 1.0` beside `order: 1` would
    # pass the unique-order check and break the navigation.
    return isinstance(instance, int) and not isinstance(instance, bool)


def _is_number(checker: Any, instance: Any) -> bool:
    # .nan and .inf are numbers to YAML, but no target can be compared with them.
    return isinstance(instance, (int, float)) and not isinstance(instance, bool) and math.isfinite(instance)


@cache
def _validator_class() -> Any:
    """jsonschema's validator with our pattern, uniqueItems and numbers. jsonschema is imported
    only here, when a message or a schema's own tree is needed: a playbook whose files are all
    valid is checked by jsonschema-rs alone, and importing jsonschema took a tenth of the time of
    checking the default playbook."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _pattern, "uniqueItems": _unique_items},
        type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many({"integer": _is_integer, "number": _is_number}),
    )


def schemas_dir() -> Path:
    """The folder holding one JSON Schema per kind (shipped with the package)."""
    return Path(str(resources.files("generator.source") / "schemas"))


def schema_files() -> dict[str, str]:
    """Every schema as the package ships it: path relative to a schemas/ folder -> text, the
    kinds' schemas (`asset.schema.json`) and those of the commands' output (`output/…`). They
    name each other by relative paths, so a copy keeps working wherever it is put whole."""
    root = schemas_dir()
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(root.rglob("*.schema.json"))}


@cache
def _schema(kind: str) -> Any:
    return json.loads((schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(kind: str) -> Draft202012Validator:
    """The compiled validator for a kind, made once per process."""
    checker = _validator_class()
    return checker(_schema(kind), format_checker=checker.FORMAT_CHECKER)  # type: ignore[no-any-return]


class _FastPattern:
    """`pattern` for jsonschema-rs, by the same Python code as _pattern, for each pattern it may
    not judge itself (schema_formats.native): Rust's regex classes are not Python's (`\\s` and
    `\\d` differ), so its own would judge some text otherwise."""

    def __init__(self, parent_schema: Any, pattern: str, schema_path: Any) -> None:
        self.search = ecma_pattern(pattern).search

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.search(instance):
            raise ValueError("does not match")


def _format_function(name: str) -> Any:
    if name == "date":  # the one format the schemas use, as jsonschema checks it (tests/test_fast_paths.py)
        return is_date
    return lambda instance: _validator_class().FORMAT_CHECKER.conforms(instance, name)


@cache
def fast_validator(kind: str) -> Any:
    """jsonschema-rs compiled for a kind, or None where it cannot take the schema.

    It answers only "valid or not", for the common case of a valid file, twenty times faster
    than jsonschema; every message comes from jsonschema. It is given our own `pattern` (where
    its own would judge otherwise: schema_formats.native) and every format the kind's schema
    names, as jsonschema checks them, so those are judged by the same rules. Its own rules for
    the rest are ours but for values check_document never gives it (see _scan).
    """
    formats = {name: _format_function(name) for name in sorted(formats_named(_schema(kind)))}
    try:
        return jsonschema_rs.validator_for(python_patterns(_schema(kind)), formats=formats, validate_formats=True,
                                           offline=True, keywords={PYTHON_PATTERN: _FastPattern})
    except Exception:  # a schema it cannot compile: jsonschema alone checks this kind
        return None


def schema_errors(kind: str, data: Any, careful: bool = False) -> list[ValidationError]:
    """jsonschema's errors for data: none, at once, when jsonschema-rs finds it valid.

    careful=True skips jsonschema-rs: data holds a value whose type it judges otherwise.
    """
    fast = None if careful else fast_validator(kind)
    if fast is not None:
        try:
            if fast.is_valid(data):
                return []
        except Exception:  # a value it cannot take (a lone surrogate, a key that is not text)
            pass
    return list(validator(kind).iter_errors(data))


def resolved(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its `$ref` (a pointer into root, `#/$defs/…`) followed; the node's own
    keywords win over the target's. At most 20 references deep: a loop cannot hang a caller."""
    for _ in range(20):
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = {**target, **{key: value for key, value in node.items() if key != "$ref"}}
    return node


def readable_part(doc: Document, problems: list[Problem]) -> Document | None:
    """A document that failed its schema, without the top-level fields its problems are in: what
    the other checks can still read, so that one run reports a dangling reference beside a
    mistyped date (the fields reported here are not read again). None when nothing is left."""
    if not isinstance(doc.data, dict) or not all(isinstance(key, str) for key in doc.data):
        return None
    bad = {match.group() for p in problems if (match := _TOP.match(p.path))}
    if any(p.path.startswith("['") for p in problems):
        return None  # a key that is not a plain name: the document is not what any rule reads
    kept = {key: value for key, value in doc.data.items() if key not in bad}
    return dataclasses.replace(doc, data=kept) if kept else None


_TOP = re.compile(r"[^.\[]+")


def check_document(doc: Document) -> list[Problem]:
    """Every schema problem in one document, and every text with nothing visible in it."""
    problems: list[Problem] = []
    # A file quickyaml read holds only JSON's types; whether a text may show nothing it noted too.
    blank, careful = (False, False) if text_shows(doc) else _scan(doc.data)
    errors = schema_errors(doc.kind, doc.data, careful)
    # A value of the wrong type is reported once, as such, not also as outside the allowed values.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for error in errors:
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped:
            problems.extend(_explain(doc, error))
    if blank:
        problems.extend(_invisible(doc, doc.data, ()))
    return problems


def _scan(data: Any) -> tuple[bool, bool]:
    """One walk over data: whether some text in it shows nothing, and whether it holds a value
    jsonschema-rs judges otherwise than our rules (a float that is whole, 1.0, or not finite,
    which jsonschema-rs takes as an integer or, in a list, as unique; a key that is not text;
    a value of no JSON type)."""
    blank = careful = False
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            # A text that begins with a character that shows (most) shows: no search of it.
            if value and not blank and not ("!" <= value[0] <= "~") and not _SHOWS.search(value) \
                    and not visible(value):
                blank = True
        elif isinstance(value, dict):
            careful = careful or not all(map(isinstance, value, _TEXT))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, float):
            careful = careful or not math.isfinite(value) or value.is_integer()
        elif not (value is None or isinstance(value, int)):
            careful = True
    return blank, careful


# A character that certainly shows: every printable ASCII character but space is a letter, a
# digit, a punctuation mark or a symbol.
_SHOWS = re.compile("[!-~]")
# str, as often as asked: whether every key of a mapping is text is all(map(isinstance, keys, _TEXT)).
_TEXT = itertools.repeat(str)


def visible(text: str) -> bool:
    """True if text has a character that shows: not only spaces and zero-width characters."""
    return any(unicodedata.category(c)[0] in "LMNPS" for c in text)


def _invisible(doc: Document, value: Any, path: tuple[Any, ...]) -> Iterator[Problem]:
    """Text of spaces or zero-width characters only would make empty headings and invisible links."""
    stack = [(value, path)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str) and value and not visible(value):
            yield doc.problem(r.NO_VISIBLE_TEXT, path, "has no visible text: write words, or remove the field if it "
                              "is optional")
        elif isinstance(value, dict):
            stack.extend((item, path + (key,)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, path + (i,)) for i, item in enumerate(value))


def did_you_mean(value: object, choices: Any) -> str:
    """' (did you mean 'x'?)' when value is close to one of choices, else ''."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, sorted(str(c) for c in choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: Any, written: str | None = None) -> str:
    """A value for a message, as the person wrote it in the file (`NO`, not False)."""
    if written is not None:
        return shorten(written)
    if isinstance(value, str):
        return f"'{shorten(value)}'"
    if isinstance(value, (dict, list)):
        return "a set of fields" if isinstance(value, dict) else "a list"
    return shorten(json.dumps(value))


_TYPES = {"string": "text", "array": "a list", "object": "a set of fields (name: value)",
          "integer": "a whole number", "number": "a number", "boolean": "true or false"}


def _explain(doc: Document, error: ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    value: Any = error.instance
    rule = error.validator
    schema: Any = error.schema
    expected: Any = error.validator_value
    if rule == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                hint = did_you_mean(key, allowed) or " (allowed: " + ", ".join(allowed) + ")"
                yield doc.problem(r.UNKNOWN_FIELD, path + (key,), f"unknown field '{shorten(key)}'{hint}", key=True)
        return
    if rule == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield doc.problem(r.MISSING_FIELD, path,
                                  f"missing required field '{name}'{_required_hint(doc.kind, name)}")
        return
    broken, message = _message(doc.kind, path, rule, error, doc.written.get(path))
    yield doc.problem(broken, path, message)


def _required_hint(kind: str, name: str) -> str:
    if kind == "asset" and name == "talking_points":
        return ": nothing goes to the field without what to say with it"
    return ""


def _message(kind: str, path: tuple[Any, ...], rule: Any, error: ValidationError,
             written: str | None) -> tuple[Rule, str]:
    """The rule a schema error breaks, and what is wrong in plain words."""
    value: Any = error.instance
    expected: Any = error.validator_value
    if value is None and rule == "type" and not written:
        return r.WRONG_TYPE, "is empty: give a value"
    if rule == "type":
        types = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPES.get(t, t) for t in types)
        if "string" in types and written is not None:
            return r.WRONG_TYPE, (f"must be {wanted}, not {_show(value, written)}, which YAML reads as "
                                  f"{_TYPES.get(_json_type(value), 'a value')}: put it in quotes, e.g. "
                                  f"\"{shorten(written)}\"")
        return r.WRONG_TYPE, f"must be {wanted}, not {_show(value, written)}"
    if rule == "enum":
        choices = ", ".join(json.dumps(c) if isinstance(c, bool) else str(c) for c in expected)
        return r.NOT_ALLOWED_VALUE, (f"{_show(value, written)} is not one of: {choices}"
                                     f"{did_you_mean(error.instance, [c for c in expected if isinstance(c, str)])}")
    if rule == "minItems":
        if kind == "asset" and path and path[-1] == "talking_points":
            return r.TOO_FEW_ITEMS, ("an asset needs at least one talking point: nothing goes to the field without "
                                     "what to say with it")
        return r.TOO_FEW_ITEMS, f"needs at least {expected} entr{'y' if expected == 1 else 'ies'}"
    if rule == "minLength":
        return r.EMPTY_TEXT, "must not be empty"
    if rule == "uniqueItems":
        return r.REPEATED_ITEM, f"lists {_show(_first_repeat(value))} more than once: remove the copy"
    if rule == "pattern":
        if expected == ID_PATTERN:
            return r.INVALID_ID, (f"{_show(value)} is not a valid id: use lower-case letters, digits and single "
                                  "hyphens, e.g. 'roi-calculator'")
        if path and path[-1] == "link":
            return r.INVALID_LINK, (f"{_show(value)} is not an allowed link: give an https:// address (ASCII only: "
                                    "no spaces, quotes, angle brackets or parentheses; percent-encode other "
                                    "characters) or a relative path such as files/price-list.pdf")
        return r.WRONG_FORM, f"{_show(value)} does not match the expected form {expected}"
    if rule == "format" and expected == "date":
        return r.INVALID_DATE, f"{_show(value)} is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31"
    if rule in ("minimum", "maximum"):
        most = "least" if rule == "minimum" else "most"
        return r.OUT_OF_RANGE, f"must be at {most} {expected}, not {_show(value, written)}"
    if rule == "maxLength":
        return r.TOO_LONG, f"is longer than {expected:,} characters: shorten it"
    if rule == "maxItems":
        return r.TOO_LONG, f"has more than {expected:,} entries: keep the list shorter"
    return r.WRONG_FORM, shorten(" ".join(error.message.split()), 200)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "string" if isinstance(value, str) else "null"


_NONE = object()


def _first_repeat(items: list[Any]) -> Any:
    """The first item that repeats an earlier one (1 and 1.0 are the same), or _NONE."""
    seen: set[str] = set()
    for item in items:
        same = int(item) if isinstance(item, float) and item.is_integer() else item
        key = json.dumps(same, sort_keys=True, default=str)
        if key in seen:
            return item
        seen.add(key)
    return _NONE


__all__ = ["check_document", "did_you_mean", "schema_files", "schemas_dir", "validator", "format_path"]
