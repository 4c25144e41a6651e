"""Nothing is published through a link that leaves docs/, and a failed build or render never
leaves a half-written or emptied folder where a good one was: real `mkdocs build`, `mkdocs serve`
and `playbook render` runs on real files."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import MKDOCS, REPO, SITE_CONFIG, make_project, run_mkdocs
from test_serve import fetch, free_port, serve, wait_for

from generator.changes.comment import md
from generator.commands.cli import main
from generator.model.build import build_playbook
from generator.site.render import render_pages
from generator.site.static import static_files

PLAYBOOK = str(Path(sys.executable).parent / "playbook")

# An MkDocs hook that fails the build on a page saying so: the failure comes after MkDocs has
# emptied site_dir, which is what a half-built site needs to be tested against.
FAILING_HOOK = '''from mkdocs.exceptions import PluginError


def on_page_content(html, page, config, files):
    if "BREAK-THE-BUILD" in html:
        raise PluginError(f"{page.file.src_uri}: asked to fail")
    return html
'''
HOOKED_CONFIG = SITE_CONFIG + "hooks:\n  - hooks.py\n"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (hidden ones too) with its content, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Staging folders a build or render left beside its output."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".building", ".rendering", ".old")))


def render(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, "render", *args], cwd=project, capture_output=True, text=True, timeout=60)


def link_line(link: str, kind: str, target: str) -> str:
    return (f"{link}: a link to a {kind} outside docs/ ({target} is not published): "
            f"replace the link with the {kind} itself")


def add_outside_links(project: Path) -> list[str]:
    """Links out of docs/ of every kind; returns the report expected for them, in order."""
    docs = project / "docs"
    (project / "secret.txt").write_text("TOP-SECRET-FILE-CONTENT\n", encoding="utf-8")
    (project / "shared").mkdir()
    (project / "shared" / "leaked-page.md").write_text("# LEAKED-PAGE-CONTENT\n", encoding="utf-8")
    (docs / "env.txt").symlink_to("/proc/self/environ")
    (docs / "passwd.md").symlink_to("/etc/passwd")
    (docs / "etc").symlink_to("/etc", target_is_directory=True)
    (docs / "notes").mkdir()
    (docs / "notes" / "secret.md").symlink_to("../../secret.txt")
    (docs / "shared").symlink_to("../shared", target_is_directory=True)
    return [link_line("docs/env.txt", "file", "/proc/self/environ"),
            link_line("docs/etc", "folder", "/etc"),
            link_line("docs/notes/secret.md", "file", "secret.txt"),
            link_line("docs/passwd.md", "file", "/etc/passwd"),
            link_line("docs/shared", "folder", "shared")]


def assert_nothing_leaked(output: str) -> None:
    for secret in ("TOP-SECRET-ENV-VALUE", "TOP-SECRET-FILE-CONTENT", "LEAKED-PAGE-CONTENT", "leaked-page",
                   "root:", "os-release", "hostname", "Traceback"):
        assert secret not in output


# 1. Links that leave docs/ ----------------------------------------------------------------------


def test_build_refuses_every_link_out_of_docs_and_keeps_the_site(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_TEST_SECRET", "TOP-SECRET-ENV-VALUE")
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n\nThe good site\n"})
    assert run_mkdocs(project, "build", "--strict").returncode == 0
    good = tree(project / "site")
    expected = add_outside_links(project)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    lines = [line.strip() for line in output.splitlines()]
    found = [line for line in lines if "a link to a" in line]
    assert found == expected
    assert "Files in the docs folder are links to places outside it:" in output
    assert_nothing_leaked(output)
    assert tree(project / "site") == good
    assert leftovers(project) == []


def test_build_follows_links_that_stay_inside_docs(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n", "sub/page.md": "# Page\n\nInside words\n"})
    (project / "docs" / "same.md").symlink_to("sub/page.md")
    (project / "docs" / "alias").symlink_to("sub", target_is_directory=True)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for page in ("same", "alias/page", "sub/page"):
        assert "Inside words" in (project / "site" / page / "index.html").read_text(encoding="utf-8")


def test_render_refuses_every_link_out_of_docs_and_writes_nothing(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLAYBOOK_TEST_SECRET", "TOP-SECRET-ENV-VALUE")
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n"})
    expected = add_outside_links(project)
    result = render(project, "out")
    assert result.returncode == 1
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""
    assert_nothing_leaked(result.stdout + result.stderr)
    assert not (project / "out").exists()
    assert leftovers(project) == []


def test_render_follows_links_inside_docs_once_and_copies_files_not_links(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n", "sub/page.md": "# Page\n\nInside words\n"})
    docs = project / "docs"
    (docs / "same.md").symlink_to("sub/page.md")
    (docs / "alias").symlink_to("sub", target_is_directory=True)
    (docs / "sub" / "loop").symlink_to("..", target_is_directory=True)  # would repeat forever if followed
    result = render(project, "out")
    assert result.returncode == 0, result.stderr
    out = project / "out"
    for page in ("same.md", "alias/page.md", "sub/page.md"):
        assert (out / page).read_text(encoding="utf-8") == "# Page\n\nInside words\n"
        assert not (out / page).is_symlink()
    assert not (out / "sub" / "loop").exists()
    playbook = build_playbook(project / "playbook")
    pages, static = render_pages(playbook), static_files(playbook)
    # static: scripts, styles and data; 10: the export as JSON and nine CSV files; the schemas; 4: the pages of docs/
    schemas = len(list((REPO / "schemas").rglob("*.schema.json")))
    assert result.stdout == f"{len(pages) + len(static) + 10 + schemas + 4} files written to out\n"


# 2. A failed build keeps the last good site ------------------------------------------------------


def hooked_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "p", config=HOOKED_CONFIG,
                           docs={"index.md": "# Home\n\nFirst version\n", "extra.md": "# Extra\n\nExtra first\n"})
    (project / "hooks.py").write_text(FAILING_HOOK, encoding="utf-8")
    return project


def build_good_site(project: Path) -> dict[str, bytes]:
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = tree(project / "site")
    assert b"First version" in site["index.html"] and "search/search_index.json" in site
    return site


def test_page_failing_after_the_clean_keeps_the_last_good_site(tmp_path: Path) -> None:
    project = hooked_project(tmp_path)
    good = build_good_site(project)
    (project / "docs" / "index.md").write_text("# Home\n\nSecond version\n", encoding="utf-8")
    (project / "docs" / "extra.md").write_text("# Extra\n\nBREAK-THE-BUILD\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert "extra.md: asked to fail" in result.stderr
    assert tree(project / "site") == good
    assert leftovers(project) == []
    (project / "docs" / "extra.md").write_text("# Extra\n\nExtra second\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Second version" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Extra second" in (project / "site" / "extra" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


def test_bad_playbook_keeps_the_last_good_site(tmp_path: Path) -> None:
    project = hooked_project(tmp_path)
    good = build_good_site(project)
    (project / "playbook" / "terms" / "lead.yaml").write_text("id: lead\nname: [unclosed\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert "playbook/terms/lead.yaml" in result.stderr
    assert tree(project / "site") == good
    assert leftovers(project) == []


def test_strict_warning_keeps_the_last_good_site(tmp_path: Path) -> None:
    project = hooked_project(tmp_path)
    good = build_good_site(project)
    (project / "docs" / "extra.md").write_text("# Extra\n\n[gone](missing.md)\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert "missing.md" in result.stderr and "in strict mode" in result.stdout + result.stderr
    assert tree(project / "site") == good
    assert leftovers(project) == []
    # Without --strict a warning fails nothing, and the new site replaces the old one.
    assert run_mkdocs(project, "build").returncode == 0
    assert "missing.md" in (project / "site" / "extra" / "index.html").read_text(encoding="utf-8")


def test_build_removes_what_a_killed_build_left_and_keeps_hidden_files(tmp_path: Path) -> None:
    project = hooked_project(tmp_path)
    build_good_site(project)
    (project / ".site.building").mkdir()
    (project / ".site.building" / "half.html").write_text("half written", encoding="utf-8")
    (project / "site" / "stale.html").write_text("from an old build", encoding="utf-8")
    (project / "site" / ".git").mkdir()  # MkDocs never removes hidden files of site_dir
    (project / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = tree(project / "site")
    assert site[".git/HEAD"] == b"ref: refs/heads/gh-pages\n"
    assert "stale.html" not in site and "half.html" not in site
    assert b"First version" in site["index.html"]
    assert leftovers(project) == []


def test_serve_keeps_serving_the_last_good_site_and_recovers(tmp_path: Path) -> None:
    project = hooked_project(tmp_path)
    temp = tmp_path / "tmp"  # where `mkdocs serve` builds, so what it leaves can be checked
    temp.mkdir()
    port = free_port()
    server = subprocess.Popen(MKDOCS + ["serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp)))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(server.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    url = f"http://127.0.0.1:{port}/extra/"
    extra = project / "docs" / "extra.md"
    try:
        assert wait_for(lambda: "Extra first" in fetch(url)), "".join(lines)
        extra.write_text("# Extra\n\nBREAK-THE-BUILD\n", encoding="utf-8")
        assert wait_for(lambda: any("An error happened during the rebuild" in line for line in lines)), "".join(lines)
        assert any("extra.md: asked to fail" in line for line in lines)
        assert server.poll() is None, "the server died on a failing page"
        assert "Extra first" in fetch(url)
        assert "First version" in fetch(f"http://127.0.0.1:{port}/")
        assert [p.name for p in temp.iterdir() if p.name.endswith(".building")] == []
        extra.write_text("# Extra\n\nExtra fixed\n", encoding="utf-8")
        assert wait_for(lambda: "Extra fixed" in fetch(url)), "".join(lines)
        assert not any("Traceback" in line for line in lines)
    finally:
        server.terminate()
        server.wait(timeout=10)


# 3. `playbook render OUTDIR` -----------------------------------------------------------------------


def test_render_refuses_a_file_as_outdir(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "out.txt").write_text("my notes\n", encoding="utf-8")
    result = render(project, "out.txt")
    assert result.returncode == 1
    assert result.stderr == "out.txt: is a file, not a folder; name a folder to write the pages into\n"
    assert (project / "out.txt").read_text(encoding="utf-8") == "my notes\n"
    assert leftovers(project) == []


def test_render_never_replaces_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n"})
    (project / "notes").mkdir()
    (project / "notes" / "mine.txt").write_text("my notes\n", encoding="utf-8")
    before = tree(project)
    refusals = {
        "notes": "notes: holds files that `playbook render` did not write, so it is not replaced; "
                 "name a new or empty folder",
        ".": ".: replacing it would delete playbook/, which the pages are made from; name another folder",
        "docs": "docs: replacing it would delete docs/, which the pages are made from; name another folder",
        "docs/out": "docs/out: is inside docs/, which the pages are made from; name a folder outside it",
    }
    for outdir, message in refusals.items():
        result = render(project, outdir)
        assert (result.returncode, result.stderr, result.stdout) == (1, message + "\n", ""), outdir
    assert tree(project) == before
    assert leftovers(project) == [] and leftovers(project / "docs") == []


def test_render_replaces_its_own_output_whole(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n", "old.md": "# Old\n"})
    (project / "out").mkdir()  # an empty folder may be written into
    assert render(project, "out").returncode == 0
    assert (project / "out" / "old.md").read_text(encoding="utf-8") == "# Old\n"
    assert (project / "out" / ".playbook-render").is_file()
    (project / "docs" / "old.md").unlink()
    (project / "docs" / "new.md").write_text("# New\n", encoding="utf-8")
    result = render(project, "out")
    assert result.returncode == 0, result.stderr
    assert not (project / "out" / "old.md").exists()
    assert (project / "out" / "new.md").read_text(encoding="utf-8") == "# New\n"
    assert leftovers(project) == []


def test_render_error_while_writing_leaves_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n"})
    monkeypatch.chdir(project)
    assert main(["render", "out"]) == 0
    good = tree(project / "out")
    capsys.readouterr()
    write_text = Path.write_text

    def disk_full(self: Path, *args: object, **kwargs: object) -> int:
        if self.name == "glossary.md":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return write_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", disk_full)
    assert main(["render", "out"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "out/glossary.md: No space left on device; nothing in out was changed\n"
    assert captured.out == ""
    assert tree(project / "out") == good
    assert leftovers(project) == []


def test_render_os_errors_and_bad_pages_are_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n"})
    (project / "notes.txt").write_text("my notes\n", encoding="utf-8")
    result = render(project, "notes.txt/out")
    assert result.returncode == 1
    assert result.stderr == ("notes.txt/out: could not make a folder beside it to write into (Not a directory); "
                             "nothing was changed\n")
    (project / "docs" / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    result = render(project, "out")
    assert result.returncode == 1
    assert result.stderr == "docs/latin1.md: is not UTF-8 text; save it as UTF-8\n"
    assert not (project / "out").exists()
    assert leftovers(project) == []


# 4. The docs folder and the playbook folder themselves: links out of the repository ---------------

SITE_REFUSAL = "the site is built only from files in the repository: replace the link with the folder itself"
PLAYBOOK_REFUSAL = "the playbook is read only from files in the repository: replace the link with the folder itself"


def folder_out(link: str, target: Path) -> str:
    return f"{link}: a link to a folder outside the repository ({target}); {SITE_REFUSAL}"


def outside_docs(folder: Path) -> Path:
    """A folder outside every project, holding a page and a file that must never be read."""
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("# LEAKED-PAGE-CONTENT\n", encoding="utf-8")
    (folder / "secret.txt").write_text("TOP-SECRET-FILE-CONTENT\n", encoding="utf-8")
    return folder


def link_out(link: Path, target: Path) -> None:
    """Make link (a folder now, maybe) a link to target."""
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)


def errors(output: str) -> list[str]:
    """MkDocs' ERROR lines, without the level."""
    return [line.split("-  ", 1)[1] for line in output.splitlines() if line.startswith("ERROR")]


def test_build_refuses_docs_that_is_a_link_out_and_keeps_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n\nThe good site\n"})
    assert run_mkdocs(project, "build", "--strict").returncode == 0
    good = tree(project / "site")
    link_out(project / "docs", outside_docs(tmp_path / "elsewhere"))
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert errors(output) == [folder_out("docs", tmp_path / "elsewhere")]
    assert_nothing_leaked(output)
    assert tree(project / "site") == good
    assert leftovers(project) == []


@pytest.mark.parametrize(("docs_dir", "link"), [
    ("elsewhere", "elsewhere"),       # the folder mkdocs.yml names is the link
    ("content/docs", "content"),      # a folder above it is
])
def test_build_refuses_a_configured_docs_dir_reached_through_a_link_out(tmp_path: Path, docs_dir: str,
                                                                         link: str) -> None:
    project = make_project(tmp_path / "p", config=SITE_CONFIG + f"docs_dir: {docs_dir}\n")
    outside_docs(tmp_path / "outside" / Path(docs_dir).relative_to(link))
    link_out(project / link, tmp_path / "outside")
    assert (project / docs_dir / "index.md").is_file()  # MkDocs would read it
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert errors(output) == [folder_out(link, tmp_path / "outside")]
    assert_nothing_leaked(output)
    assert not (project / "site").exists() and leftovers(project) == []


def test_render_and_validate_refuse_docs_that_is_a_link_out_and_copy_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    link_out(project / "docs", outside_docs(tmp_path / "elsewhere"))
    expected = folder_out("docs", tmp_path / "elsewhere") + "\n"
    result = render(project, "out")
    assert (result.returncode, result.stderr, result.stdout) == (1, expected, "")
    assert not (project / "out").exists() and leftovers(project) == []
    result = subprocess.run([PLAYBOOK, "validate"], cwd=project, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr, result.stdout) == (1, expected, "")


def test_serve_refuses_docs_that_is_a_link_out_at_startup(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    link_out(project / "docs", outside_docs(tmp_path / "elsewhere"))
    port = free_port()
    server, lines = serve(project, port)
    try:
        assert server.wait(timeout=60) == 1
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
    assert wait_for(lambda: any("Aborted" in line for line in lines), 10), "".join(lines)
    assert errors("".join(lines)) == [folder_out("docs", tmp_path / "elsewhere")]
    assert_nothing_leaked("".join(lines))
    # It ended before serving anything (asking the port would reach whoever took it since).
    assert not any("Serving on" in line for line in lines)


def test_serve_refuses_docs_made_a_link_out_on_rebuild_and_keeps_the_last_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n\nThe good site\n"})
    outside = outside_docs(tmp_path / "elsewhere")
    port = free_port()
    server, lines = serve(project, port)
    home, secret = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/secret.txt"
    expected = folder_out("docs", outside)
    try:
        assert wait_for(lambda: "The good site" in fetch(home)), "".join(lines)
        (project / "docs-link").symlink_to(outside, target_is_directory=True)
        (project / "docs").rename(project / "docs-before")
        (project / "docs-link").rename(project / "docs")
        (project / "mkdocs.yml").write_text(SITE_CONFIG + "\n", encoding="utf-8")  # a rebuild, for sure
        assert wait_for(lambda: expected in errors("".join(lines))), "".join(lines)
        assert server.poll() is None, "the server died on a refused folder"
        assert "The good site" in fetch(home) and fetch(secret) == ""
        (project / "docs").unlink()
        (project / "docs-before").rename(project / "docs")
        (project / "docs" / "index.md").write_text("# Home\n\nThe fixed site\n", encoding="utf-8")
        assert wait_for(lambda: "The fixed site" in fetch(home)), "".join(lines)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert_nothing_leaked("".join(lines))
    assert {line for line in errors("".join(lines)) if "An error happened during the rebuild" not in line} == {expected}


def test_a_playbook_folder_that_is_a_link_out_is_refused_everywhere(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", docs={"index.md": "# Home\n"})
    shutil.copytree(project / "playbook", project / "base" / "playbook")  # to compare with
    outside = tmp_path / "elsewhere"
    (project / "playbook").rename(outside)
    (outside / "secret.txt").write_text("TOP-SECRET-FILE-CONTENT\n", encoding="utf-8")
    link_out(project / "playbook", outside)
    message = f"a link to a folder outside the repository ({outside}); {PLAYBOOK_REFUSAL}"
    line = f"playbook:1:1: {message} [link-outside]"
    outputs = []
    for command in (["validate"], ["render", "out"], ["export", "out.json"], ["diff", "base/playbook", "playbook"]):
        result = subprocess.run([PLAYBOOK, *command], cwd=project, capture_output=True, text=True, timeout=60)
        outputs.append(result.stdout + result.stderr)
        if command[0] == "validate":
            assert (result.returncode, result.stdout, result.stderr) == (
                1, line + "\n", "1 problem in playbook; fix them and run again.\n")
        elif command[0] == "diff":  # the review comment says the change does not validate, and why
            assert (result.returncode, result.stdout.splitlines()[-1]) == (
                0, f"- playbook, line 1: {md(message)} (rule `link-outside`)")
        else:
            assert (result.returncode, result.stderr.splitlines()[0], result.stdout) == (1, line, "")
    assert not (project / "out").exists() and not (project / "out.json").exists()
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert errors(result.stdout + result.stderr) == [f"playbook: {message}"]
    assert not (project / "site").exists()
    for output in [*outputs, result.stdout + result.stderr]:
        assert_nothing_leaked(output)


def test_validate_finds_the_repository_from_git(tmp_path: Path) -> None:
    """For the `playbook` command the repository is the git checkout the current folder is in;
    outside one, the folder holding the playbook folder."""
    project = make_project(tmp_path / "p")
    (project / "b").mkdir()
    (project / "playbook").rename(project / "b" / "playbook")
    link_out(project / "a" / "playbook", Path("../b/playbook"))
    result = subprocess.run([PLAYBOOK, "validate", "a/playbook"], cwd=project, capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout) == (
        1, "a/playbook:1:1: a link to a folder outside the repository (b/playbook); " + PLAYBOOK_REFUSAL
        + " [link-outside]\n")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    result = subprocess.run([PLAYBOOK, "validate", "a/playbook"], cwd=project, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("a/playbook: 11 files checked, no problems")


def test_folders_that_are_links_inside_the_repository_are_followed(tmp_path: Path) -> None:
    """A link that stays in the repository reaches only the repository's own files, reviewed like
    the rest; links under it are still judged against where the folder really is."""
    project = make_project(tmp_path / "p")
    (project / "site-src" / "pages").mkdir(parents=True)
    (project / "site-src" / "pages" / "index.md").write_text("# Home\n\nInside words\n", encoding="utf-8")
    link_out(project / "docs", Path("site-src/pages"))
    (project / "playbook").rename(project / "site-src" / "playbook")
    link_out(project / "playbook", Path("site-src/playbook"))
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Inside words" in (project / "site" / "index.html").read_text(encoding="utf-8")
    result = render(project, "out")
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "index.md").read_text(encoding="utf-8") == "# Home\n\nInside words\n"
    # The real docs folder is site-src/pages: a link from it to its neighbour leaves it.
    (project / "site-src" / "pages" / "next.md").symlink_to("../playbook/playbook.yaml")
    expected = link_line("docs/next.md", "file", "site-src/playbook/playbook.yaml")  # not playbook/: ..
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert expected in [line.strip() for line in result.stderr.splitlines()]
    result = render(project, "out")
    assert (result.returncode, result.stderr) == (1, expected + "\n")
