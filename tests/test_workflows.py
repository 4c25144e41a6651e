"""The GitHub workflows, held to GitHub's guidance for untrusted pull requests ("Preventing pwn
requests"): the job that runs a pull request's code can only read; the sign-off is judged by the
base branch's code, with the pull request's files read as data; the one job that may write checks
nothing out and runs nothing. zizmor audits both workflows offline, every action is pinned to a
commit, and the scripts that carry the change to the comment are run here, in bash and in Node."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
import yaml
from cmarkgfm.cmark import Options
from conftest import REPO

BIN = Path(sys.executable).parent
WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PAGES = WORKFLOWS / "pages.yml"
BASE_SHA = "${{ github.event.pull_request.base.sha }}"
HEAD_SHA = "${{ github.event.pull_request.head.sha }}"
MARKER = "<!-- playbook-diff -->"
NOTICE = "… cut short here: the whole change is in the run's summary."
GITHUB_COMMENT_LIMIT = 65_536


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[Any, Any]) -> Any:
    # YAML 1.1 reads the key `on` as true.
    return workflow.get("on", workflow.get(True))


def jobs(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = load(path)["jobs"]
    return found


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def step_named(job: dict[str, Any], start: str) -> dict[str, Any]:
    found = [step for step in job["steps"] if step.get("name", "").startswith(start)]
    assert len(found) == 1, (start, [step.get("name") for step in job["steps"]])
    return found[0]


def checkouts(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [step.get("with", {}) for step in job["steps"] if uses(step) == "actions/checkout"]


def inside(folder: str, checkout: str) -> bool:
    folder, checkout = os.path.normpath(folder), os.path.normpath(checkout)
    return checkout == "." or folder == checkout or folder.startswith(checkout + "/")


def installs_from(job: dict[str, Any]) -> Iterator[str]:
    """The folder, relative to the workspace, of each `pip install` in the job's scripts."""
    for step in job["steps"]:
        for line in str(step.get("run", "")).splitlines():
            words = line.split()
            if "pip" in words and "install" in words:
                targets = [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
                assert len(targets) == 1, line
                yield os.path.normpath(os.path.join(step.get("working-directory", "."), targets[0]))


def runs_pull_request_code(job: dict[str, Any]) -> bool:
    """Whether the job installs, and so runs, code from a checkout of the pull request: any
    checkout but the base branch's (the default one, on pull_request, is the pull request)."""
    trees = [c.get("path", ".") for c in checkouts(job) if c.get("ref") != BASE_SHA]
    return any(inside(target, tree) for target in installs_from(job) for tree in trees)


# ---------------------------------------------------------------- zizmor


def zizmor(*inputs: Path, cwd: Path = REPO) -> tuple[list[dict[str, Any]], str]:
    """zizmor's findings at its default persona, offline, with no configuration or ignore comment
    able to hide one; and its log, which names each file it audited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GH_", "GITHUB_", "ZIZMOR_"))}
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-config", "--no-ignores", "--format", "json",
                             *map(str, inputs)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 or 10 <= result.returncode <= 14, result.stderr  # 10-14: findings; 1, 2: failed
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    assert (result.returncode == 0) == (not findings), (result.returncode, result.stdout)
    return findings, result.stderr


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    findings, log = zizmor(WORKFLOWS.relative_to(REPO))
    audited = re.findall(r"completed (\S+\.ya?ml)", log)
    assert sorted(audited) == [".github/workflows/pages.yml", ".github/workflows/pull-request.yml"], log
    assert findings == [], json.dumps(findings, indent=1)[:4000]


def test_zizmor_finds_write_permissions_for_every_job_and_an_action_pinned_to_a_tag(tmp_path: Path) -> None:
    """The audit above can fail: the old shape of the workflow, write permission granted to every
    job and an action pinned to a tag, is reported."""
    text = PULL_REQUEST.read_text(encoding="utf-8")
    pinned = re.search(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", text)
    assert pinned and "permissions: {}\n" in text
    build_permissions = "    permissions:\n      contents: read # to check out the pull request, and nothing else\n"
    assert text.count(build_permissions) == 1
    bad = (text.replace("permissions: {}\n", "permissions:\n  contents: read\n  pull-requests: write\n", 1)
               .replace(build_permissions, "")
               .replace(pinned.group(0), "actions/checkout@v4", 1))
    (tmp_path / "pull-request.yml").write_text(bad, encoding="utf-8")
    findings, log = zizmor(tmp_path / "pull-request.yml", cwd=tmp_path)
    assert "pull-request.yml" in log
    found = {(f["ident"], f["determinations"]["severity"]) for f in findings}
    assert ("excessive-permissions", "High") in found, found
    assert ("unpinned-uses", "High") in found, found
    features = [loc["concrete"]["feature"] for f in findings for loc in f["locations"]]
    assert any("pull-requests: write" in feature for feature in features), features
    assert any("actions/checkout@v4" in feature for feature in features), features


# ---------------------------------------------------------------- every action pinned


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")
PINNED = re.compile(r"^([\w.-]+/[\w.-]+(?:/[\w./-]+)?)@([0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s+# (v\d+(?:\.\d+){0,2})$")


@pytest.mark.parametrize("path", [PULL_REQUEST, PAGES], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    """Tags can be moved; a commit cannot. Each `uses:` names a full commit and, in a comment, the
    release it is (read from the raw text: YAML drops comments)."""
    lines = [m for line in path.read_text(encoding="utf-8").splitlines() if (m := USES.match(line))]
    assert len(lines) == sum(1 for job in jobs(path).values() for step in job["steps"] if "uses" in step)
    assert lines
    for match in lines:
        pin, comment = PINNED.match(match.group(1)), VERSION_COMMENT.match(match.group(2))
        assert pin, f"{path.name}: {match.group(0).strip()} is not pinned to a full commit"
        assert comment, f"{path.name}: {match.group(0).strip()} does not say its version (# v1.2.3)"


def test_each_action_is_the_same_release_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in (PULL_REQUEST, PAGES):
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := USES.match(line):
                action, commit = match.group(1).split("@")
                pins.setdefault(action, set()).add(f"{commit}{match.group(2)}")
    assert {action for action, found in pins.items() if len(found) > 1} == set(), pins
    assert {"actions/checkout", "actions/setup-python", "actions/github-script", "actions/upload-pages-artifact",
            "actions/deploy-pages"} == set(pins)


# ---------------------------------------------------------------- the pull-request workflow's shape


def test_the_pull_request_workflow_runs_for_pushes_and_reviews_never_with_the_base_repository_token() -> None:
    for path in (PULL_REQUEST, PAGES):
        on = triggers(load(path))
        assert not {"pull_request_target", "workflow_run"} & set(on), path.name
    on = triggers(load(PULL_REQUEST))
    assert set(on) == {"pull_request", "pull_request_review"}
    assert on["pull_request"] is None  # every activity type GitHub runs by default: opened, synchronize, reopened
    assert set(on["pull_request_review"]["types"]) == {"submitted", "dismissed"}
    concurrency = load(PULL_REQUEST)["concurrency"]
    assert "github.event.pull_request.number" in concurrency["group"] and concurrency["cancel-in-progress"] is True


@pytest.mark.parametrize("path", [PULL_REQUEST, PAGES], ids=lambda p: p.name)
def test_nothing_is_granted_workflow_wide(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("permissions"), dict) and job["permissions"], f"{name} names no permissions"


def test_the_job_that_runs_the_pull_requests_code_can_only_read() -> None:
    """The build installs the pull request's tools and builds its site with its mkdocs.yml, which
    may name hooks: whatever it runs gets read access, no secret and no token."""
    running = {name: job for name, job in jobs(PULL_REQUEST).items() if runs_pull_request_code(job)}
    assert set(running) == {"build"}
    for name, job in running.items():
        assert job["permissions"] == {"contents": "read"}, name
        text = yaml.safe_dump(job)
        assert "secrets." not in text and "github.token" not in text and "GITHUB_TOKEN" not in text, name
        assert all(c.get("persist-credentials") is False for c in checkouts(job)), name


def test_the_build_job() -> None:
    build = jobs(PULL_REQUEST)["build"]
    assert build["if"] == "github.event_name == 'pull_request'"
    assert "Build and validate the pull request" in build["name"]
    assert [c.get("ref") for c in checkouts(build)] == [None]  # the pull request as GitHub merges it
    python = next(step for step in build["steps"] if uses(step) == "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    install = next(step for step in build["steps"] if step.get("id") == "install")
    assert install["run"] == "python -m pip install -e ."
    checks = {step["run"]: step for step in build["steps"] if "run" in step and step is not install}
    assert set(checks) == {"playbook validate playbook --format github", "playbook codeowners --check",
                           "mkdocs build --strict"}
    for step in checks.values():  # each runs even when an earlier one failed
        assert step["if"] == "${{ !cancelled() && steps.install.outcome == 'success' }}", step["name"]


def test_the_signoff_job_judges_with_the_base_branchs_code_only() -> None:
    signoff = jobs(PULL_REQUEST)["signoff"]
    assert signoff["name"] == "Sign-off by both teams"
    assert "if" not in signoff  # for pushes and for reviews
    assert signoff["permissions"] == {"contents": "read", "pull-requests": "read"}
    base, pr = checkouts(signoff)
    assert base == {"ref": BASE_SHA, "path": "base", "persist-credentials": False}
    assert pr == {"ref": HEAD_SHA, "path": "pr", "fetch-depth": 0, "persist-credentials": False}
    python = next(step for step in signoff["steps"] if uses(step) == "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    assert "cache" not in python["with"]  # a cache the build job, running the pull request's code, could fill
    install = next(step for step in signoff["steps"] if step.get("id") == "install")
    assert install["run"] == "python -m pip install ./base"  # a regular install: base/ is not imported from later
    assert list(installs_from(signoff)) == ["base"] and not runs_pull_request_code(signoff)
    runs = [step for step in signoff["steps"] if "run" in step]
    for step in runs:
        assert not re.search(r"(^|[\s/])pr/|\./pr\b|\bpython\b.*\bpr\b", step["run"]), step["run"]
        if re.search(r"^\s*playbook\b", step["run"], re.M):
            assert step.get("working-directory") == "pr", step["name"]
            assert step["env"]["BASE_SHA"] == BASE_SHA and step["env"]["HEAD_SHA"] == HEAD_SHA, step["name"]
    assert {step["name"] for step in runs if "playbook" in step["run"]} == {"Describe the change",
                                                                          "Check sign-off and approvals"}
    describe = step_named(signoff, "Describe the change")
    assert describe["id"] == "diff"
    assert 'playbook diff --playbook playbook "$BASE_SHA" "$HEAD_SHA"' in describe["run"]
    assert "base64 -w0" in describe["run"] and ">> \"$GITHUB_STEP_SUMMARY\"" in describe["run"]
    check = step_named(signoff, "Check sign-off and approvals")
    assert check["if"] == "${{ !cancelled() && steps.install.outcome == 'success' }}"
    assert check["run"] == ('playbook diff --playbook playbook --check-signoff --approvals --format github '
                            '"$BASE_SHA" "$HEAD_SHA"')
    assert check["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert [s["name"] for s in runs if "GITHUB_TOKEN" in s.get("env", {})] == ["Check sign-off and approvals"]
    assert signoff["outputs"] == {"comment": "${{ steps.diff.outputs.comment }}"}


def test_the_job_that_may_write_checks_nothing_out_and_runs_nothing() -> None:
    writing = {name: job for name, job in jobs(PULL_REQUEST).items()
               if "write" in job["permissions"].values()}
    assert set(writing) == {"comment"}
    comment = writing["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert comment["needs"] == "signoff"
    assert comment["if"] == ("${{ !cancelled() && github.event_name == 'pull_request' "
                             "&& needs.signoff.outputs.comment != '' }}")
    assert comment["continue-on-error"] is True  # a fork's pull request gets a read-only token
    assert [uses(step) for step in comment["steps"]] == ["actions/github-script"]
    assert not [step for step in comment["steps"] if "run" in step]
    assert comment["steps"][0]["env"] == {"COMMENT": "${{ needs.signoff.outputs.comment }}"}


def test_values_from_the_event_reach_steps_only_as_known_environment_variables() -> None:
    allowed = {BASE_SHA, HEAD_SHA, "${{ github.token }}", "${{ needs.signoff.outputs.comment }}", "C.UTF-8",
               "${{ runner.temp }}/site"}
    for path in (PULL_REQUEST, PAGES):
        for job in jobs(path).values():
            for step in job["steps"]:
                for key, value in step.get("env", {}).items():
                    assert str(value) in allowed, (path.name, key, value)
                for script in (step.get("run", ""), step.get("with", {}).get("script", "")):
                    assert "${{" not in script, (path.name, step.get("name"))


def test_the_pages_workflow_grants_each_job_its_own_permissions() -> None:
    workflow = jobs(PAGES)
    assert workflow["build"]["permissions"] == {"contents": "read"}
    assert workflow["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert not [step for step in workflow["deploy"]["steps"] if "run" in step or uses(step) == "actions/checkout"]


# ---------------------------------------------------------------- the change, from the sign-off job to the comment


def run_describe_step(tmp_path: Path, markdown: str) -> tuple[str, str, list[str]]:
    """The "Describe the change" step, run as GitHub runs it (bash -e, its env, in pr/), with a
    stand-in `playbook` that prints `markdown`. Returns the comment output decoded, the summary and
    the arguments the stand-in was called with."""
    step = step_named(jobs(PULL_REQUEST)["signoff"], "Describe the change")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tmp_path / "diff.md").write_text(markdown, encoding="utf-8")
    stand_in = tools / "playbook"
    stand_in.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$STAND_IN_ARGS"\ncat "$STAND_IN_MARKDOWN"\n',
                        encoding="utf-8")
    stand_in.chmod(0o755)
    (tmp_path / step["working-directory"]).mkdir()
    env = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ['PATH']}", RUNNER_TEMP=str(tmp_path),
               GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"), GITHUB_OUTPUT=str(tmp_path / "output"),
               STAND_IN_ARGS=str(tmp_path / "args"), STAND_IN_MARKDOWN=str(tmp_path / "diff.md"))
    env.pop("LC_ALL", None)
    env.pop("LANG", None)
    for key, value in step["env"].items():
        env[key] = str(value).replace(BASE_SHA, "1" * 40).replace(HEAD_SHA, "2" * 40)
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                            cwd=tmp_path / step["working-directory"], env=env, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    output = (tmp_path / "output").read_text(encoding="ascii")
    assert output.endswith("\n") and output.count("\n") == 1, output[:200]  # one line: nothing else can be set
    name, encoded = output.rstrip("\n").split("=", 1)
    assert name == "comment" and re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", encoded)
    comment = base64.b64decode(encoded).decode("utf-8")  # strict: a character cut in two raises
    args = (tmp_path / "args").read_text(encoding="utf-8").splitlines()
    return comment, (tmp_path / "summary.md").read_text(encoding="utf-8"), args


def test_the_change_reaches_the_comment_output_whole(tmp_path: Path) -> None:
    markdown = "## 2 entries changed\n\n### Term: MQL\n\n- MQL › definition: 'a' → 'b'\ncomment=forged\nEOF\n"
    comment, summary, args = run_describe_step(tmp_path, markdown)
    assert comment == markdown
    assert summary == markdown
    assert args == ["diff", "--playbook", "playbook", "1" * 40, "2" * 40]


def test_a_long_change_is_cut_for_the_comment_but_whole_in_the_summary(tmp_path: Path) -> None:
    line = "- Asset: ROI calculator › talking points: 'Ça coûte moins' → 'Ça coûte bien moins 😀'\n"
    markdown = "## 900 entries changed\n\n" + line * 900
    assert len(markdown) > 70_000
    comment, summary, _ = run_describe_step(tmp_path, markdown)
    assert summary == markdown
    assert comment == markdown[:60_000] + "\n\n" + NOTICE + "\n"  # characters, not bytes


def test_a_change_in_a_script_of_three_bytes_a_character_is_cut_to_fit_one_environment_variable(
        tmp_path: Path) -> None:
    """Linux takes at most 128 KiB in one environment variable, and the comment job gets the text in
    one: the comment keeps at most 90,000 bytes (120,000 in base64), cut between characters."""
    markdown = "## 変更\n\n" + "- 用語: MQL › 定義: 「見込み客の定義を変更しました」\n" * 3000
    comment, summary, _ = run_describe_step(tmp_path, markdown)
    assert summary == markdown
    assert comment.endswith("\n\n" + NOTICE + "\n")
    kept = comment.removesuffix("\n\n" + NOTICE + "\n")
    assert markdown.startswith(kept) and 80_000 < len(kept.encode("utf-8")) <= 90_000
    assert len(base64.b64encode(comment.encode("utf-8"))) < 128 * 1024 - len("COMMENT=")


def test_a_pull_request_that_changes_no_entry_says_so(tmp_path: Path) -> None:
    comment, summary, _ = run_describe_step(tmp_path, "")
    assert comment == "Nothing in the playbook changes.\n" and summary == ""


COMMENT_HARNESS = """
async function comment(github, context) {
%s
}
(async () => {
  const calls = [];
  const github = existing => ({
    paginate: async (list, args) => { calls.push(['list', list, args]); return existing; },
    rest: { issues: {
      listComments: 'listComments',
      updateComment: async args => calls.push(['update', args]),
      createComment: async args => calls.push(['create', args]),
    } },
  });
  const context = { repo: { owner: 'tallybright', repo: 'playbook' }, issue: { number: 7 } };
  if (process.env.COMMENT_FILE) {  // more than one environment variable can hold
    process.env.COMMENT = require('fs').readFileSync(process.env.COMMENT_FILE, 'ascii');
  }
  await comment(github([]), context);
  await comment(github([
    { id: 5, user: { type: 'User' }, body: '<!-- playbook-diff --> quoted by a person' },
    { id: 6, user: { type: 'Bot' }, body: '<!-- playbook-diff -->\\nthe last push' },
    { id: 8, user: { type: 'Bot' }, body: 'another bot, another comment' },
  ]), context);
  console.log(JSON.stringify(calls));
})();
"""


def run_comment_script(tmp_path: Path, markdown: str, encoded: str | None = None, in_file: bool = False) -> list[Any]:
    """The github-script step, run in Node with a stand-in for GitHub, twice: on a pull request
    without the comment, then on one with it. The text comes as the job gets it, base64 in the
    environment variable COMMENT (or, to try more than it can hold, read into it from a file).
    Returns the calls made to GitHub."""
    node = shutil.which("node")
    assert node is not None, "node is missing: install it (apt-get install nodejs; make test does) to run this test"
    step = jobs(PULL_REQUEST)["comment"]["steps"][0]
    (tmp_path / "comment.js").write_text(COMMENT_HARNESS % step["with"]["script"], encoding="utf-8")
    encoded = encoded if encoded is not None else base64.b64encode(markdown.encode("utf-8")).decode("ascii")
    env = dict(os.environ)
    if in_file:
        (tmp_path / "comment.b64").write_text(encoded, encoding="ascii")
        env["COMMENT_FILE"] = str(tmp_path / "comment.b64")
    else:
        env["COMMENT"] = encoded
    result = subprocess.run([node, str(tmp_path / "comment.js")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    calls: list[Any] = json.loads(result.stdout)
    assert [call[0] for call in calls] == ["list", "create", "list", "update"]
    assert calls[0][1] == "listComments" and calls[0][2] == {"owner": "tallybright", "repo": "playbook",
                                                             "issue_number": 7, "per_page": 100}
    created, updated = calls[1][1], calls[3][1]
    assert created["issue_number"] == 7 and (created["owner"], created["repo"]) == ("tallybright", "playbook")
    assert updated["comment_id"] == 6  # the workflow's own comment, not the person's quoting the marker
    assert created["body"] == updated["body"]
    return calls


@pytest.mark.parametrize("size", [100, 60_100])
def test_the_comment_is_posted_once_then_updated(size: int, tmp_path: Path) -> None:
    markdown = "## Changes\n\n" + "- Term: MQL › definition: 'x' → 'y' ✓\n" * (size // 38)
    body = run_comment_script(tmp_path, markdown)[1][1]["body"]
    assert body == f"{MARKER}\n{markdown}"


@pytest.mark.parametrize("text", ["x", "é", "😀"], ids=["ascii", "accents", "astral"])
def test_a_comment_over_githubs_limit_is_cut_with_a_notice(text: str, tmp_path: Path) -> None:
    markdown = "## Changes\n\n" + f"- Term: MQL › definition: {text * 30}\n" * 3000
    body = run_comment_script(tmp_path, markdown, in_file=True)[1][1]["body"]
    assert len(body) < GITHUB_COMMENT_LIMIT and len(body.encode("utf-16-le")) // 2 < GITHUB_COMMENT_LIMIT
    body.encode("utf-8")  # no character cut in two (a lone surrogate cannot be encoded)
    assert body.startswith(f"{MARKER}\n## Changes\n")
    assert body.endswith(f"\n\n{NOTICE}\n")
    kept = body[len(MARKER) + 1:-len(NOTICE) - 3]
    assert markdown.startswith(kept) and len(kept) > 60_000 // len(text.encode("utf-16-le"))


@pytest.mark.parametrize("text", ["Ça coûte moins › plus →", "😀", "見込み客"], ids=["accents", "astral", "cjk"])
def test_a_long_change_goes_from_the_sign_off_job_to_the_comment(text: str, tmp_path: Path) -> None:
    """The two steps chained as GitHub chains them: the output of "Describe the change" is the
    environment of the comment script, which Node can be started with, and the comment is the
    change's beginning, then the notice."""
    markdown = "## Changes\n\n" + f"- Term: MQL › definition: {text * 20}\n" * 4000
    (tmp_path / "describe").mkdir()
    comment, _, _ = run_describe_step(tmp_path / "describe", markdown)
    encoded = base64.b64encode(comment.encode("utf-8")).decode("ascii")
    body = run_comment_script(tmp_path, markdown, encoded=encoded)[1][1]["body"]
    assert body == f"{MARKER}\n{comment}"
    assert body.endswith(f"\n\n{NOTICE}\n") and len(body) < GITHUB_COMMENT_LIMIT
    assert markdown.startswith(body.removeprefix(f"{MARKER}\n").removesuffix(f"\n\n{NOTICE}\n"))


def gfm(markdown: str) -> str:
    """HTML as GitHub renders a comment (GitHub Flavored Markdown; HTML comments kept, to find them)."""
    html: str = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    return html


def real_change(tmp_path: Path) -> str:
    """What `playbook diff` says about a changed talking point and a changed definition."""
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(REPO / "playbook", base, symlinks=True)
    shutil.copytree(REPO / "playbook", head, symlinks=True)
    asset = head / "assets" / "roi-calculator.yaml"
    asset.write_text(asset.read_text(encoding="utf-8").replace("not ours.", "not ours, *ever*.", 1), encoding="utf-8")
    mql = head / "lifecycle" / "mql.yaml"
    text = mql.read_text(encoding="utf-8")
    mql.write_text(text.replace("definition: >-\n", "definition: >-\n  `New` <b>text</b>\n", 1), encoding="utf-8")
    result = subprocess.run([str(BIN / "playbook"), "diff", str(base), str(head)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("## "), result.stdout + result.stderr
    return result.stdout


def test_the_comment_renders_on_github_as_the_change_with_the_marker_hidden(tmp_path: Path) -> None:
    """The hidden marker is an HTML comment on a line of its own: GitHub shows nothing of it, and
    the Markdown after it renders exactly as it would alone (the headline stays a heading)."""
    markdown = real_change(tmp_path)
    body = run_comment_script(tmp_path, markdown)[1][1]["body"]
    html = gfm(body)
    assert html.startswith(f"{MARKER}\n<h2>")
    assert html.removeprefix(f"{MARKER}\n") == gfm(markdown)
    assert "<b>" not in html  # the change's text is shown as text


def test_a_cut_comment_ends_with_the_notice_as_a_paragraph_of_its_own(tmp_path: Path) -> None:
    """Wherever the cut falls (inside a list item, inside inline code), the notice is a paragraph
    after the change, not part of its last line."""
    markdown = real_change(tmp_path) + "".join(f"- Term: MQL › definition: `code {i}` **bold**\n" for i in range(2500))
    body = run_comment_script(tmp_path, markdown, in_file=True)[1][1]["body"]
    assert body.endswith(NOTICE + "\n")
    assert gfm(body).endswith(f"</ul>\n<p>{NOTICE}</p>\n"), gfm(body)[-300:]
    for cut in range(60_000, 60_050):  # the sign-off job's cut, at 60,000 characters or fewer
        assert gfm(markdown[:cut] + "\n\n" + NOTICE + "\n").endswith(f"</ul>\n<p>{NOTICE}</p>\n"), cut
