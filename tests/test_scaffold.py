"""`playbook new KIND ID`: a new file per kind, written from the schema, that fails validation only on
its placeholders, validates once they are filled in, and is refused where it must not be written."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO

from generator.commands import scaffold
from generator.source.loader import KINDS
from generator.source.schemas import ID_PATTERN

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>[^:]+): (?P<message>.+) "
                     r"\[(?P<rule>[a-z0-9-]+)\]$")
FOLDERS = {kind: folder for folder, kind in KINDS.items()}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def schema_of(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the mini playbook in a folder of its own, as the working folder."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    return tmp_path


def placeholder_lines(text: str) -> list[int]:
    """Lines holding a placeholder: an empty value marked `# TODO`, or the value TODO itself."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        code = line.split("#", 1)[0].rstrip()
        if line.rstrip().endswith("# TODO") or re.search(r"(:|^\s*-) TODO$", code):
            found.append(number)
    return found


def problems_of(output: str) -> list[dict[str, str]]:
    lines = output.splitlines()
    parsed = [PROBLEM.match(line) for line in lines]
    assert all(parsed), output
    return [m.groupdict() for m in parsed if m]


# ---------------------------------------------------------------- filling in the placeholders


def resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def valid_value(schema: dict[str, Any], root: dict[str, Any], fixture: Any, where: str) -> Any:
    """A value the schema allows. References and closed lists take the mini fixture's value at the
    same place, so the entry fits the rest of the playbook; text and numbers are made up."""
    schema = resolve(schema, root)
    kind = schema.get("type")
    if "enum" in schema or "pattern" in schema:
        if fixture is not None:
            return fixture
        assert "enum" in schema and schema.get("pattern") != ID_PATTERN, f"no fixture value for {where}"
        return schema["enum"][0]
    if kind == "object":
        fixture = fixture if isinstance(fixture, dict) else {}
        required = schema.get("required", [])
        if where.endswith("agreed_by"):  # a name for each signing team, which the schema cannot list
            required = [*fixture.keys()]
        return {name: valid_value(schema["properties"][name], root, fixture.get(name), f"{where}.{name}")
                for name in required}
    if kind == "array":
        fixture = fixture if isinstance(fixture, list) and fixture else [None]
        return [valid_value(schema["items"], root, item, f"{where}[{i}]") for i, item in enumerate(fixture)]
    if kind == "integer":
        # Not the fixture's own number: orders must differ from the other entries'.
        return min(schema.get("minimum", 1) + 10, schema.get("maximum", 1000))
    if kind == "number":
        return 12.5
    if schema.get("format") == "date":
        return str(fixture or "2027-03-31")
    assert kind == "string", where
    if ".agreed_by." in f".{where}." and isinstance(fixture, str):
        return fixture  # a person listed for the team in playbook.yaml: an invented name cannot sign
    return f"Filled in by the test at {where.lstrip('.')}."


def at(data: Any, path: str) -> Any:
    for key, index in re.findall(r"([A-Za-z0-9_-]+)|\[(\d+)\]", path):
        data = data[int(index)] if index else data[key]
    return data


def fill_in(text: str, problems: list[dict[str, str]], filled: dict[str, Any]) -> str:
    """The new file with a value written in place of each placeholder, where validate located it,
    keeping every comment, as someone filling in the file would."""
    lines = text.splitlines()
    extra: dict[int, list[str]] = {}
    for problem in problems:
        number = int(problem["line"])
        code = lines[number - 1].split("#", 1)[0].rstrip()
        code = code.removesuffix("TODO").rstrip()
        lines[number - 1] = f"{code} {json.dumps(at(filled, problem['path']))}"
        path = problem["path"]
        if path.endswith("[0]"):  # a list the fixture has more entries in: the others below it
            more = at(filled, path[:-3])[1:]
            dash = code[: code.index("-")]
            extra[number] = [f"{dash}- {json.dumps(item)}" for item in more]
    for number in sorted(extra, reverse=True):
        lines[number:number] = extra[number]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("kind", list(KINDS.values()))
def test_new_file_fails_only_on_its_placeholders_then_validates(kind: str, project: Path) -> None:
    entry = f"new-{kind}"
    result = run("new", kind, entry, cwd=project)
    assert result.returncode == 0, result.stderr
    written = project / "playbook" / FOLDERS[kind] / f"{entry}.yaml"
    text = written.read_text(encoding="utf-8")
    marks = placeholder_lines(text)
    shown = f"playbook/{FOLDERS[kind]}/{entry}.yaml"
    assert result.stdout == (f"{shown} written: fill in the {len(marks)} field{'s' if len(marks) != 1 else ''} "
                             "marked TODO, then run playbook validate\n")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    assert f"\nid: {entry}\n" in text

    report = run("validate", "playbook", cwd=project)
    assert report.returncode == 1
    problems = problems_of(report.stdout)
    # One located problem per placeholder, on its line, in the new file only, in plain words.
    assert {p["file"] for p in problems} == {shown}
    assert [int(p["line"]) for p in problems] == marks
    for problem in problems:
        line = text.splitlines()[int(problem["line"]) - 1]
        assert problem["message"] == "is empty: give a value" or problem["message"].startswith(
            "'TODO' is not one of: "), problem
        last = re.findall(r"[A-Za-z_]+", problem["path"])[-1]
        assert f"{last}:" in line or line.lstrip().startswith("-"), (problem, line)

    fixture_file = sorted((FIXTURES / "mini" / FOLDERS[kind]).glob("*.yaml"))[0]
    fixture = yaml.safe_load(fixture_file.read_text(encoding="utf-8"))
    schema = schema_of(kind)
    filled = {"id": entry, **{name: valid_value(schema["properties"][name], schema, fixture.get(name), name)
                              for name in schema["required"] if name != "id"}}
    if kind == "lifecycle":
        # A new state must also join the funnel: reached from lead, and leading back to it (the
        # same team, so no handoff is needed between them).
        filled["next_states"] = ["lead"]
        lead = project / "playbook" / "lifecycle" / "lead.yaml"
        lead.write_text(lead.read_text(encoding="utf-8").replace("next_states: [won]",
                                                                 f"next_states: [won, {entry}]"), encoding="utf-8")
    written.write_text(fill_in(text, problems, filled), encoding="utf-8")
    after = run("validate", "playbook", cwd=project)
    assert after.returncode == 0, after.stdout + after.stderr + written.read_text(encoding="utf-8")
    assert "no problems" in after.stdout
    assert yaml.safe_load(written.read_text(encoding="utf-8")) == json.loads(json.dumps(filled))


@pytest.mark.parametrize("kind", list(KINDS.values()))
def test_every_field_of_the_schema_is_in_the_new_file(kind: str) -> None:
    """Required fields to fill in, optional ones commented out, each under its description."""
    text, marks = scaffold.scaffold(kind, "x", "# first line")
    lines = text.splitlines()
    schema = schema_of(kind)
    for name, prop in schema["properties"].items():
        optional = name not in schema["required"]
        key = f"# {name}:" if optional else f"{name}:"
        found = [i for i, line in enumerate(lines) if line == key or line.startswith(key + " ")]
        assert len(found) == 1, (name, text)
        described = resolve(prop, schema)["description"].split()[:3]
        above = " ".join(" ".join(lines[max(0, found[0] - 6):found[0]]).replace("#", " ").split())
        wanted = " ".join(w for w in described if w != "Optional:").lower()
        assert wanted in above.replace("Optional: ", "").lower(), (name, above)
    assert marks == len(placeholder_lines(text))


def test_a_field_added_to_a_schema_appears_without_other_changes() -> None:
    schema = schema_of("asset")
    schema["properties"]["region"] = {"type": "string", "enum": ["emea", "americas"],
                                      "description": "Where the asset may be used."}
    schema["properties"]["approval"] = {
        "type": "object", "additionalProperties": False, "required": ["by"],
        "description": "Who approved the asset.",
        "properties": {"by": {"$ref": "#/$defs/team", "description": "The approving team."},
                       "note": {"type": "string", "description": "A note on the approval."}}}
    schema["properties"]["notes"] = {"type": "array", "items": {"type": "string", "description": "One note."},
                                     "description": "Notes for reps."}
    schema["required"] += ["region", "approval"]
    text, _ = scaffold.scaffold("asset", "x", "# first line", schema)
    assert "# Where the asset may be used. One of: emea, americas.\nregion: TODO\n" in text
    assert ("# Who approved the asset.\napproval:\n  # The approving team.\n"
            "  by:  # TODO\n  # Optional: a note on the approval.\n  # note:\n") in text
    assert "# Optional: notes for reps.\n# notes:\n#   -  # One note.\n" in text


@pytest.mark.parametrize("folder", list(KINDS))
def test_the_folder_name_is_accepted_for_the_kind(folder: str, project: Path) -> None:
    result = run("new", folder, "from-folder-name", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "playbook" / folder / "from-folder-name.yaml").is_file()


def test_a_new_folder_is_made_and_the_schema_line_points_to_the_nearest_schemas(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "repo" / "schemas")
    shutil.copytree(FIXTURES / "mini", tmp_path / "repo" / "content" / "playbook")
    shutil.rmtree(tmp_path / "repo" / "content" / "playbook" / "metrics")
    result = run("new", "metric", "pipeline", "--playbook", "repo/content/playbook", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("then run playbook validate repo/content/playbook\n")
    written = tmp_path / "repo" / "content" / "playbook" / "metrics" / "pipeline.yaml"
    first = written.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/metric.schema.json"
    assert (written.parent / first.split("$schema=")[1]).resolve() == tmp_path / "repo" / "schemas" / (
        "metric.schema.json")


@pytest.mark.parametrize("entry", ["Bad", "bad_id", "-bad", "bad-", "a--b", "", "a b", "../escape", "x\n",
                                   "x.yaml", "caf\u00e9"])
def test_an_invalid_id_is_refused(entry: str, project: Path) -> None:
    before = sorted(project.rglob("*"))
    result = run("new", "term", "--", entry, cwd=project)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "is not a valid id: use lower-case letters, digits and single hyphens" in result.stderr
    assert result.stderr.rstrip("\n").endswith("; nothing was written")
    assert sorted(project.rglob("*")) == before


def test_an_existing_file_is_never_overwritten(project: Path) -> None:
    existing = project / "playbook" / "terms" / "lead.yaml"
    before = existing.read_bytes()
    result = run("new", "term", "lead", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("playbook new: playbook/terms/lead.yaml already exists: edit it, or choose another id; "
                             "nothing was written\n")
    assert existing.read_bytes() == before


def test_a_link_with_the_new_files_name_is_not_followed(project: Path) -> None:
    link = project / "playbook" / "terms" / "ghost.yaml"
    link.symlink_to(project / "elsewhere.yaml")
    result = run("new", "term", "ghost", cwd=project)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert not (project / "elsewhere.yaml").exists()


def test_a_folder_linked_out_of_the_playbook_is_refused(project: Path) -> None:
    outside = project / "outside"
    outside.mkdir()
    shutil.rmtree(project / "playbook" / "assets")
    (project / "playbook" / "assets").symlink_to(outside, target_is_directory=True)
    result = run("new", "asset", "leak", cwd=project)
    assert result.returncode == 1
    assert result.stderr == ("playbook new: playbook/assets is a link to a folder outside the playbook: replace "
                             "the link with the folder itself; nothing was written\n")
    assert list(outside.iterdir()) == []


def test_a_folder_linked_inside_the_playbook_is_used(project: Path) -> None:
    shutil.move(project / "playbook" / "assets", project / "playbook" / "stages" / "kept")
    (project / "playbook" / "assets").symlink_to(Path("stages") / "kept", target_is_directory=True)
    result = run("new", "asset", "inside", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "playbook" / "stages" / "kept" / "inside.yaml").is_file()


def test_a_missing_playbook_folder_is_refused(tmp_path: Path) -> None:
    result = run("new", "term", "mql", "--playbook", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "nowhere is not a playbook folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_kind_is_a_usage_error(project: Path) -> None:
    result = run("new", "widget", "x", cwd=project)
    assert result.returncode == 2
    assert result.stderr == ("playbook new: 'widget' is not a kind of entry: use one of stage, lifecycle, handoff, "
                             "term, persona, asset, metric\n")


def test_new_is_listed_in_the_help() -> None:
    result = run("--help", cwd=REPO)
    assert result.returncode == 0
    assert re.search(r"^\s+new\s+start a new playbook file", result.stdout, re.M), result.stdout
    usage = run("new", "--help", cwd=REPO)
    assert "KIND" in usage.stdout and "ID" in usage.stdout and "--playbook DIR" in usage.stdout


def test_output_is_one_printable_line(project: Path) -> None:
    result = run("new", "term", "a\x1b[2Jb", cwd=project)
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\\e" in result.stderr
    assert os.listdir(project / "playbook" / "terms") == os.listdir(FIXTURES / "mini" / "terms")
