"""Damaged playbooks: never a traceback, never a crash, every problem on one located line.

Hypothesis damages the mini fixture at random (wrong types, renamed keys, deleted or renamed
files, truncation, inserted bytes, deep nesting, alias bombs, odd Unicode, odd file names,
links out of the playbook, a named pipe) and runs `playbook validate`: as a real subprocess for
a sample and for every damage that could hang or kill a process, in process for the rest.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from playbook_fields import (
    FIXTURES,
    free_text_fields,
    kind_of,
    leaves,
    load_schema,
    output_violations,
    run_validate,
)
from playbook_strategies import suite_settings
from suite_report import Tally

TALLY = Tally("mutation", "{playbooks} damaged playbooks ({subprocess} through a subprocess, {in_process} in "
                          "process; {newer} damages of agreed values, from, onboarding, signers or CODEOWNERS), "
                          "{tracebacks} tracebacks or crashes, {failing} with a failed check")

MINI = FIXTURES / "mini"
FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))
SECRET = "SECRET-MARKER-5f0c1e"
Expect = str  # "invalid", "valid" or "unknown"

# Who refers to each file of the mini playbook: deleting a file is harmless only when none of them is left.
REFERRERS = {
    "stages/learning.yaml": {"assets/guide.yaml", "personas/buyer.yaml"},
    "stages/adoption.yaml": {"assets/guide.yaml"},
    "lifecycle/lead.yaml": {"stages/learning.yaml", "handoffs/lead-to-won.yaml", "terms/lead.yaml"},
    "lifecycle/won.yaml": {"lifecycle/lead.yaml", "handoffs/lead-to-won.yaml"},
    "personas/buyer.yaml": {"assets/guide.yaml"},
    "terms/contact.yaml": {"terms/lead.yaml"},
    # The funnel lint: lead (marketing) leads to won (sales), so that move needs its handoff.
    "handoffs/lead-to-won.yaml": {"lifecycle/lead.yaml"},
}

# Characters a playbook may not hold in a value (see the nothing-lost suite): controls other than
# the line break, bidi overrides and isolates, surrogates.
REFUSED_IN_VALUES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Refused anywhere in a file: the same, except tab (refused too) and CR and LF (line breaks).
REFUSED_IN_FILES = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass
class Ctx:
    root: Path
    outside: Path
    touched: set[str] = field(default_factory=set)
    subprocess_only: bool = False

    def path(self, relative: str) -> Path:
        return self.root / relative


def _load(path: Path) -> tuple[str, Any]:
    text = path.read_text(encoding="utf-8")
    header = text.split("\n", 1)[0] + "\n" if text.startswith("#") else ""
    return header, yaml.safe_load(text)


def _dump(path: Path, header: str, data: Any, allow_unicode: bool = True) -> None:
    path.write_text(header + yaml.safe_dump(data, allow_unicode=allow_unicode, sort_keys=False, width=10**6),
                    encoding="utf-8", errors="surrogatepass")


def _places(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield prefix + (key,)
        yield from _places(item, prefix + (key,))


def _get(data: Any, place: tuple[Any, ...]) -> Any:
    for key in place:
        data = data[key]
    return data


def _kind(value: Any) -> str:
    if isinstance(value, (datetime.date, str)):
        return "str"
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


def _visible(text: str) -> bool:
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn", "Me", "Zl", "Zp") for c in text)


# The damages -----------------------------------------------------------------------------------


class Damage:
    target: str  # the file or folder it damages; two damages of one example never share one

    def apply(self, ctx: Ctx) -> Expect:
        raise NotImplementedError

    def settle(self, ctx: Ctx, expect: Expect) -> Expect:
        """The expectation once every damage is done (a deletion may depend on the others)."""
        return expect


ODD_VALUES: list[Any] = [None, [], {}, 7, -1, 0, 10**30, "x", "", " ", [1, [2]], {"a": {"b": 1}}, True, False,
                         2.5, float("nan"), float("inf"), "2027-13-45", "sales", "both", "https://x.example/",
                         "javascript:alert(1)", ["learning", "learning"]]


@dataclass(frozen=True)
class WrongType(Damage):
    """Replace the value at one place (any depth) of a file."""

    target: str
    pick: int
    odd: Any

    def apply(self, ctx: Ctx) -> Expect:
        header, data = _load(ctx.path(self.target))
        place = list(_places(data))[self.pick % len(list(_places(data)))]
        old = _get(data, place)
        _get(data, place[:-1])[place[-1]] = copy.deepcopy(self.odd)
        _dump(ctx.path(self.target), header, data)
        return "invalid" if _kind(self.odd) != _kind(old) else "unknown"


ODD_KEYS: list[Any] = ["naem", "Name", "id ", " id", "\uff29\uff24", "\u202eid", "i\u200bd", "<<", "", "?", "-",
                       "\x1b[2K", "\n::warning::forged", "::error file=x::forged", "a" * 500, "\u0000", 1, True, None,
                       "\ud800", "defin\u0130tion"]


@dataclass(frozen=True)
class RenameKey(Damage):
    """Give a field of a file another name."""

    target: str
    pick: int
    key: Any

    def apply(self, ctx: Ctx) -> Expect:
        header, data = _load(ctx.path(self.target))
        places = [p for p in _places(data) if isinstance(p[-1], str)]
        place = places[self.pick % len(places)]
        parent = _get(data, place[:-1])
        if self.key in parent:
            return "unknown"
        items = [(self.key if k == place[-1] else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(items)
        _dump(ctx.path(self.target), header, data, allow_unicode=False)
        return "invalid"


@dataclass(frozen=True)
class DeleteFile(Damage):
    target: str

    def apply(self, ctx: Ctx) -> Expect:
        ctx.path(self.target).unlink()
        return "valid"

    def settle(self, ctx: Ctx, expect: Expect) -> Expect:
        if self.target == "playbook.yaml" or not any((ctx.root / "stages").glob("*.yaml")):
            return "invalid"
        left = [r for r in REFERRERS.get(self.target, ()) if ctx.path(r).exists()]
        if any(r not in ctx.touched for r in left):
            return "invalid"
        return "unknown" if left else "valid"


ODD_NAMES: list[str | bytes] = [
    "new\nline.yaml", "tab\there.yaml", "trailing .yaml", "trailing.yaml ", " lead.yaml", "\u00fcn\u00efcode.yaml",
    "\u202egnp.yaml", "\x1b[31mred.yaml", "::error file=x::forged.yaml", "\r.yaml", ".x.yaml", ".hidden", "x.yml",
    "x.YAML", "x.yaml.bak", "README.md", "con.yaml", "a:1:1: fake.yaml", b"\xff\xfe.yaml", b"caf\xe9.yaml",
    "x" * 200 + ".yaml", "no-extension", "\u200b.yaml", "e\u0301.yaml", "\u0587.yaml",
]


def _hidden(name: str | bytes) -> bool:
    text = os.fsdecode(name)
    return text.startswith(".") or text.lower() == "readme.md"


@dataclass(frozen=True)
class RenameFile(Damage):
    target: str
    name: str | bytes

    def apply(self, ctx: Ctx) -> Expect:
        source = ctx.path(self.target)
        folder = os.fsencode(source.parent)
        os.rename(os.fsencode(source), os.path.join(folder, os.fsencode(self.name)))
        return "unknown" if _hidden(self.name) else "invalid"


@dataclass(frozen=True)
class NewFile(Damage):
    """A new entry with an odd name, a folder, or a named pipe, in a folder of the playbook."""

    folder: str
    name: str | bytes
    what: str  # "copy", "folder" or "pipe"

    @property
    def target(self) -> str:  # type: ignore[override]
        return f"{self.folder}/{os.fsdecode(self.name)}"

    def apply(self, ctx: Ctx) -> Expect:
        folder = ctx.root / self.folder
        folder.mkdir(exist_ok=True)
        path = os.path.join(os.fsencode(folder), os.fsencode(self.name))
        if os.path.lexists(path):
            return "unknown"
        if self.what == "folder":
            os.mkdir(path)
        elif self.what == "pipe":
            os.mkfifo(path)
            ctx.subprocess_only = True
        else:
            source = next(iter(sorted(folder.glob("*.yaml"))), ctx.root / "playbook.yaml")
            with open(path, "wb") as out:
                out.write(source.read_bytes())
        if _hidden(self.name):
            return "unknown"
        return "invalid"


@dataclass(frozen=True)
class Truncate(Damage):
    target: str
    fraction: float

    def apply(self, ctx: Ctx) -> Expect:
        path = ctx.path(self.target)
        raw = path.read_bytes()
        at = int(len(raw) * self.fraction)
        path.write_bytes(raw[:at])
        kept = raw[:at].strip()
        only_a_comment = kept.startswith(b"#") and b"\n" not in kept
        return "invalid" if not kept or only_a_comment else "unknown"


NASTY_BYTES: list[bytes] = [
    b"\x00", b"\x1b[2K", b"\x1b]8;;https://evil.example\x07x\x1b]8;;\x07", b"\xff", b"\xc3", b"\xed\xa0\x80",
    b"\r", b"\r\n", b"\t", b"\x7f", b"\xc2\x85", b"\xc2\x9b", b"\xe2\x80\xae", b"\xe2\x81\xa6", b"\xef\xbb\xbf",
    b"\xe2\x80\xa8", b": ", b"- ", b"{", b"[", b"&a ", b"*a", b"!!python/object/apply:os.system ['id'] ",
    b"%YAML 1.1\n", b"---\n", b"...\n", b"\n---\nid: x\n", b"? ", b"|", b">", b"#", b"'", b'"', b"\\",
    b"\n::error file=x::forged\n",
]


@dataclass(frozen=True)
class InsertBytes(Damage):
    target: str
    fraction: float
    data: bytes

    def apply(self, ctx: Ctx) -> Expect:
        path = ctx.path(self.target)
        raw = path.read_bytes()
        at = int(len(raw) * self.fraction)
        new = raw[:at] + self.data + raw[at:]
        path.write_bytes(new)
        try:
            text = new.decode("utf-8")
        except UnicodeDecodeError:
            return "invalid"
        return "invalid" if REFUSED_IN_FILES.search(text) else "unknown"


def _top_level_lines(text: str) -> list[int]:
    lines = text.split("\n")
    return [i for i, line in enumerate(lines) if re.match(r"[a-z_]+:( |$)", line)]


@dataclass(frozen=True)
class DeepNesting(Damage):
    """Replace the value of a top-level field with nesting thousands of levels deep."""

    target: str
    pick: int
    style: str
    depth: int

    def apply(self, ctx: Ctx) -> Expect:
        ctx.subprocess_only = True
        path = ctx.path(self.target)
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        tops = _top_level_lines(text)
        index = tops[self.pick % len(tops)]
        # A value that goes on over several lines ends where the next top-level field starts.
        end = next((i for i in tops if i > index), len(lines))
        key = lines[index].split(":", 1)[0]
        d = self.depth
        styles = {
            "flow-open": lambda: " " + "[" * d,
            "flow-closed": lambda: " " + "[" * d + "]" * d,
            "flow-map": lambda: " " + "{a: " * d + "x" + "}" * d,
            "flow-mixed": lambda: " " + "[{a: " * d + "x" + "}]" * d,
            "block-seq": lambda: " " + "- " * d + "x",
            "block-map": lambda: "\n" + "\n".join("  " * (i + 1) + "a:" for i in range(min(d, 1000))) + " x",
        }
        value = styles[self.style]()
        path.write_text("\n".join([*lines[:index], key + ":" + value, *lines[end:]]), encoding="utf-8")
        return "invalid"


@dataclass(frozen=True)
class Aliases(Damage):
    target: str
    variant: str

    def apply(self, ctx: Ctx) -> Expect:
        path = ctx.path(self.target)
        text = path.read_text(encoding="utf-8")
        free = {f.split(".", 1)[1] for f in free_text_fields(kind_of(self.target)) if f.count(".") == 1}
        texts = [i for i in _top_level_lines(text) if text.split("\n")[i].split(":")[0] in free
                 and not text.split("\n")[i].rstrip().endswith((">-", "|", ">"))]
        lines = text.split("\n")
        if self.variant == "benign":
            if len(texts) < 2:
                return "unknown"
            first, second = texts[0], texts[1]
            key, value = lines[first].split(": ", 1)
            lines[first] = f"{key}: &shared {value}"
            lines[second] = lines[second].split(":", 1)[0] + ": *shared"
            path.write_text("\n".join(lines), encoding="utf-8")
            return "unknown"
        if self.variant == "undefined":
            if not texts:
                return "unknown"
            lines[texts[0]] = lines[texts[0]].split(":", 1)[0] + ": *nowhere"
            path.write_text("\n".join(lines), encoding="utf-8")
            return "invalid"
        if self.variant == "anchor-bomb-in-field" and not texts:
            return "unknown"
        ctx.subprocess_only = True
        extra = {
            "bomb": "lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
                f"  {chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9)),
            "text-bomb": "zz_text: &t " + "x" * 100_000 + "\nzz_list: [" + ", ".join(["*t"] * 300) + "]\n",
            "recursive": "zz_rec: &r [*r, *r]\n",
            "merge": "<<: {id: merged}\n",
            "key-alias": "zz_key: &k some key\n*k : value\n",
            "anchor-bomb-in-field": "",
        }[self.variant]
        if self.variant == "anchor-bomb-in-field" and texts:
            key = lines[texts[0]].split(":", 1)[0]
            lines[texts[0]] = f"{key}: &t " + "y" * 50_000
            lines.append("zz_more: [" + ", ".join(["*t"] * 500) + "]")
            path.write_text("\n".join(lines), encoding="utf-8")
            return "invalid"
        path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
        return "invalid"


ODD_TEXTS: list[str] = [
    "\u202egnp.exe", "x\u202ey", "\u2066isolate\u2069", "zero\u200bwidth", "\u200b", "\u200d\u200c", "\u3000",
    "e\u0301\u0301\u0301\u0301", "\u0587", "\u01c4\u01c5\u01c6", "\u0130stanbul", "\ufb03",
    "\U0001f9d1\u200d\U0001f4bb", "\U0001f600", "\ud800", "\udcff", "\ufeff", "\u00ad", "\u2028", "a\u2029b",
    "\x1b[2K", "\x1b]8;;https://e.x\x07l",
    "\x00", "\x7f", "\x85", "\x9b31m", "\t", "\r", " \n ", "\U000e0041", "\ufffe", "\u0378", "\ue000", "x" * 5000,
    "\u16a0", "\u3030", "\n::warning::forged", "::error file=x::forged",
]


@dataclass(frozen=True)
class OddUnicode(Damage):
    """Odd Unicode in a free-text value, written raw or as YAML escapes."""

    target: str
    pick: int
    text: str
    mode: str
    escaped: bool

    def apply(self, ctx: Ctx) -> Expect:
        header, data = _load(ctx.path(self.target))
        free = free_text_fields(kind_of(self.target))
        places = [leaf.place for leaf in leaves(kind_of(self.target), data) if leaf.field in free]
        place = places[self.pick % len(places)]
        old = str(_get(data, place))
        new = {"append": old + self.text, "prepend": self.text + old, "middle": old[:3] + self.text + old[3:],
               "replace": self.text}[self.mode]
        _get(data, place[:-1])[place[-1]] = new
        _dump(ctx.path(self.target), header, data, allow_unicode=not self.escaped)
        if REFUSED_IN_VALUES.search(new):
            return "invalid"
        if not _visible(new):  # nothing but spaces, format characters, marks or separators
            return "invalid" if all(c.isspace() or unicodedata.category(c) == "Cf" for c in new) else "unknown"
        if any(unicodedata.category(c) in ("Cf", "Zl", "Zp", "Co", "Cn") for c in new):
            return "unknown"
        return "valid"


@dataclass(frozen=True)
class Symlink(Damage):
    variant: str

    @property
    def target(self) -> str:  # type: ignore[override]
        shared = {"dir-out": "personas/buyer.yaml", "root-file": "playbook.yaml"}
        return shared.get(self.variant, f"link:{self.variant}")

    def apply(self, ctx: Ctx) -> Expect:
        out = ctx.outside
        secret_term = (f"id: leak\nname: Leak\ndefinition: {SECRET}\nowner: sales\n")
        if self.variant == "file-out":
            (out / "leak.yaml").write_text(secret_term + f"{SECRET}: 1\n", encoding="utf-8")
            (ctx.root / "terms" / "leak.yaml").symlink_to(out / "leak.yaml")
        elif self.variant == "file-out-valid":
            (out / "leak.yaml").write_text(secret_term, encoding="utf-8")
            (ctx.root / "terms" / "leak.yaml").symlink_to(out / "leak.yaml")
        elif self.variant == "dir-out":
            shutil.copytree(ctx.root / "personas", out / "personas")
            buyer = out / "personas" / "buyer.yaml"
            buyer.write_text(buyer.read_text(encoding="utf-8") + f"{SECRET}: x\n", encoding="utf-8")
            shutil.rmtree(ctx.root / "personas")
            (ctx.root / "personas").symlink_to(out / "personas", target_is_directory=True)
        elif self.variant == "root-file":
            settings = (ctx.root / "playbook.yaml").read_text(encoding="utf-8")
            (out / "playbook.yaml").write_text(settings + f"{SECRET}: x\n", encoding="utf-8")
            (ctx.root / "playbook.yaml").unlink()
            (ctx.root / "playbook.yaml").symlink_to(out / "playbook.yaml")
        elif self.variant == "etc-passwd":
            (ctx.root / "assets" / "passwd.yaml").symlink_to("/etc/passwd")
        elif self.variant == "dev-zero":
            ctx.subprocess_only = True
            (ctx.root / "metrics" / "zero.yaml").symlink_to("/dev/zero")
        elif self.variant == "proc-environ":
            ctx.subprocess_only = True
            (ctx.root / "terms" / "env.yaml").symlink_to("/proc/self/environ")
        elif self.variant == "loop":
            (ctx.root / "stages" / "loop.yaml").symlink_to("loop.yaml")
        elif self.variant == "dangling":
            (ctx.root / "terms" / "gone.yaml").symlink_to(out / "nothing-here.yaml")
        elif self.variant == "inside":
            (ctx.root / "terms" / "other.yaml").symlink_to("lead.yaml")
        return "invalid"


SYMLINKS = ["file-out", "file-out-valid", "dir-out", "root-file", "etc-passwd", "dev-zero", "proc-environ", "loop",
            "dangling", "inside"]

# The newer checks, reached on purpose: agreed values and their `from`, references to them, the
# onboarding's references, who may sign, and the CODEOWNERS file beside the playbook.
NEWER = ["value", "from-kind", "from-id", "from-field", "from-whole", "reference", "first-terms", "role-read",
         "role", "people", "signer", "codeowners"]
ODD_OWNERS: list[str | bytes] = [
    "* @acme/sales\n", "*\n", "/playbook/ @acme/sales\n", "\x00\xff garbage\n", "* @acme/tools\n/generator/\n",
    "[\n", "**/*** @x\n", "\\ @x\n", "* @acme/tools\n" + "/playbook/*/x*.yaml @acme/sales\n" * 300,
    "# Written by `playbook codeowners` from playbook.yaml: edit the reviewers there, then run it again.\n",
    b"\xef\xbb\xbf* @acme/tools @acme/sales @acme/marketing\n", "link:/etc/passwd",
]


@dataclass(frozen=True)
class Newer(Damage):
    """Damage the fields only the newer checks read: agreed values and `from`, references to
    values, onboarding references, people who sign, and CODEOWNERS."""

    variant: str
    odd: Any
    owners: str | bytes

    target = "playbook.yaml"

    def apply(self, ctx: Ctx) -> Expect:
        header, data = _load(ctx.path("playbook.yaml"))
        odd = copy.deepcopy(self.odd)
        source = {"kind": "handoff", "id": "lead-to-won", "field": "service_level"}
        if self.variant == "value":
            data["values"] = [{"id": "v", "value": odd}]
            data["introduction"] += " [[v]]"
        elif self.variant.startswith("from-"):
            key = self.variant.removeprefix("from-")
            data["values"] = [{"id": "v", "from": odd if key == "whole" else {**source, key: odd}}]
            data["introduction"] += " [[v]]"
        elif self.variant == "reference":
            data["values"] = [{"id": "v", "value": "10 days"}]
            data["introduction"] += f" [[{odd}]]"
        elif self.variant == "first-terms":
            data["onboarding"] = {"first_terms": [odd]}
        elif self.variant in ("role-read", "role"):
            role = {"id": "seller", "name": "Seller", "read": [odd]} if self.variant == "role-read" else odd
            data["onboarding"] = {"roles": [role]}
        elif self.variant == "people":
            data["teams"]["sales"]["people"] = odd
        elif self.variant == "signer":
            data["teams"]["sales"]["people"] = [{"name": odd, "handle": "@sam"}]
        else:
            return self._codeowners(ctx, header, data)
        _dump(ctx.path("playbook.yaml"), header, data)
        return "unknown"

    def _codeowners(self, ctx: Ctx, header: str, data: Any) -> Expect:
        data["teams"]["sales"]["reviewers"] = ["@acme/sales"]
        data["teams"]["marketing"]["reviewers"] = ["@acme/marketing"]
        data["maintainers"] = ["@acme/tools"]
        _dump(ctx.path("playbook.yaml"), header, data)
        github = ctx.root.parent / ".github"
        github.mkdir(exist_ok=True)
        if self.owners == "link:/etc/passwd":
            (github / "CODEOWNERS").symlink_to("/etc/passwd")
            return "invalid"
        raw = self.owners if isinstance(self.owners, bytes) else self.owners.encode("utf-8", "surrogatepass")
        (github / "CODEOWNERS").write_bytes(raw)
        return "unknown"

files = st.sampled_from(FILES)
picks = st.integers(0, 10_000)
fractions = st.floats(0, 1, allow_nan=False)
damage: st.SearchStrategy[Damage] = st.one_of(
    st.builds(WrongType, files, picks, st.sampled_from(ODD_VALUES)),
    st.builds(RenameKey, files, picks, st.sampled_from(ODD_KEYS)),
    st.builds(DeleteFile, files),
    st.builds(RenameFile, files, st.sampled_from(ODD_NAMES)),
    st.builds(NewFile, st.sampled_from([*sorted({f.split("/")[0] for f in FILES if "/" in f}), "notes", "."]),
              st.sampled_from([*ODD_NAMES, "pipe.yaml"]), st.sampled_from(["copy", "copy", "folder", "pipe"])),
    st.builds(Truncate, files, fractions),
    st.builds(InsertBytes, files, fractions,
              st.one_of(st.sampled_from(NASTY_BYTES), st.binary(min_size=1, max_size=8))),
    st.builds(DeepNesting, files, picks, st.sampled_from(["flow-open", "flow-closed", "flow-map", "flow-mixed",
                                                          "block-seq", "block-map"]),
              st.sampled_from([51, 60, 200, 1000, 30_000, 100_000])),
    st.builds(Aliases, files, st.sampled_from(["benign", "undefined", "bomb", "text-bomb", "recursive", "merge",
                                               "key-alias", "anchor-bomb-in-field"])),
    st.builds(OddUnicode, files, picks, st.one_of(st.sampled_from(ODD_TEXTS), st.text(max_size=4)),
              st.sampled_from(["append", "prepend", "middle", "replace"]), st.booleans()),
    st.builds(Symlink, st.sampled_from(SYMLINKS)),
    st.builds(Newer, st.sampled_from(NEWER), st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=6)),
              st.sampled_from(ODD_OWNERS)),
    st.builds(Newer, st.sampled_from(NEWER), st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=6)),
              st.sampled_from(ODD_OWNERS)),
)


damages = st.lists(damage, min_size=1, max_size=3,
                   unique_by=lambda d: d.target)


# Running and judging ------------------------------------------------------------------------------


def independent_check(root: Path) -> list[str]:
    """For a clean pass: every file, read by PyYAML (pure Python) and the JSON Schema on their own, is valid."""
    found = []
    folders = {"stages", "lifecycle", "handoffs", "terms", "personas", "assets", "metrics"}
    entries = [e for e in sorted(root.iterdir()) if e.name not in folders or e.is_symlink() or not e.is_dir()]
    entries += [e for folder in sorted(folders) if (root / folder).is_dir() for e in sorted((root / folder).iterdir())]
    for path in entries:
        relative = path.relative_to(root).as_posix()
        if path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        if path.is_symlink():
            found.append(f"{relative}: a link, and it passed")
            continue
        if path.suffix != ".yaml" or not path.is_file() or (path.parent == root) != (path.name == "playbook.yaml"):
            found.append(f"{relative}: not a playbook file, and it passed")
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except Exception as err:  # noqa: BLE001
            found.append(f"{relative}: not readable as YAML ({type(err).__name__}: {str(err)[:200]}), and it passed")
            continue
        kind = kind_of(relative)
        errors = list(Draft202012Validator(load_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)
                      .iter_errors(_dates_as_text(data)))
        found.extend(f"{relative}: schema: {e.message[:200]}, and it passed" for e in errors)
        if isinstance(data, dict) and "id" in data and data["id"] != path.stem:
            found.append(f"{relative}: id {data['id']!r} is not the file name, and it passed")
        for leaf in leaves(kind, data):
            if isinstance(leaf.value, str) and REFUSED_IN_VALUES.search(leaf.value):
                found.append(f"{relative}: {leaf.field} holds {leaf.value!r}, and it passed")
    return found


def _dates_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def combine(expectations: list[Expect]) -> Expect:
    if "invalid" in expectations:
        return "invalid"
    return "unknown" if "unknown" in expectations else "valid"


def judge(damaged: list[Damage], through_subprocess: bool) -> tuple[list[str], bool]:
    """Apply the damage to a fresh copy of the mini playbook and run validate; what went wrong, and
    whether it ran as a subprocess."""
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        project = Path(tmp) / "project"
        root = project / "playbook"
        shutil.copytree(MINI, root)
        (Path(tmp) / "outside").mkdir()
        ctx = Ctx(root, Path(tmp) / "outside")
        ordered = sorted(damaged, key=lambda d: isinstance(d, Symlink))
        ctx.touched = {d.target for d in ordered}
        applied = [d.apply(ctx) for d in ordered]
        expect = combine([d.settle(ctx, e) for d, e in zip(ordered, applied, strict=True)])
        through_subprocess = through_subprocess or ctx.subprocess_only
        code, out, err = run_validate(project, root, through_subprocess, {"PLAYBOOK_TEST_SECRET": SECRET})
        found = output_violations(code, out, err, secrets=(SECRET,))
        shown = (out + err).decode("utf-8", "replace")[-1500:]
        if expect == "invalid" and code == 0:
            found.append(f"a clean pass, but this damage cannot leave a valid playbook: {shown!r}")
        if expect == "valid" and code != 0:
            found.append(f"problems reported, but this damage leaves the playbook valid: {shown!r}")
        if code == 0:
            found.extend(independent_check(root))
        if "Traceback" in shown or code not in (0, 1):
            TALLY.add("tracebacks")
        return found, through_subprocess


FAILURES: list[str] = []


@given(damaged=damages, sample=st.integers(0, 9))
@suite_settings(ci_examples=140)
def _damaged_playbooks(damaged: list[Damage], sample: int) -> None:
    found, through_subprocess = judge(damaged, through_subprocess=sample == 0)
    TALLY.add("playbooks")
    TALLY.add("newer", sum(isinstance(d, Newer) for d in damaged))
    TALLY.add("subprocess" if through_subprocess else "in_process")
    if found:
        TALLY.add("failing")
        FAILURES.append(f"damage {damaged!r} ({'subprocess' if through_subprocess else 'in process'}):\n"
                        + "\n".join(f"  - {f[:700]}" for f in found))


def test_damaged_playbooks_never_crash_and_report_every_problem_on_one_line() -> None:
    FAILURES.clear()
    before = TALLY.counts["playbooks"]
    _damaged_playbooks()
    assert TALLY.counts["playbooks"] - before >= 50, TALLY.line()
    assert TALLY.counts["subprocess"] > 0 and TALLY.counts["in_process"] > 0, TALLY.line()
    assert TALLY.counts["newer"] > 0, TALLY.line()
    assert FAILURES == [], f"{len(FAILURES)} damaged playbooks failed a check:\n\n" + "\n\n".join(FAILURES[:40])


def test_the_undamaged_playbook_passes_both_ways(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "playbook")
    for through_subprocess in (True, False):
        code, out, err = run_validate(tmp_path, tmp_path / "playbook", through_subprocess,
                                      {"PLAYBOOK_TEST_SECRET": SECRET})
        assert (code, output_violations(code, out, err, (SECRET,))) == (0, []), (out, err)
        assert independent_check(tmp_path / "playbook") == []


def test_the_output_judge_catches_what_it_should() -> None:
    good = output_violations(1, b"playbook/terms/a.yaml:3:5: name: must not be empty\n",
                             b"1 problem in playbook; fix them and run again.\n")
    assert good == []
    assert output_violations(1, b"playbook/terms/a.yaml:3:5: bad \x1b[2K name\n", b"1 problem in playbook.\n")
    assert output_violations(1, b"playbook/terms/a.yaml:3:5: unknown field 'x\n::error::forged'\n",
                             b"1 problem in playbook.\n")
    assert output_violations(1, b"playbook/terms/a.yaml:0:5: x\n", b"1 problem in playbook.\n")
    assert output_violations(1, b"x\r\n", b"1 problem in playbook.\n")
    assert output_violations(2, b"", b"Traceback (most recent call last):\n")
    assert output_violations(-11, b"", b"")
    assert output_violations(0, f"{SECRET}\n".encode(), b"", (SECRET,))
    assert output_violations(1, b"playbook/t.yaml:1:1: \xff\n", b"1 problem in playbook.\n")
    assert output_violations(1, "playbook/t.yaml:1:1: \u202eevil\n".encode(), b"1 problem in playbook.\n")
