"""Every hostile or clumsy input found so far, each a regression test: no crash, no leak, no
blow-up, nothing silently accepted or lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, make_project, run_mkdocs
from htmltext import read_site

from generator.rules import references
from generator.rules.validate import check
from generator.source import schemas
from generator.source.problems import Problem

VALIDATE = [sys.executable, "-m", "generator", "validate"]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working folder, as the command prints them."""
    monkeypatch.chdir(tmp_path)


def playbook(tmp_path: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """The mini playbook in tmp_path with files laid over it (text or bytes)."""
    root = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    for name, content in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root)[1]]


def validate(root: Path) -> subprocess.CompletedProcess[str]:
    """The real command, as a separate process: a crash shows as a signal, not an exception."""
    return subprocess.run(VALIDATE + [str(root)], capture_output=True, text=True, timeout=120, cwd=root.parent)


def one_line_each(output: str) -> None:
    for line in output.splitlines():
        assert line.isprintable(), repr(line)
        assert not line.startswith("::"), line


TERM = (FIXTURES / "mini" / "terms" / "lead.yaml").read_text(encoding="utf-8")
METRIC = (FIXTURES / "mini" / "metrics" / "win-rate.yaml").read_text(encoding="utf-8")
STAGE = (FIXTURES / "mini" / "stages" / "learning.yaml").read_text(encoding="utf-8")
ASSET = (FIXTURES / "mini" / "assets" / "guide.yaml").read_text(encoding="utf-8")


# -- severe ---------------------------------------------------------------------------------------

def test_thirty_thousand_nested_brackets_are_a_located_problem(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"terms/deep.yaml": "id: deep\nname: " + "[" * 30_000 + "]" * 30_000 + "\n"})
    result = validate(root)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert "Traceback" not in result.stderr
    line = next(x for x in result.stdout.splitlines() if "deep.yaml" in x)
    assert line.startswith("playbook/terms/deep.yaml:2:") and "nested more than 50 levels deep" in line
    assert len(line) < 300
    project = make_project(tmp_path / "project", root)
    build = run_mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "nested more than 50 levels deep" in build.stderr + build.stdout


def test_deep_block_nesting_is_refused_too(tmp_path: Path) -> None:
    deep = "".join(" " * i + f"k{i}:\n" for i in range(900)) + " " * 900 + "x\n"
    root = playbook(tmp_path, {"terms/deep.yaml": deep})
    assert any("nested more than 50 levels deep" in p for p in problems_of(root))


def test_a_playbook_file_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside.yaml"
    secret.write_text(TERM.replace("id: lead", "id: stolen").replace("A person", "TOPSECRET person"),
                      encoding="utf-8")
    root = playbook(tmp_path)
    (root / "terms" / "stolen.yaml").symlink_to(secret)
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd-listing.yaml").write_text("x: 1\n", encoding="utf-8")
    shutil.rmtree(root / "personas")
    (root / "personas").symlink_to(tmp_path / "etc")
    result = validate(root)
    assert result.returncode == 1
    assert "playbook/terms/stolen.yaml:1:1: a link to something outside the playbook folder: it is not read; " \
           "replace the link with the file itself" in result.stdout
    assert "playbook/personas:1:1: a link to something outside the playbook folder" in result.stdout
    assert "TOPSECRET" not in result.stdout + result.stderr
    assert "passwd-listing" not in result.stdout + result.stderr


def test_a_link_inside_the_playbook_is_followed(tmp_path: Path) -> None:
    root = playbook(tmp_path)
    (root / "terms" / "lead.yaml").rename(root / "lead-source.txt")
    (root / "terms" / "lead.yaml").symlink_to(Path("..") / "lead-source.txt")
    # The target itself is no playbook file, and says so; the link is read like the file it names.
    assert problems_of(root) == ["playbook/lead-source.txt:1:1: not part of a playbook: the playbook folder holds "
                                 "playbook.yaml and the folders stages, lifecycle, handoffs, terms, personas, "
                                 "assets, metrics; move or remove it [stray-file]"]


def test_aliases_cannot_multiply_one_string_into_gigabytes(tmp_path: Path) -> None:
    big = "x" * 400_000
    term = TERM.replace("definition: A person who asked to hear from us.", f"definition: &d {big}") \
        .replace("example: Filled in the demo form.", "example: *d").replace("related: [contact]", "related: [*d, *d]")
    root = playbook(tmp_path, {"terms/lead.yaml": term})
    found = problems_of(root)
    assert len(found) == 1 and "more than 100,000 values or 1,000,000 characters of text once its aliases" in found[0]
    assert found[0].startswith("playbook/terms/lead.yaml:")


# -- no traceback ---------------------------------------------------------------------------------

def test_a_name_whose_upper_case_is_two_letters_builds(build_site: Callable[..., Path], tmp_path: Path) -> None:
    root = playbook(tmp_path / "in", {"terms/contact.yaml": (FIXTURES / "mini" / "terms" / "contact.yaml")
                                      .read_text(encoding="utf-8").replace("name: Contact", "name: և word")})
    site = build_site(root)
    glossary = read_site(site)["glossary/index.html"]
    assert "և word" in glossary.text
    assert "letter-u587" in glossary.ids


def test_an_id_with_a_final_line_break_is_refused(tmp_path: Path) -> None:
    root = playbook(tmp_path, {"terms/zz\n.yaml": TERM.replace("id: lead", 'id: "zz\\n"')})
    result = validate(root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    one_line_each(result.stdout)
    assert "playbook/terms/zz\\n.yaml:2:5: id: 'zz\n' is not a valid id".replace("\n", "\\n") in result.stdout
    assert "the file name 'zz\\n.yaml' is not an id followed by .yaml" in result.stdout


def test_a_very_long_relative_link_is_a_problem(tmp_path: Path) -> None:
    link = "files/" + "a" * 300 + ".pdf"
    root = playbook(tmp_path, {"assets/guide.yaml": ASSET.replace("https://assets.acme.example/guide", link)})
    docs = tmp_path / "docs"
    docs.mkdir()
    found = [str(p) for p in check(root, docs)[1]]
    assert found == [f"playbook/assets/guide.yaml:8:7: link: '{link[:59]}…' is not a file in docs/: add the "
                     "file there, or link to its https:// address [link-not-found]"]


def test_an_unreadable_folder_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook(tmp_path)
    real_scandir = os.scandir

    def scandir(path: Path):  # type: ignore[no-untyped-def]
        if Path(path).name == "terms":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = problems_of(root)
    assert "playbook/terms:1:1: the folder cannot be read (Permission denied): check its permissions " \
        "[folder-unreadable]" in found


# -- linear time ----------------------------------------------------------------------------------

def test_unique_items_is_checked_in_linear_time(tmp_path: Path) -> None:
    items = ", ".join(str(i) if i % 2 else f"t{i}" for i in range(20_000))
    root = playbook(tmp_path, {"terms/lead.yaml": TERM.replace("aliases: [prospect record]",
                                                               f"aliases: [{items}, t0]")})
    calls = 0
    real = schemas._first_repeat

    def counting(values: list[object]) -> object:
        nonlocal calls
        calls += len(values)
        return real(values)

    schemas._first_repeat = counting  # type: ignore[assignment]
    try:
        found = problems_of(root)
    finally:
        schemas._first_repeat = real  # type: ignore[assignment]
    assert any("aliases: lists 't0' more than once: remove the copy" in p for p in found)
    assert any("aliases[1]: must be text, not 1" in p for p in found)
    assert calls <= 3 * 20_001  # one pass over the list per report, never a pass per pair


def test_did_you_mean_is_bounded_however_many_references_miss(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, str | bytes] = {}
    for i in range(300):
        files[f"assets/a{i}.yaml"] = ASSET.replace("id: guide", f"id: a{i}").replace(
            "stages: [learning, adoption]", f"stages: [stage-{i}]")
    root = playbook(tmp_path, files)
    calls = 0
    real = references.did_you_mean

    def counting(value: object, choices: object) -> str:
        nonlocal calls
        calls += 1
        return real(value, choices)

    monkeypatch.setattr(references, "did_you_mean", counting)
    found = problems_of(root)
    assert sum("is not a known stage" in p for p in found) == 300
    assert calls == 50


# -- logs and terminals ---------------------------------------------------------------------------

def test_keys_cannot_forge_annotations_or_move_the_cursor(tmp_path: Path) -> None:
    term = TERM + '"x\\n::error file=playbook.yaml::forged\\nplaybook: 9 files checked, no problems": 1\n' \
        + f'"{"k" * 500}": 3\n'
    escapes = TERM.replace("id: lead", "id: contact") + '"\\e[2K\\e[1Aclean": 2\n'
    root = playbook(tmp_path, {"terms/lead.yaml": term, "terms/contact.yaml": escapes})
    result = validate(root)
    assert result.returncode == 1
    one_line_each(result.stdout + result.stderr)
    assert "\x1b" not in result.stdout
    assert "unknown field 'x\\n::error file=playbook.yaml::forged\\nplaybook: 9 files chec…'" in result.stdout
    assert "playbook/terms/contact.yaml:14:1: U+001B (control character) is not allowed" in result.stdout
    assert "k" * 60 not in result.stdout


# -- nothing silently accepted or lost ------------------------------------------------------------

@pytest.mark.parametrize(("files", "expected"), [
    ({"terms/.zzz.yaml": TERM},
     "playbook/terms/.zzz.yaml:1:1: a hidden file is not read: rename it without the leading dot, or remove it "
     "[hidden-file]"),
    ({"terms/lead.yaml": TERM.replace("aliases: [prospect record]", "aliases: !x [prospect record]")},
     "playbook/terms/lead.yaml:5:10: aliases: the tag !x is not allowed: write plain values [yaml-tag]"),
    ({"stages/learning.yaml": STAGE.replace("order: 1", "order: 2.0")},
     "playbook/stages/learning.yaml:3:8: order: must be a whole number, not 2.0 [wrong-type]"),
    ({"metrics/win-rate.yaml": METRIC.replace("value: 25", "value: .nan")},
     "playbook/metrics/win-rate.yaml:9:10: target.value: must be a number, not .nan [wrong-type]"),
    ({"metrics/win-rate.yaml": METRIC.replace("value: 25", "value: -.inf")},
     "playbook/metrics/win-rate.yaml:9:10: target.value: must be a number, not -.inf [wrong-type]"),
    ({"metrics/win-rate.yaml": METRIC + "currency: USD\n"},
     "playbook/metrics/win-rate.yaml:13:11: currency: a currency is only shown for a goal whose unit is currency, "
     "and this one's unit is percent: remove currency, or set unit: currency [currency-not-shown]"),
    ({"terms/lead.yaml": TERM.replace("name: Lead", 'name: "   "')},
     "playbook/terms/lead.yaml:3:7: name: has no visible text: write words, or remove the field if it is optional "
     "[no-visible-text]"),
    ({"terms/lead.yaml": TERM.replace("name: Lead", 'name: "\\u200b"')},
     "playbook/terms/lead.yaml:3:7: name: has no visible text: write words, or remove the field if it is optional "
     "[no-visible-text]"),
    ({"terms/lead.yaml": TERM.replace("name: Lead", "name: Le\x00ad").encode()},
     "playbook/terms/lead.yaml:3:9: U+0000 (control character) is not allowed: delete it (most editors do not "
     "show it) [invisible-character]"),
    ({"assets/guide.yaml": ASSET.replace("/guide", "/\u202egnp.exe")},
     "playbook/assets/guide.yaml:8:35: U+202E (right-to-left override) is not allowed: it makes text display in "
     "another order than it is written; delete it [invisible-character]"),
    ({"assets/guide.yaml": ASSET.replace("/guide", "/gu\u200bide")},
     "playbook/assets/guide.yaml:8:7: link: 'https://assets.acme.example/gu\u200bide' is not an allowed link: "
     "give an https:// address (ASCII only: no spaces, quotes, angle brackets or parentheses; percent-encode other "
     "characters) or a relative path such as files/price-list.pdf [invalid-link]".replace("\u200b", "\\u200b")),
    ({"terms/lead.yaml": TERM.replace("abbreviation: LD", "abbreviation: NO")},
     "playbook/terms/lead.yaml:4:15: abbreviation: must be text, not NO, which YAML reads as true or false: "
     'put it in quotes, e.g. "NO" [wrong-type]'),
    ({"terms/lead.yaml": TERM.replace("abbreviation: LD", "abbreviation: 0123")},
     "playbook/terms/lead.yaml:4:15: abbreviation: must be text, not 0123, which YAML reads as a number: "
     'put it in quotes, e.g. "0123" [wrong-type]'),
    ({"terms/lead.yaml": TERM.replace("owner: both", "owner: yes")},
     "playbook/terms/lead.yaml:13:8: owner: must be text, not yes, which YAML reads as true or false: put it in "
     'quotes, e.g. "yes" [wrong-type]'),
])
def test_nothing_is_silently_accepted(tmp_path: Path, files: dict[str, str | bytes], expected: str) -> None:
    found = problems_of(playbook(tmp_path, files))
    assert found == [expected]


def test_every_problem_is_one_printable_line() -> None:
    problem = Problem("a\nb.yaml", 1, 2, "k\x1b", "m\u202e\r\n::warning::x", rule="yaml-syntax")
    assert str(problem) == "a\\nb.yaml:1:2: k\\e: m\\u202e\\r\\n::warning::x [yaml-syntax]"


def test_titles_show_the_text_as_written(build_site: Callable[..., Path], tmp_path: Path) -> None:
    root = playbook(tmp_path / "in", {"stages/learning.yaml": STAGE.replace(
        "name: Learning", "name: 'Q&A \"demo\" </title><script>window.x=1</script>'")})
    site = build_site(root)
    page = read_site(site)["stages/learning/index.html"]
    html = (site / "stages" / "learning" / "index.html").read_text(encoding="utf-8")
    assert '<title>1. Q&amp;A &quot;demo&quot; &lt;/title&gt;&lt;script&gt;window.x=1&lt;/script&gt; - ' in html
    assert '1. Q&A "demo" </title><script>window.x=1</script>' in page.text
    assert not page.scripts or all("window.x" not in s for s in page.scripts)
    home = read_site(site)["index.html"].text
    assert 'Q&A "demo" </title><script>window.x=1</script>' in home


def test_every_field_of_the_settings_reaches_the_site(build_site: Callable[..., Path], tmp_path: Path) -> None:
    settings = (FIXTURES / "mini" / "playbook.yaml").read_text(encoding="utf-8")
    settings = settings.replace("    description: Makes demand.\n", "    description: Makes demand.\n    members:\n"
                                "      - Mo Mailer, Demand\n      - Content writers\n") + "updated: 2026-10-01\n"
    site = build_site(playbook(tmp_path / "in", {"playbook.yaml": settings}))
    pages = read_site(site)
    about = pages["about/index.html"].text.replace("¶", "")
    for needle in ("The company: Acme Sells anvils.", "The product: Anvil Cloud Anvians as a service.".replace(
            "Anvians", "Anvils"), "Sales Led by Sam Seller. Closes deals.",
            "Marketing Led by Mia Marketer. Makes demand. Members: Mo Mailer, Demand Content writers"):
        assert needle in about, needle
    home = pages["index.html"].text
    assert "Last reviewed on 2026-10-01." in home and "The mini playbook for tests." in home
    assert all("Mini Playbook" in page.text for name, page in pages.items() if name != "404.html")
