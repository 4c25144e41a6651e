"""The `playbook` command: validate the playbook, render its pages as Markdown files, or explain
the rules it is checked by."""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.counts import named_counts
from ..rules.agreement import signatories
from ..rules.freshness import TODAY_VARIABLE, TodayError, resolve_today
from ..rules.registry import RULES, examples, find
from ..rules.validate import check
from ..source import diskcache, lasting
from ..source.filepaths import display_path
from ..source.loader import KINDS
from ..source.problems import PlaybookError, Rule, printable
from ..source.repository import (
    RENDER_MARKER,
    SITE_READ,
    OutputError,
    check_replaceable,
    discard,
    docs_files,
    link_out_of_repository,
    stage,
    swap_in,
)
from ..source.schemas import did_you_mean
from .report import FORMATS, github_annotation, json_report

if TYPE_CHECKING:
    from ..changes.history import History
    from ..model.playbook import Playbook

# The commands in modules of their own, by name, in the order `playbook --help` lists them. A
# module is imported for its own command only (or for the help and a mistyped command, which list
# them all), so that `playbook validate`, which pre-commit and the checks run on every change, does
# not first load the site's, the diff's and the CRM's code.
COMMAND_MODULES = {"diff": "..commands.diff", "codeowners": "..rules.codeowners", "export": "..commands.export",
                   "crm-check": "..commands.export", "new": "..commands.scaffold", "init": "..commands.init",
                   "schemas": "..commands.init"}


def main(argv: Sequence[str] | None = None, on_disk: bool = False) -> int:
    """Run the command line; returns the exit code (0 clean, 1 problems, 2 usage). With on_disk
    (as the `playbook` command runs), what `validate` reads is kept on disk for its next run."""
    parser = argparse.ArgumentParser(prog="playbook", description="Validate and render the sales playbook.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check every playbook file and report every problem")
    validate.add_argument("dir", nargs="?", default="playbook", help="the playbook folder (default: playbook)")
    validate.add_argument("--docs", default="docs",
                          help="the site's docs folder, where relative asset links point (default: docs, if present)")
    validate.add_argument("--fail-on-stale", action="store_true",
                          help="treat review dates passed and end dates passed or near as errors, not warnings")
    validate.add_argument("--today", metavar="YYYY-MM-DD",
                          help=f"judge review and end dates on this day (default: ${TODAY_VARIABLE}, else today)")
    validate.add_argument("--format", choices=FORMATS, default="text",
                          help="text for people (default), github for workflow annotations on the pull "
                               "request's lines, json for programs (schemas/output/problems.schema.json)")
    render = commands.add_parser("render", help="write the generated pages as Markdown files")
    render.add_argument("outdir", help="folder to write the pages into")
    render.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    render.add_argument("--docs", default="docs",
                        help="hand-written pages to copy alongside, with the overview filled in (default: docs)")
    render.add_argument("--today", metavar="YYYY-MM-DD",
                        help=f"judge review and end dates on this day (default: ${TODAY_VARIABLE}, else today)")
    rules = commands.add_parser("rules", help="list the rules the playbook is checked by, or explain one")
    rules.add_argument("id", nargs="?", metavar="ID", help="a rule's id, as it ends a message, e.g. review-overdue")
    rules.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    rules.set_defaults(run=_rules)
    # Commands in modules of their own: each adds its parser, with `run` set to its function.
    words = list(sys.argv[1:] if argv is None else argv)
    named = next((word for word in words if not word.startswith("-")), None)
    if named in ("validate", "render", "rules"):
        wanted: list[str] = []
    elif named in COMMAND_MODULES:
        wanted = [COMMAND_MODULES[named]]
    else:
        wanted = list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in wanted:
        importlib.import_module(name, __package__).add_parser(commands)
    args = parser.parse_args(argv)
    if getattr(args, "run", None) is not None:
        return int(args.run(args))
    try:
        today = resolve_today(args.today)
    except TodayError as err:
        print(printable(str(err)), file=sys.stderr)
        return 2
    try:
        docs = _folder(args.docs)
    except OutputError as err:
        print(err, file=sys.stderr)
        return 1
    if args.command == "validate":
        return _validate(Path(args.dir), docs, today, args.fail_on_stale, args.format, on_disk)
    return _render(Path(args.playbook), Path(args.outdir), docs, today)


def _folder(path: str) -> Path | None:
    """The docs folder, or None where there is none (relative asset links are then not checked).

    Raises OutputError, before anything in it is looked at, when it is a link out of the
    repository: the links under it would be judged against the place the link leads to."""
    link = link_out_of_repository(Path(path))
    if link is not None:
        raise OutputError(link.line(SITE_READ))
    return Path(path) if Path(path).is_dir() else None


def _validate(root: Path, docs: Path | None, today: date, stale_fails: bool, format: str = "text",
              on_disk: bool = False) -> int:
    loaded, problems = check(root, docs, today, stale_fails, on_disk)
    lasting.keep(loaded)
    errors = sum(not p.warning for p in problems)
    warnings = len(problems) - errors
    # One entity a file, of the kind of its folder: the counts need no model of the playbook.
    counts = None if errors else named_counts([len(loaded.documents[kind]) for kind in KINDS.values()])
    if format == "json":
        print(json_report(display_path(root), loaded.file_count, problems, counts))
        return 1 if errors else 0
    for problem in problems:
        print(github_annotation(problem) if format == "github" else problem)
    if errors:
        print(f"{_count(errors, 'problem')} in {display_path(root)}; fix them and run again.", file=sys.stderr)
        return 1
    assert counts is not None
    print(f"{display_path(root)}: {loaded.file_count} files checked, no problems"
          + (f" ({_count(warnings, 'warning')})" if warnings else "") + ": "
          + ", ".join(_count(n, kind) for kind, n in counts.items()) + ".")
    if format == "text":
        assert loaded.settings is not None
        print(_next_step(loaded.settings.data, docs))
    return 0


def _next_step(settings: dict[str, Any], docs: Path | None) -> str:
    """What happens to a change once it passes: the line under the summary of a clean run, from
    playbook.yaml's data (the command imports no model of the playbook)."""
    named = settings["teams"]
    teams = [named[id]["name"] if id in named else id for id in signatories(settings)]
    who = " and one of ".join(printable(name[:60]) for name in teams)
    guide = docs / "propose-a-change.md" if docs is not None else None
    more = (f" Step by step: {display_path(guide)}." if guide is not None and guide.is_file() else "")
    return (f"Next: commit the change and open a pull request. The same checks run on it, the site is built "
            f"from it, and it takes effect once a reviewer of {who} has approved it.{more}")


def _rules(args: argparse.Namespace) -> int:
    """`playbook rules [ID]`: every rule, one a line, or one rule's documentation."""
    if args.id is None:
        if args.format == "json":
            print(json.dumps([_rule_data(rule) for rule in RULES], ensure_ascii=False, indent=2))
            return 0
        width = max(len(rule.id) for rule in RULES)
        print(f"{'RULE':<{width}}  LEVEL    CAN BE CHANGED  WHAT IT FINDS")
        for rule in RULES:
            changed = "yes" if rule.adjustable else "no"
            print(f"{rule.id:<{width}}  {rule.level:<7}  {changed:<14}  {rule.summary}"
                  + (" (checked on a change)" if rule.on_change else ""))
        print(f"\n{len(RULES)} rules. `playbook rules ID` explains one, with examples; a rule that can be changed "
              "is set to error, warning or off in playbook.yaml under rules.")
        return 0
    found = find(args.id)
    if found is None:
        hint = did_you_mean(args.id, [r.id for r in RULES])
        print(printable(f"playbook rules: '{args.id[:60]}' is not a rule{hint}; `playbook rules` lists every rule"),
              file=sys.stderr)
        return 2
    return _explain(found, args.format)


def _explain(rule: Rule, format: str) -> int:
    """One rule's documentation, with its level, whether it can be changed, and its examples."""
    if format == "json":
        print(json.dumps(_rule_data(rule), ensure_ascii=False, indent=2))
        return 0
    print(f"{rule.id}: {rule.summary}\n")
    if rule.adjustable:
        print(f"Level: {rule.level}. A company may change it in playbook.yaml, e.g. rules: {{{rule.id}: "
              f"{'error' if rule.level != 'error' else 'warning'}}}, or off.")
    else:
        print(f"Level: {rule.level}. It cannot be changed: {rule.fixed}.")
    if rule.on_change:
        print("Checked on a change: playbook diff BASE HEAD --check-signoff (with --approvals in a pull request).")
    print("\n" + rule.text)
    return 0


def _rule_data(rule: Rule) -> dict[str, object]:
    """A rule as `playbook rules --format json` gives it."""
    return {"id": rule.id, "level": rule.level, "adjustable": rule.adjustable, "fixed": rule.fixed or None,
            "on_change": rule.on_change, "summary": rule.summary, "documentation": rule.text,
            "examples": [{"passes": example.passes,
                          "files": [{"path": f.path, "text": f.text, "fields": f.fields} for f in example.files]}
                         for example in examples(rule)]}


def _count(n: int, noun: str) -> str:
    """'1 stage', '2 stages': noun in the singular ('lifecycle state') or the plural ('handoffs')."""
    one = noun[:-1] if noun.endswith("s") else noun
    return f"{n} {one if n == 1 else one + 's'}"


def _render(root: Path, outdir: Path, docs: Path | None, today: date) -> int:
    from ..changes.history import read_history
    from ..model.build import build
    from ..site.static import export_files

    try:
        playbook, _, loaded = build(root, docs, today)
    except PlaybookError as err:
        print(err.report(), file=sys.stderr)
        return 1
    history = read_history(root)
    playbook = replace(playbook, changed=history.changed_on if history is not None else {})
    try:
        written = _render_into(outdir, playbook, docs, [root] if docs is None else [root, docs],
                               export_files(loaded), history)
    except OutputError as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:  # reading docs/ or looking at outdir, before anything is written
        print(_unwritten(err, outdir, display_path), file=sys.stderr)
        return 1
    print(f"{written} files written to {display_path(outdir)}")
    return 0


def _render_into(outdir: Path, playbook: Playbook, docs: Path | None, inputs: list[Path],
                 downloads: dict[str, str], history: History | None) -> int:
    """Write every page into a fresh folder and swap it in for outdir only once all are written,
    so a failure leaves outdir as it was; returns how many pages were written."""
    sources = docs_files(docs) if docs is not None else []
    check_replaceable(outdir, inputs)
    staging = stage(outdir, "rendering")
    try:
        written = _write_pages(staging.building, playbook, sources, downloads, history)
        (staging.building / RENDER_MARKER).write_text(
            "Written by `playbook render`, which replaces this whole folder when run again.\n", encoding="utf-8")
    except OSError as err:
        discard(staging)
        raise OutputError(_unwritten(err, outdir, staging.shown)) from None
    except OutputError:
        discard(staging)
        raise
    swap_in(staging)
    return written


def _unwritten(err: OSError, outdir: Path, shown: Callable[[Path], str]) -> str:
    """One line for an error while rendering: the path, what went wrong, and that outdir is unchanged."""
    where = shown(Path(err.filename)) if err.filename else display_path(outdir)
    return printable(f"{where}: {err.strerror or err}; nothing in {display_path(outdir)} was changed")


def _write_pages(folder: Path, playbook: Playbook, sources: list[tuple[str, Path]], downloads: dict[str, str],
                 history: History | None) -> int:
    """Write the hand-written pages (with the overview filled in) and the generated ones into folder."""
    from ..site.render import expand_markers, render_home, render_pages
    from ..site.static import static_files

    pages = render_pages(playbook, history=history)
    if "index.md" not in {uri for uri, _ in sources}:
        pages["index.md"] = render_home(playbook)
    for uri, source in sources:
        target = folder / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            target.write_text(expand_markers(_read_page(source), playbook, uri), encoding="utf-8")
        else:
            shutil.copyfile(source, target)
    files = {**pages, **static_files(playbook), **downloads}
    for uri, content in files.items():
        target = folder / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return len(sources) + len(files)


def _read_page(source: Path) -> str:
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise OutputError(printable(f"{display_path(source)}: is not UTF-8 text; save it as UTF-8")) from None


def run() -> None:
    """The `playbook` command itself: main(), then the process ends at once, its output flushed.
    Freeing everything a large playbook was read into, one object at a time, served nobody and
    took a quarter of a second at 10,000 files (mypy ends the same way). Where the output cannot
    be flushed (a closed pipe), Python ends as usual and says so."""
    # Nothing the command makes is collected: the process ends as soon as it is done, and the
    # first collection after a large playbook is read walks every object read (a tenth of a
    # second at 10,000 files) to find no cycle.
    gc.disable()
    lasting.until_exit()
    try:
        code = main(on_disk=True)
    except KeyboardInterrupt:  # Ctrl-C: what was read is dropped, and no cache is written
        print("playbook: stopped", file=sys.stderr)
        sys.exit(130)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    # What `playbook validate` read is kept for its next run (source/diskcache.py), once its
    # output is out, by a process of its own: nobody waits for it.
    diskcache.save_pending(background=True)
    os._exit(code)


if __name__ == "__main__":
    run()
