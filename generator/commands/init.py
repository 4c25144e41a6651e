"""`playbook init DIR`: start a playbook repository for another company; `playbook schemas DIR`:
write the schemas anywhere.

`init` writes the smallest playbook that validates (the settings, one stage, a lead and an
opportunity with the handoff between them), the site's settings and home page, the schemas for
editors, the workflows, CODEOWNERS, the pre-commit check, editor settings and a README. The
files are the ones in `starter/` beside this module, with the company's names put in: `@NAME@`
marks a value, written in a YAML file as a quoted string. A folder named `dot-x` there is `.x`
in the new repository.

Neither command overwrites a file. When any file it would write exists, it names every one and
writes nothing; `init --skip-existing` writes only the missing ones, `schemas --force` replaces
the schemas.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from importlib import metadata, resources
from pathlib import Path

from ..rules.freshness import TodayError, resolve_today
from ..rules.owners import DEFAULT_OUTPUT, codeowners
from ..source.filepaths import display_path
from ..source.loader import load_playbook
from ..source.problems import printable
from ..source.schemas import schema_files

_STARTER = "starter"
_TOKEN = re.compile(r"@([A-Z_]+)@")
_ORG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_PACKAGE = "sales-playbook"
_MAX = 200  # characters of a name given on the command line


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `init` and `schemas` to the `playbook` command's subcommands."""
    init = commands.add_parser(
        "init", help="start a playbook repository for a company: a playbook that validates, the site, the "
                     "schemas, the workflows",
        description="Write a working playbook repository into DIR: a playbook that validates, mkdocs.yml and "
                    "docs/index.md, the schemas, the workflows, CODEOWNERS, the pre-commit check, editor "
                    "settings and a README. Missing names are asked for when run in a terminal, else their "
                    "defaults are used. It never overwrites a file.")
    init.add_argument("dir", metavar="DIR", help="the new repository's folder (made if missing)")
    init.add_argument("--company", help="the company's name (default: DIR's name, capitalised)")
    init.add_argument("--site-name", help="the site's title (default: '<company> Sales Playbook')")
    init.add_argument("--product", help="what the company sells, by name (default: the company's name)")
    init.add_argument("--sales-lead", help="who leads sales, who signs the agreed definitions for sales "
                                           "(default: 'Head of Sales')")
    init.add_argument("--marketing-lead", help="who leads marketing (default: 'Head of Marketing')")
    init.add_argument("--github-org", metavar="ORG",
                      help="the organisation on GitHub whose teams review: @ORG/sales, @ORG/marketing, "
                           "@ORG/playbook-maintainers (default: the company's name in lower case)")
    init.add_argument("--skip-existing", action="store_true",
                      help="write only the files that do not exist yet, and leave the others as they are")
    init.set_defaults(run=run_init)
    schemas = commands.add_parser(
        "schemas", help="write the JSON Schemas of the playbook's files into a folder",
        description="Write the schemas (<kind>.schema.json and output/) into DIR, for editors and other tools. "
                    "They name each other by relative paths, so keep them together. It never overwrites a file "
                    "unless given --force.")
    schemas.add_argument("dir", metavar="DIR", help="the folder to write them into (made if missing)")
    schemas.add_argument("--force", action="store_true", help="replace schemas that are already there")
    schemas.set_defaults(run=run_schemas)


def run_schemas(args: argparse.Namespace) -> int:
    """Write the schemas; 0 when written, 1 when refused."""
    folder = Path(args.dir)
    files = schema_files()
    if not args.force:
        there = _existing(folder, files)
        if there:
            _refuse("schemas", there, "use --force to replace them")
            return 1
    try:
        for name, text in files.items():
            _write(folder / name, text, replace=bool(args.force))
    except OSError as err:
        _say(f"playbook schemas: {display_path(Path(err.filename or folder))}: {err.strerror or err}")
        return 1
    print(printable(f"{len(files)} schemas written to {display_path(folder)}"))
    return 0


def run_init(args: argparse.Namespace) -> int:
    """Write the new repository; 0 when written, 1 when refused, 2 for a name that cannot be used."""
    folder = Path(args.dir)
    try:
        names = _names(args, folder, _asker())
    except ValueError as err:
        _say(f"playbook init: {err}; nothing was written")
        return 2
    files = starter_files(names)
    there = _existing(folder, [*files, DEFAULT_OUTPUT.as_posix()])
    if there and not args.skip_existing:
        _refuse("init", there, "remove them, choose another folder, or add --skip-existing to write only the "
                               "missing files")
        return 1
    written = 0
    try:
        for name, text in files.items():
            if name not in there:
                _write(folder / name, text)
                written += 1
        owners = _codeowners(folder)
    except OSError as err:
        _say(f"playbook init: {display_path(Path(err.filename or folder))}: {err.strerror or err}")
        return 1
    written += owners
    skipped = f"; {len(there)} already there, left as they were" if there else ""
    print(printable(f"{written} files written to {display_path(folder)}{skipped}."))
    print(printable(f"Next: cd {display_path(folder)}, pip install -r requirements.txt, playbook validate, "
                    "mkdocs serve"))
    return 0


def starter_files(names: dict[str, str]) -> dict[str, str]:
    """Every file `init` writes but CODEOWNERS: path in the new repository -> text."""
    files: dict[str, str] = {}
    root = resources.files("generator.commands") / _STARTER
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            name = prefix + (("." + entry.name[4:]) if entry.name.startswith("dot-") else entry.name)
            if entry.is_dir():
                if entry.name != "__pycache__":
                    stack.append((entry, name + "/"))
            else:
                files[name] = _fill(entry.read_text(encoding="utf-8"), names, _quoted(name))
    files.update({f"schemas/{name}": text for name, text in schema_files().items()})
    return dict(sorted(files.items()))


def _quoted(path: str) -> bool:
    """Whether values in this file are YAML strings (and so written quoted)."""
    return path.endswith((".yaml", ".yml"))


def _fill(text: str, names: dict[str, str], quoted: bool) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in names:
            return match.group(0)
        if key in _RAW or not quoted:
            return names[key]
        return json.dumps(names[key], ensure_ascii=False)
    return _TOKEN.sub(value, text)


# Values written as they are, even in YAML: a date, lists of handles, a requirement line.
_RAW = {"DATE", "REQUIREMENT", "SALES_REVIEWERS", "MARKETING_REVIEWERS", "MAINTAINERS"}


def _names(args: argparse.Namespace, folder: Path, ask: Callable[[str, str], str] | None) -> dict[str, str]:
    """The names to write, from the flags, the answers (in a terminal) or the defaults."""
    def name(given: str | None, question: str, default: str) -> str:
        if given is None and ask is not None:
            given = ask(question, default) or default
        text = " ".join((default if given is None else given).split())
        if not text or len(text) > _MAX or not text.isprintable():
            raise ValueError(f"{question.lower()}: give a name of 1 to {_MAX} printable characters")
        return text

    base = folder.resolve().name or "playbook"
    company = name(args.company, "Company", base[:1].upper() + base[1:])
    site_name = name(args.site_name, "Site name", f"{company} Sales Playbook")
    product = name(args.product, "Product", company)
    sales_lead = name(args.sales_lead, "Who leads sales", "Head of Sales")
    marketing_lead = name(args.marketing_lead, "Who leads marketing", "Head of Marketing")
    org = name(args.github_org, "GitHub organisation", re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")[:39]
               or "your-org")
    if not _ORG.match(org):
        raise ValueError(f"'{org}' is not an organisation on GitHub: letters, digits and hyphens, at most 39")

    def handle(team: str) -> str:
        return json.dumps(f"@{org}/{team}")

    return {
        "SITE_NAME": site_name, "COMPANY": company, "PRODUCT": product,
        "COMPANY_DESCRIPTION": f"Who {company} is, whom it sells to and where, in two or three sentences.",
        "PRODUCT_DESCRIPTION": f"What {product} is, whom it is for, and the problem it solves for them.",
        "INTRODUCTION": f"What sales and marketing at {company} have agreed on: the words we use, when a lead "
                        "is a lead, the stages our buyers go through, and what to send and say at each.",
        "SALES_LEAD": sales_lead, "MARKETING_LEAD": marketing_lead,
        "SALES_REVIEWERS": handle("sales"), "MARKETING_REVIEWERS": handle("marketing"),
        "MAINTAINERS": handle("playbook-maintainers"),
        "DATE": _today().isoformat(), "REQUIREMENT": requirement(),
    }


def _today() -> date:
    """The day the definitions are agreed on: PLAYBOOK_TODAY where it is set (as validate reads it)."""
    try:
        return resolve_today()
    except TodayError:
        return date.today()


def requirement() -> str:
    """The tools the new repository installs: this version of them."""
    try:
        return f"{_PACKAGE}=={metadata.version(_PACKAGE)}"
    except metadata.PackageNotFoundError:
        return _PACKAGE


def _asker() -> Callable[[str, str], str] | None:
    """A way to ask for a missing name, in a terminal only: elsewhere the defaults are used."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None

    def ask(question: str, default: str) -> str:
        try:
            return input(f"{question} [{default}]: ").strip()
        except EOFError:
            return ""
    return ask


def _codeowners(folder: Path) -> int:
    """Write .github/CODEOWNERS from the playbook as it now is, unless the file exists; 1 if written."""
    target = folder / DEFAULT_OUTPUT
    if os.path.lexists(target):
        return 0
    text = codeowners(load_playbook(folder / "playbook"), "playbook")
    if text is None:
        _say(f"playbook init: {display_path(folder / 'playbook' / 'playbook.yaml')} names no reviewers, so no "
             "CODEOWNERS was written: add them, then run playbook codeowners")
        return 0
    _write(target, text)
    return 1


def _existing(folder: Path, names: Iterable[str]) -> list[str]:
    """The files (relative paths) that are already there, links included."""
    return [name for name in names if os.path.lexists(folder / name)]


def _refuse(command: str, there: list[str], what_to_do: str) -> None:
    shown = ", ".join(there[:20]) + (f" and {len(there) - 20} more" if len(there) > 20 else "")
    _say(f"playbook {command}: {len(there)} file{'s' if len(there) != 1 else ''} already there: {shown}; "
         f"nothing was written: {what_to_do}")


def _write(target: Path, text: str, replace: bool = False) -> None:
    """Write one file, its folders made; without replace, fail if anything has taken its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if replace and target.is_symlink():
        raise OSError(0, "is a link; refusing to write through it", str(target))
    with open(target, "w" if replace else "x", encoding="utf-8", newline="\n") as file:
        file.write(text)


def _say(line: str) -> None:
    print(printable(line), file=sys.stderr)
