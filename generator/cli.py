"""The `playbook` command: validate the playbook, or render its pages as Markdown files."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import PlaybookError
from .loader import display_path
from .model import build_model
from .render import expand_markers, render_home, render_pages
from .validate import build_playbook, check


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 clean, 1 problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="playbook", description="Validate and render the sales playbook.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser("validate", help="check every playbook file and report every problem")
    validate.add_argument("dir", nargs="?", default="playbook", help="the playbook folder (default: playbook)")
    validate.add_argument("--docs", default="docs",
                          help="the site's docs folder, where relative asset links point (default: docs, if present)")
    render = commands.add_parser("render", help="write the generated pages as Markdown files")
    render.add_argument("outdir", help="folder to write the pages into")
    render.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    render.add_argument("--docs", default="docs",
                        help="hand-written pages to copy alongside, with the overview filled in (default: docs)")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(Path(args.dir), _folder(args.docs))
    return _render(Path(args.playbook), Path(args.outdir), _folder(args.docs))


def _folder(path: str) -> Path | None:
    """The docs folder, or None where there is none (relative asset links are then not checked)."""
    return Path(path) if Path(path).is_dir() else None


def _validate(root: Path, docs: Path | None) -> int:
    loaded, problems = check(root, docs)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {display_path(root)}; "
              "fix them and run again.", file=sys.stderr)
        return 1
    counts = build_model(loaded).counts()
    print(f"{display_path(root)}: {loaded.file_count} files checked, no problems: "
          + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")
    return 0


def _render(root: Path, outdir: Path, docs: Path | None) -> int:
    try:
        playbook = build_playbook(root, docs)
    except PlaybookError as err:
        print(err.report(), file=sys.stderr)
        return 1
    pages = render_pages(playbook)
    written = 0
    if docs is not None:
        for source in sorted(p for p in docs.rglob("*") if p.is_file()):
            uri = source.relative_to(docs).as_posix()
            target = outdir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix == ".md":
                target.write_text(expand_markers(source.read_text(encoding="utf-8"), playbook, uri), encoding="utf-8")
            else:
                shutil.copyfile(source, target)
            written += 1
    if not (outdir / "index.md").exists():
        pages["index.md"] = render_home(playbook)
    for uri, markdown in pages.items():
        target = outdir / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        written += 1
    print(f"{written} files written to {display_path(outdir)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
