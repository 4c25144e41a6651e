"""The commands `playbook export` and `playbook crm-check`: reading their arguments, checking the
playbook first, writing the export, printing what was found.

`playbook export [--format json|csv|salesforce|hubspot] [--playbook DIR] OUT`

- json (the default): one file, OUT, or `-` for standard output.
- csv: the folder OUT gets one file per kind and crm.csv.
- salesforce, hubspot: the folder OUT gets the picklists in the CRM's own shape, to deploy.

What they hold is described in model/export.py, which makes json and csv, and in crm_export.py.
Either way the playbook is checked first, as `playbook validate` checks it, and nothing is written when it has problems.
Files are written beside their target and renamed into place once complete, so a failed export
leaves the old one as it was; a link is never written through.

`playbook crm-check PICKLIST [--playbook DIR]` compares the lifecycle states' CRM values with
the CRM's: a picklist CSV, or the CRM's own files (crm_formats.py tells them apart and reads
them); what is reported is described in crm.py, which makes the comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..model.export import checked, csv_files, export_data, in_order, json_text
from ..rules.freshness import TodayError
from ..source.filepaths import display_path, within
from ..source.loader import LoadedPlaybook
from ..source.problems import PlaybookError, printable
from .crm import PicklistError, compare, state_field
from .crm_export import API_VERSION, CrmExportError, hubspot_files, salesforce_files
from .crm_formats import read_crm

_LABELS = {"stages": "stages", "lifecycle": "lifecycle states", "handoffs": "handoffs", "terms": "terms",
           "personas": "personas", "assets": "assets", "metrics": "metrics"}


class ExportError(Exception):
    """The export cannot be written; the message is one line saying what to do."""


# The command line --------------------------------------------------------------------------------


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` and `crm-check` to the `playbook` command."""
    export = commands.add_parser("export", help="write the playbook as JSON or CSV, for the CRM and other tools")
    export.add_argument("out", metavar="OUT",
                        help="the JSON file to write (- for standard output), or with --format csv, salesforce or "
                             "hubspot the folder for the files")
    export.add_argument("--format", choices=("json", "csv", "salesforce", "hubspot"), default="json",
                        help="json: one file, every entry as written (default); csv: one file per kind; "
                             "salesforce: StandardValueSet metadata and package.xml; hubspot: property and "
                             "deal pipeline JSON")
    export.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    export.set_defaults(run=run_export)
    crm = commands.add_parser("crm-check", help="compare the lifecycle states' CRM values with the CRM's "
                                                "picklists")
    crm.add_argument("picklist", metavar="PICKLIST",
                     help="the CRM's picklist values: a CSV with the columns object,field,value; a Salesforce "
                          "picklist report CSV; Salesforce StandardValueSet XML files or their folder; HubSpot "
                          "property or deal pipeline JSON")
    crm.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    crm.set_defaults(run=run_crm_check)


def run(args: argparse.Namespace) -> int:
    """Run `export` or `crm-check`, whichever args name."""
    return run_crm_check(args) if args.command == "crm-check" else run_export(args)


def run_export(args: argparse.Namespace) -> int:
    """`playbook export`: 0 when written, 1 with one line per problem otherwise."""
    root, out = Path(args.playbook), str(args.out)
    if out == "-" and args.format == "csv":
        return _fail("-: CSV is written as one file per kind: name a folder to write them into")
    if out == "-" and args.format != "json":
        return _fail(f"-: {args.format} is written as several files: name a folder to write them into")
    loaded = _checked_or_report(root)
    if loaded is None:
        return 1
    if args.format in ("salesforce", "hubspot"):
        return _export_crm(loaded, root, Path(out), args.format)
    data = export_data(loaded)
    try:
        if out == "-":
            sys.stdout.write(json_text(data))
            return 0
        files = {Path(out): json_text(data)} if args.format == "json" else \
            {Path(out) / name: text for name, text in csv_files(data).items()}
        _write(Path(out), files, root, folder=args.format == "csv")
    except ExportError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"{display_path(Path(out))}: {err.strerror or err}")
    counts = ", ".join(f"{len(data[key])} {label}" for key, label in _LABELS.items())
    print(printable(f"{display_path(root)} exported to {display_path(Path(out))} as {args.format}: {counts}."))
    return 0


def _export_crm(loaded: LoadedPlaybook, root: Path, out: Path, vendor: str) -> int:
    """`playbook export --format salesforce|hubspot`: the picklists in the CRM's shape (crm_export.py)."""
    states = in_order(loaded.documents["lifecycle"], "lifecycle")
    categories = _categories(loaded)
    try:
        made = (salesforce_files if vendor == "salesforce" else hubspot_files)(states, categories)
        _write(out, {out / name: text for name, text in made.items()}, root, folder=True)
    except (CrmExportError, ExportError) as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"{display_path(out)}: {err.strerror or err}")
    version = f" (API version {API_VERSION})" if vendor == "salesforce" else ""
    print(printable(f"{display_path(root)} exported to {display_path(out)} as {vendor}{version}: "
                    f"{', '.join(sorted(made))}."))
    return 0


def _categories(loaded: LoadedPlaybook) -> list[dict[str, Any]]:
    assert loaded.settings is not None, "checked: a missing playbook.yaml is an error"
    return list(loaded.settings.data.get("forecast_categories") or [])


def run_crm_check(args: argparse.Namespace) -> int:
    """`playbook crm-check`: 0 when the picklist matches, 1 with one line per difference otherwise."""
    root, picklist = Path(args.playbook), Path(args.picklist)
    loaded = _checked_or_report(root)
    if loaded is None:
        return 1
    try:
        read = read_crm(picklist)
    except PicklistError as err:
        return _fail(str(err))
    every = in_order(loaded.documents["lifecycle"], "lifecycle")
    # The CRM's own files hold only their own fields: only the states of those are compared.
    states = [doc for doc in every if read.fields is None or state_field(doc) in read.fields]
    findings = sorted(read.findings + compare(every, read.rows, display_path(picklist), _categories(loaded),
                                              read.fields))
    for error in read.errors:
        print(printable(error))
    for finding in findings:
        print(finding)
    if findings or read.errors:
        return _fail(f"{_count(len(findings) + len(read.errors), 'difference')} between {display_path(root)} and "
                     f"{display_path(picklist)}; fix them and run again.")
    if not states:
        return _fail(f"{display_path(picklist)}: holds no field a lifecycle state of {display_path(root)} names "
                     "(lead status, opportunity stage, lifecycle stage): give the files of those fields")
    fields = {state_field(doc) for doc in states}
    print(printable(f"{display_path(picklist)} matches {display_path(root)}: {_count(len(states), 'lifecycle state')}"
                    f", {_count(len(fields), 'CRM field')}, no value missing, extra or inactive"
                    + (", no label, probability or forecast category different." if read.fields is not None else ".")))
    return 0


def _fail(message: str) -> int:
    print(printable(message), file=sys.stderr)
    return 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _checked_or_report(root: Path) -> LoadedPlaybook | None:
    """The checked playbook, or None once its problems are printed as `playbook render` prints them."""
    try:
        return checked(root)
    except PlaybookError as err:
        print(err.report(), file=sys.stderr)
    except TodayError as err:
        print(printable(str(err)), file=sys.stderr)
    return None

# Writing -----------------------------------------------------------------------------------------


def _write(out: Path, files: dict[Path, str], root: Path, folder: bool) -> None:
    """Write every file beside its target, then rename each into place: a failure while writing
    leaves every old file as it was. Never writes through a link or into the playbook folder."""
    shown = display_path(out)
    if out.is_symlink():
        raise ExportError(f"{shown}: is a link; name a {'folder' if folder else 'file'} that is not a link")
    if within(Path(os.path.realpath(out)), root.resolve()):
        raise ExportError(f"{shown}: is inside the playbook folder {display_path(root)}, which would then fail "
                          "its checks; write the export elsewhere")
    if folder:
        _make_folder(out)
        for parent in sorted({target.parent for target in files} - {out}):
            if parent.is_symlink() or (parent.exists() and not parent.is_dir()):
                raise ExportError(f"{display_path(parent)}: is a link or a file; remove it or write the export "
                                  "elsewhere")
            parent.mkdir(exist_ok=True)
    elif out.is_dir():
        raise ExportError(f"{shown}: is a folder; name a file such as playbook.json (a folder takes --format csv)")
    elif not out.parent.is_dir():
        raise ExportError(f"{shown}: the folder {display_path(out.parent)} does not exist; make it or name another")
    for target in files:
        if target.is_symlink() or target.is_dir():
            raise ExportError(f"{display_path(target)}: is a {'link' if target.is_symlink() else 'folder'}; "
                              "remove it or write the export elsewhere")
    temps = _write_temps(files, shown)
    for target, temp in temps.items():
        try:
            os.replace(temp, target)
        except OSError as err:
            _remove_all(temps.values())
            raise ExportError(f"{display_path(target)}: could not be put in place ({err.strerror or err}); "
                              "check the folder's permissions and run again") from None


def _make_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{display_path(out)}: is a file; name a folder for the CSV files")
    if not out.parent.is_dir():
        raise ExportError(f"{display_path(out)}: the folder {display_path(out.parent)} does not exist; "
                          "make it or name another")
    out.mkdir(exist_ok=True)


def _write_temps(files: dict[Path, str], shown: str) -> dict[Path, str]:
    """Target -> a complete temporary file beside it; on failure none is left and nothing is changed."""
    temps: dict[Path, str] = {}
    mode = 0o666 & ~_umask()
    try:
        for target, text in files.items():
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps[target] = temp
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            os.chmod(temp, mode)  # mkstemp makes it private; the export is as readable as any file written
    except OSError as err:
        _remove_all(temps.values())
        raise ExportError(f"{shown}: could not be written ({err.strerror or err}); nothing was changed") from None
    return temps


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_all(paths: Iterable[str]) -> None:
    for path in paths:
        if os.path.lexists(path):
            os.unlink(path)
