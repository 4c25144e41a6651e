"""`playbook init DIR` starts a repository another company can use at once: its playbook validates,
its site builds strictly, its workflows pass zizmor, every YAML file names its schema by a path
that resolves; and neither `init` nor `playbook schemas` ever overwrites a file."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from generator.commands import init
from generator.source.loader import KINDS
from generator.source.schemas import schema_files

BIN = Path(sys.executable).parent
PLAYBOOK = str(BIN / "playbook")
STARTER = REPO / "generator" / "commands" / "starter"
# The repository's own workflows install the tools from its tree; a new repository's install the
# version its requirements.txt names. Nothing else differs.
WORKFLOW_CHANGES = {
    "pages.yml": [
        ("cache-dependency-path: pyproject.toml", "cache-dependency-path: requirements.txt"),
        ("run: python -m pip install -e .", "run: python -m pip install -r requirements.txt"),
    ],
    "pull-request.yml": [
        ("#   tools from the pull request's tree and builds", "#   tools its requirements.txt names and builds"),
        ("#   pull request can change generator/ and schemas/, the very code that compares, validates and\n"
         "#   checks the sign-off,",
         "#   pull request can change requirements.txt, and with it the very code that compares, validates\n"
         "#   and checks the sign-off,"),
        ("#   and installed from there;", "#   and its tools installed;"),
        ("cache-dependency-path: pyproject.toml", "cache-dependency-path: requirements.txt"),
        ("run: python -m pip install -e .", "run: python -m pip install -r requirements.txt"),
        ("      # A regular install, not an editable one: nothing in pr/ is ever installed or run.",
         "      # The tools the base branch's requirements.txt names: nothing in pr/ is ever installed or run."),
        ("run: python -m pip install ./base", "run: python -m pip install -r base/requirements.txt"),
    ],
}
SETTINGS = ["playbook/playbook.yaml", "playbook/stages/discovery.yaml", "playbook/lifecycle/lead.yaml",
            "playbook/lifecycle/opportunity.yaml", "playbook/handoffs/lead-to-opportunity.yaml"]
WRITTEN = sorted([*SETTINGS, "mkdocs.yml", "docs/index.md", "README.md", "requirements.txt", ".gitignore",
                  ".github/workflows/pull-request.yml", ".github/workflows/pages.yml", ".github/CODEOWNERS",
                  ".pre-commit-config.yaml", ".vscode/settings.json", ".vscode/extensions.json",
                  *[f"schemas/{name}" for name in schema_files()]])


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A console script of the installed package, with no terminal: nothing is asked."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([*args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env,
                          stdin=subprocess.DEVNULL)


def files_in(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


@pytest.fixture(scope="module")
def acme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository made by `playbook init acme`, with a name that needs quoting in YAML."""
    where = tmp_path_factory.mktemp("init")
    result = run(PLAYBOOK, "init", "acme", "--company", "Acme: O'Neil & Co. #1", "--sales-lead", "Sam Seller",
                 "--marketing-lead", "Mia Marketer", "--github-org", "acme-anvils", cwd=where)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{len(WRITTEN)} files written to acme.")
    return where / "acme"


def test_init_writes_every_file_of_a_working_repository(acme: Path) -> None:
    assert files_in(acme) == WRITTEN
    settings = yaml.safe_load((acme / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))
    assert settings["company"]["name"] == "Acme: O'Neil & Co. #1"
    assert settings["site_name"] == "Acme: O'Neil & Co. #1 Sales Playbook"
    assert settings["teams"]["sales"]["reviewers"] == ["@acme-anvils/sales"]
    for name, text in schema_files().items():
        assert (acme / "schemas" / name).read_text(encoding="utf-8") == text
    assert "<!-- playbook:overview -->" in (acme / "docs" / "index.md").read_text(encoding="utf-8")
    config = yaml.safe_load((acme / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material" and config["strict"] is True
    assert [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]] == ["search", "playbook"]
    assert config["validation"]["anchors"] == "warn"
    requirement = (acme / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement == init.requirement()
    hooks = yaml.safe_load((acme / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["additional_dependencies"] == [requirement]


def test_every_yaml_file_names_its_schema_by_a_path_that_resolves(acme: Path) -> None:
    for name in SETTINGS:
        path = acme / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), name
        kind = "playbook" if path.name == "playbook.yaml" else KINDS[path.parent.name]
        assert (path.parent / first.split("$schema=", 1)[1]).resolve() == (acme / "schemas" /
                                                                            f"{kind}.schema.json").resolve()
    mapping = json.loads((acme / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for schema, pattern in mapping.items():
        assert (acme / schema).is_file(), schema
        assert list(acme.glob(pattern)) or pattern.split("/")[1] in ("terms", "personas", "assets", "metrics"), pattern


def test_the_new_playbook_validates_and_its_site_builds_strictly(acme: Path) -> None:
    validated = run(PLAYBOOK, "validate", cwd=acme)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "5 files checked, no problems: 1 stage, 2 lifecycle states, 1 handoff" in validated.stdout
    assert "warning" not in validated.stdout
    owners = run(PLAYBOOK, "codeowners", "--check", cwd=acme)
    assert owners.returncode == 0, owners.stdout + owners.stderr
    built = run(str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(acme.parent / "site"), cwd=acme)
    assert built.returncode == 0, built.stderr
    site = acme.parent / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert ">Acme: O'Neil &amp; Co. #1 Sales Playbook<a class=\"headerlink\"" in home
    assert (site / "stages" / "discovery" / "index.html").is_file()
    # The schemas at a stable address, as the repository has them.
    for name, text in schema_files().items():
        assert (site / "schemas" / name).read_text(encoding="utf-8") == text


def test_the_new_workflows_pass_zizmor_and_give_no_write_token_to_pull_request_code(acme: Path) -> None:
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-config", "--no-ignores", "--format", "json",
                             ".github/workflows"], cwd=acme, capture_output=True, text=True, timeout=300)
    assert json.loads(result.stdout or "[]") == [], result.stdout
    workflow = yaml.safe_load((acme / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"] == {}
    for name in ("build", "signoff"):
        assert "write" not in workflow["jobs"][name]["permissions"].values(), name
    assert not any("checkout" in str(step.get("uses", "")) for step in workflow["jobs"]["comment"]["steps"])


@pytest.mark.parametrize("name", sorted(WORKFLOW_CHANGES))
def test_the_new_workflows_are_the_repository_own_but_for_the_install(name: str) -> None:
    text = (REPO / ".github" / "workflows" / name).read_text(encoding="utf-8")
    for old, new in WORKFLOW_CHANGES[name]:
        assert text.count(old) == 1, f"{name}: {old!r}: change generator/commands/starter/dot-github too"
        text = text.replace(old, new)
    assert (STARTER / "dot-github" / "workflows" / name).read_text(encoding="utf-8") == text, (
        f"{name} changed: make generator/commands/starter/dot-github/workflows/{name} the same")


def test_init_overwrites_nothing(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    (target / "playbook").mkdir(parents=True)
    (target / "README.md").write_text("ours\n", encoding="utf-8")
    (target / "mkdocs.yml").symlink_to(tmp_path / "nowhere.yml")  # a broken link counts as there
    result = run(PLAYBOOK, "init", "acme", cwd=tmp_path)
    assert result.returncode == 1
    assert "2 files already there: README.md, mkdocs.yml; nothing was written" in result.stderr
    assert files_in(target) == ["README.md"] and not (target / "playbook" / "playbook.yaml").exists()
    skipped = run(PLAYBOOK, "init", "acme", "--skip-existing", cwd=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert f"{len(WRITTEN) - 2} files written to acme; 2 already there, left as they were." in skipped.stdout
    assert (target / "README.md").read_text(encoding="utf-8") == "ours\n"
    assert (target / "mkdocs.yml").is_symlink() and not (tmp_path / "nowhere.yml").exists()
    again = run(PLAYBOOK, "init", "acme", cwd=tmp_path)
    assert again.returncode == 1 and f"{len(WRITTEN)} files already there" in again.stderr
    assert f"and {len(WRITTEN) - 20} more; nothing was written" in again.stderr


def test_a_name_that_cannot_be_used_is_refused(tmp_path: Path) -> None:
    result = run(PLAYBOOK, "init", "acme", "--github-org", "acme/sales", cwd=tmp_path)
    assert result.returncode == 2 and "not an organisation on GitHub" in result.stderr
    result = run(PLAYBOOK, "init", "acme", "--company", "Acme\x07", cwd=tmp_path)
    assert result.returncode == 2 and "company" in result.stderr
    assert not (tmp_path / "acme").exists()


def test_missing_names_are_asked_for_in_a_terminal(tmp_path: Path) -> None:
    args = argparse.Namespace(company=None, site_name="Our Playbook", product=None, sales_lead=None,
                              marketing_lead=None, github_org=None)
    asked: list[str] = []
    answers = {"Company": "Globex", "Who leads sales": "Hank Scorpio"}

    def ask(question: str, default: str) -> str:
        asked.append(f"{question} [{default}]")
        return answers.get(question, "")

    names = init._names(args, tmp_path / "globex", ask)
    assert asked == ["Company [Globex]", "Product [Globex]", "Who leads sales [Head of Sales]",
                     "Who leads marketing [Head of Marketing]", "GitHub organisation [globex]"]
    assert (names["COMPANY"], names["SITE_NAME"], names["SALES_LEAD"]) == ("Globex", "Our Playbook", "Hank Scorpio")
    assert init._names(args, tmp_path / "globex", None)["SALES_LEAD"] == "Head of Sales"


def test_schemas_writes_them_anywhere_and_replaces_them_only_when_told(tmp_path: Path) -> None:
    result = run(PLAYBOOK, "schemas", "out/schemas", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "out" / "schemas"
    assert files_in(written) == sorted(schema_files())
    (written / "asset.schema.json").write_text("{}", encoding="utf-8")
    again = run(PLAYBOOK, "schemas", "out/schemas", cwd=tmp_path)
    assert again.returncode == 1 and f"{len(schema_files())} files already there" in again.stderr
    assert (written / "asset.schema.json").read_text(encoding="utf-8") == "{}"
    forced = run(PLAYBOOK, "schemas", "out/schemas", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    schema: Any = json.loads((written / "asset.schema.json").read_text(encoding="utf-8"))
    assert "talking_points" in schema["properties"]
