"""Reading a large playbook's files, and screening their texts, on several cores
(generator/source/parallel.py) tells exactly what doing it all in one process tells: the same
problems, in the same words, at the same lines and columns, in the same order, and the same
documents, on every damaged playbook of the suite and on a large playbook damaged in every way a
file can be. So does reading every file with the careful YAML reader alone (quickyaml.py off).

The comparison runs in a fresh interpreter: files are only shared with forked processes while
no other thread runs, and a test process may have threads of its own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

from generator.source import parallel

BAD = REPO / "tests" / "bad"

COMPARE = r"""
import json, os, sys, time
from pathlib import Path
from generator.rules.validate import check
from generator.source import loader, parallel, quickyaml
from generator.source.schemas import check_document

def told(root, processes, quick=True):
    os.environ[parallel.SETTING] = str(processes)
    if quick:
        os.environ.pop(quickyaml.SETTING, None)
    else:  # every file read by the careful reader, over libyaml's events
        os.environ[quickyaml.SETTING] = "0"
    loader.FILES.clear()
    loaded, problems = check(Path(root))
    docs = [loaded.settings, *(d for kind in loaded.documents.values() for d in kind)]
    return {"problems": [str(p) for p in problems], "loaded": [str(p) for p in loaded.problems],
            "documents": [[d.kind, d.display, d.data, sorted(map(str, d.positions.items()))]
                          for d in docs if d is not None],
            "unreadable": {k: [str(p) for p in v] for k, v in loaded.unreadable.items()}}

MAIN = os.getpid()
TOOK = os.path.join(os.getcwd(), "another-process-took-a-run")
WAITED = []

def probe(doc):
    # This process waits, once, until another has read a file (or a minute has passed): on a busy
    # machine this one could otherwise take every run before the other had started.
    if os.getpid() != MAIN:
        open(TOOK, "w").close()
    elif not WAITED:
        deadline = time.monotonic() + 60
        while not os.path.exists(TOOK) and time.monotonic() < deadline:
            time.sleep(0.01)
        WAITED.append(True)
    return [os.getpid()]

def pids(root):
    # Which processes read the files when they are shared: each check tells its own.
    os.environ[parallel.SETTING] = "2"
    loader.FILES.clear()
    seen = set()
    loaded = loader.load_playbook(Path(root), probe)
    for docs in loaded.documents.values():
        for doc in docs:
            seen.update(loader.checked(doc, check_document))
    return len(seen)

def pristine(root):
    # What the cache of files read keeps of each file stays as read, whichever process read it,
    # though the documents handed out are changed: the next read gives the file as it is.
    os.environ[parallel.SETTING] = "2"
    loader.FILES.clear()
    first = loader.load_playbook(Path(root))
    docs = [d for kind in first.documents.values() for d in kind]
    before = json.dumps([d.data for d in docs], default=str)
    for doc in docs:
        doc.data["changed"] = [doc.data.pop("id", None)]
        for value in doc.data.values():
            if isinstance(value, list):
                value.append("more")
    again = [d for kind in loader.load_playbook(Path(root)).documents.values() for d in kind]
    return (json.dumps([d.data for d in again], default=str) == before
            and not any(a.data is d.data for a, d in zip(again, docs)))

def kept(root):
    # A first run that keeps what it read on disk, on two processes: the documents the other
    # process read are not unpacked while the person waits, and the cache written holds every file
    # as one process reads it.
    import tempfile
    from generator.source import diskcache
    os.environ[parallel.SETTING] = "2"
    os.environ[diskcache.SETTING] = tempfile.mkdtemp()
    loader.FILES.clear()
    loaded, _ = check(Path(root), on_disk=True)
    docs = [loaded.settings, *(d for kind in loaded.documents.values() for d in kind)]
    packed = sum(isinstance(loader.FILES.get(d.source)._packed, bytes) for d in docs)
    diskcache.save_pending()
    [file] = Path(os.environ.pop(diskcache.SETTING)).glob("*.json")
    on_disk = sorted(json.dumps(entry[0], sort_keys=True) for entry in json.loads(file.read_text())["files"].values())
    os.environ[parallel.SETTING] = "1"
    loader.FILES.clear()
    one = loader.load_playbook(Path(root))
    every = [one.settings, *(d for k in one.documents.values() for d in k)]
    read = sorted(json.dumps(d.data, sort_keys=True) for d in every)
    return {"packed": packed, "files": len(docs), "same": on_disk == read}

parallel.MIN_ITEMS = 1
out = {"pristine": pristine(sys.argv[-1]), "kept": kept(sys.argv[-2])}
for root in sys.argv[1:]:
    one, shared, careful = told(root, 1), told(root, 2), told(root, 1, quick=False)
    out[root] = {"same": one == shared, "one": one, "shared": shared, "count": len(one["problems"]),
                 "careful": careful == one == told(root, 2, quick=False), "careful_problems": careful["problems"]}
out["pids"] = pids(sys.argv[-1])
print(json.dumps(out, default=str))
"""


def _damage(project: Path) -> Path:
    """A large synthetic playbook with every kind of damage a file can carry, spread over the
    files so that each process of two gets some of it."""
    sys.path.insert(0, str(REPO))
    from benchmarks.synth import write_playbook

    write_playbook(project, 120, 3)
    playbook = project / "playbook"
    assets = sorted((playbook / "assets").glob("*.yaml"))
    terms = sorted((playbook / "terms").glob("*.yaml"))
    assets[0].write_text("id: [broken\n", encoding="utf-8")
    assets[1].write_text(assets[1].read_text(encoding="utf-8") + "id: again\n", encoding="utf-8")
    assets[2].write_text(assets[2].read_text(encoding="utf-8").replace("  ", "\t", 1), encoding="utf-8")
    assets[3].write_bytes(b"id: \xff\xfe\n")
    assets[4].write_text("", encoding="utf-8")
    assets[5].write_text("- a list\n", encoding="utf-8")
    assets[6].write_text(assets[6].read_text(encoding="utf-8") + "extra: !!python/object x\n", encoding="utf-8")
    assets[7].write_text(assets[7].read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    terms[0].write_text(terms[0].read_text(encoding="utf-8").replace("definition: >-\n", "definition: >-\n"
                                                                     "  Within [[nope]].\n", 1), encoding="utf-8")
    terms[1].write_text(terms[1].read_text(encoding="utf-8") + "owner: nobody\n", encoding="utf-8")
    # The checks that read every text: a placeholder, an agreed reason quoted, a value typed out.
    assets[8].write_text(re.sub(r"(?m)^title: .*$", "title: TODO", assets[8].read_text(encoding="utf-8"), count=1),
                         encoding="utf-8")
    for term, said in ((terms[2], "Dropped when \"Person has asked not to be contacted\"."),
                       (terms[3], "Worth 10 percent of the deal."), (terms[-1], "It brings in $3,000,000."),
                       (terms[4], "It brings in USD 3,000,000.")):
        term.write_text(term.read_text(encoding="utf-8").replace("definition: >-\n", f"definition: >-\n  {said}\n", 1),
                        encoding="utf-8")
    # A list an alias repeats: one object in two places, in the process that read it and in this one.
    assets[9].write_text(assets[9].read_text(encoding="utf-8") + "notes: &n\n  - one\nagain: *n\n", encoding="utf-8")
    # What the quick reading of YAML leaves to the careful reader (quickyaml.py): a word YAML 1.1
    # reads as true, a field with no name, a time read as a number, an escaped quote, a long line.
    assets[10].write_text(assets[10].read_text(encoding="utf-8") + "approved: yes\n", encoding="utf-8")
    assets[11].write_text(": no name\n" + assets[11].read_text(encoding="utf-8"), encoding="utf-8")
    assets[12].write_text(assets[12].read_text(encoding="utf-8") + "at: 1:30\nsaid: \"a \\\"quoted\\\" word\"\n"
                          + "k" * 1100 + ": v\n", encoding="utf-8")
    (playbook / "assets" / "stray.txt").write_text("not yaml\n", encoding="utf-8")
    (playbook / "assets" / "old.yml").write_text("id: old\n", encoding="utf-8")
    (playbook / "terms" / ".hidden.yaml").write_text("id: hidden\n", encoding="utf-8")
    (playbook / "terms" / "outside.yaml").symlink_to("/etc/hostname")
    return playbook


def test_files_read_on_two_processes_tell_exactly_what_one_process_tells(tmp_path: Path) -> None:
    damaged = _damage(tmp_path / "big")
    roots = [*(str(p) for p in sorted(BAD.iterdir()) if p.is_dir()), str(REPO / "playbook"), str(damaged)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", COMPARE, *roots], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    for root in roots:
        assert out[root]["same"], (root, out[root]["one"]["problems"], out[root]["shared"]["problems"])
        # The quick reading of YAML (quickyaml.py) tells what the careful reader alone tells, word for word.
        assert out[root]["careful"], (root, out[root]["one"]["problems"], out[root]["careful_problems"])
    # Every damaged playbook of the suite tells its problems both ways.
    assert all(out[str(p)]["count"] > 0 for p in BAD.iterdir() if p.is_dir())
    big = out[str(damaged)]["shared"]
    assert len(big["documents"]) > 100
    said = "\n".join(big["problems"])
    for rule in ("yaml-syntax", "duplicate-key", "tab-character", "not-utf8", "file-empty", "not-a-mapping",
                 "yaml-tag", "unknown-field", "unknown-value", "stray-file", "hidden-file", "link-outside",
                 "placeholder-text", "reason-typed-out", "value-typed-out", "value-number-typed-out"):
        assert f"[{rule}]" in said, rule
    # The files were read by two processes.
    assert out["pids"] == 2
    assert out["pristine"] is True
    kept = out["kept"]
    assert kept["same"] is True and 0 < kept["packed"] < kept["files"], kept


def test_a_small_playbook_or_one_asked_not_to_is_read_in_this_process(monkeypatch) -> None:
    monkeypatch.setenv(parallel.SETTING, "4")
    assert parallel.processes(parallel.MIN_ITEMS - 1) == 1
    monkeypatch.setenv(parallel.SETTING, "0")
    assert parallel.processes(10 * parallel.MIN_ITEMS) == 1
    monkeypatch.setenv(parallel.SETTING, "1")
    assert parallel.processes(10 * parallel.MIN_ITEMS) == 1


SHARING = r"""
import json, os, sys, time
from generator.source import parallel

first = os.getpid()

def squares(items):
    time.sleep(0.005)  # long enough that every process takes some runs
    return [[i * i, os.getpid()] for i in items]

def fails_elsewhere(items):
    if os.getpid() != first:
        raise RuntimeError("a process that fails")
    time.sleep(0.005)  # long enough for the others to take runs
    return [i * i for i in items]

def dies_elsewhere(items):
    if os.getpid() != first:
        os._exit(3)
    time.sleep(0.005)
    return [i * i for i in items]

os.environ[parallel.SETTING] = sys.argv[1]
sys.stdout.write("said once\n")  # not flushed yet: a new process must not say it again
out = {}
for n in (1000, 1001, 4099):
    done = parallel.shared(squares, list(range(n)))
    out[n] = [[value for value, _ in done] == [i * i for i in range(n)], len({pid for _, pid in done})]
out["fails"] = parallel.shared(fails_elsewhere, list(range(1500))) == [i * i for i in range(1500)]
out["dies"] = parallel.shared(dies_elsewhere, list(range(1500))) == [i * i for i in range(1500)]

def fails_here(items):
    if os.getpid() == first:
        raise ValueError("a mistake in the work")
    time.sleep(0.01)
    return list(items)

try:
    parallel.shared(fails_here, list(range(1500)))
except ValueError as err:
    out["raised"] = str(err)
import multiprocessing
out["left"] = len(multiprocessing.active_children())  # the others were stopped

# meanwhile runs once, here, while the others already work, before this process takes a run.
calls = []
def meanwhile():
    calls.append(os.getpid())
    deadline = time.monotonic() + 60
    while not os.path.exists("took") and time.monotonic() < deadline:
        time.sleep(0.01)

def marking(items):
    if os.getpid() != first:
        open("took", "w").close()
    time.sleep(0.005)
    return [[i * i, os.getpid()] for i in items]

done = parallel.shared(marking, list(range(1500)), meanwhile)
out["meanwhile"] = [calls == [first], [v for v, _ in done] == [i * i for i in range(1500)],
                    os.path.exists("took"), len({pid for _, pid in done})]
calls.clear()
os.environ[parallel.SETTING] = "1"
done = parallel.shared(squares, list(range(1500)), lambda: calls.append("alone"))
out["meanwhile alone"] = [calls == ["alone"], [v for v, _ in done] == [i * i for i in range(1500)]]
os.environ[parallel.SETTING] = sys.argv[1]
def wrong():
    raise ValueError("a mistake meanwhile")
try:
    parallel.shared(squares, list(range(1500)), wrong)
except ValueError as err:
    out["raised meanwhile"] = [str(err), len(multiprocessing.active_children())]

# Each run comes back through a file of its own process; where no file can be made, through the
# pipe. Either way every file is closed once the work is done.
import tempfile
real_file = tempfile.TemporaryFile
spools = []
def counted(*args, **kwargs):
    spools.append(1)
    return real_file(*args, **kwargs)
tempfile.TemporaryFile = counted
fds = len(os.listdir("/proc/self/fd"))
done = parallel.shared(squares, list(range(3000)))
out["spool"] = [[v for v, _ in done] == [i * i for i in range(3000)], len({pid for _, pid in done}),
                len(os.listdir("/proc/self/fd")) - fds, len(spools)]
def no_file(*args, **kwargs):
    raise OSError(28, "No space left on device")
tempfile.TemporaryFile = no_file
done = parallel.shared(squares, list(range(3000)))
tempfile.TemporaryFile = real_file
out["no spool"] = [[v for v, _ in done] == [i * i for i in range(3000)], len({pid for _, pid in done}),
                   len(os.listdir("/proc/self/fd")) - fds]

# Where no semaphore or pipe can be made (some containers), everything is worked on here.
import multiprocessing.context
def refused(*args, **kwargs):
    raise OSError(38, "Function not implemented")
for name in ("Lock", "Pipe"):
    real = getattr(multiprocessing.context.ForkContext, name)
    setattr(multiprocessing.context.ForkContext, name, refused)
    done = parallel.shared(squares, list(range(1000)))
    out[name] = [[value for value, _ in done] == [i * i for i in range(1000)], len({pid for _, pid in done})]
    setattr(multiprocessing.context.ForkContext, name, real)
print(json.dumps(out))
"""


def test_work_shared_between_processes_comes_back_whole_and_in_order(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for processes in (2, 4):
        done = subprocess.run([sys.executable, "-c", SHARING, str(processes)], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=300, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        said, result = done.stdout.splitlines()
        assert said == "said once"
        out = json.loads(result)
        # Every item once, in order, whatever the number of items; every process took some.
        for n in ("1000", "1001", "4099"):
            assert out[n] == [True, processes], (processes, n, out[n])
        # A process that fails, or dies, leaves its runs to the first, which works them out itself.
        assert out["fails"] is True and out["dies"] is True
        assert out["Lock"] == [True, 1] and out["Pipe"] == [True, 1]
        # A mistake in the work here is raised as it is, and the other processes are stopped.
        assert out["raised"] == "a mistake in the work" and out["left"] == 0
        # Work of this process's own, meanwhile: once, here, while another process had taken a run
        # already; alone when nothing is shared; a mistake in it stops the others and is raised.
        assert out["meanwhile"] == [True, True, True, processes], out["meanwhile"]
        assert out["meanwhile alone"] == [True, True]
        assert out["raised meanwhile"] == ["a mistake meanwhile", 0]
        # Runs come back through a file, or through the pipe where no file can be made; no file is
        # left open either way.
        assert out["spool"] == [True, processes, 0, processes - 1] and out["no spool"] == [True, processes, 0]
        assert "Traceback" not in done.stderr


STOPPED = r"""
import os, sys, time
from generator.source import parallel

first = os.getpid()

def stopped(items):
    if os.getpid() != first:  # as Ctrl-C does in every process of the command
        raise KeyboardInterrupt
    time.sleep(0.01)  # long enough for the other process to take a run
    return [i * i for i in items]

os.environ[parallel.SETTING] = "2"
print(parallel.shared(stopped, list(range(2000))) == [i * i for i in range(2000)])
"""


def test_a_process_stopped_by_ctrl_c_says_nothing_and_leaves_its_runs_to_the_first(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", STOPPED], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120, check=False)
    assert done.stdout == "True\n", done.stderr[-3000:]
    assert done.stderr == ""


def test_what_marshal_cannot_take_is_sent_as_it_is() -> None:
    """A file's data goes to the other process with marshal; anything marshal cannot take goes
    with pickle, unchanged."""
    from generator.source.filecache import packed as _packed
    from generator.source.filecache import unpacked as _unpacked

    shared = ["one", {"two": 2.5}]
    data = {"a": shared, "b": shared, "big": 10**40, "none": None, "yes": True}
    back = _unpacked(_packed((data, ("asset", "a.yaml", b"raw"))))
    assert back == (data, ("asset", "a.yaml", b"raw"))
    assert back[0]["a"] is back[0]["b"]  # one object in two places stays one
    odd = {"when": complex(1, 2), "set": frozenset({1})}
    assert isinstance(_packed(odd), bytes)
    strange = {"x": Path("p")}
    assert _packed(strange) == (strange,) and _unpacked(_packed(strange)) == strange


def test_a_document_kept_packed_is_unpacked_anew_for_each_caller() -> None:
    """A document another process read is kept as packed bytes: each caller gets its own copy,
    and what one caller changes, the cache and the next caller never see."""
    from generator.source.document import Document
    from generator.source.filecache import Entry, packed

    data = {"id": "a", "stages": ["learning"], "notes": {"x": [1, 2]}}
    entry = Entry((), True)
    entry.keep_packed(packed(data), False, None)
    first = entry.document(Document("asset", Path("a.yaml"), "a.yaml"), ("key",))
    assert first is not None and first.data == data and first.data is not data
    first.data["stages"].append("scoping")
    first.data["notes"]["x"].clear()
    second = entry.document(Document("asset", Path("a.yaml"), "a.yaml"), ("key",))
    assert second is not None and second.data == data
    assert entry.data == data and entry.data is entry.data  # unpacked once, then kept
    third = entry.document(Document("asset", Path("a.yaml"), "a.yaml"), ("key",))
    assert third is not None and third.data == data and third.data is not entry.data
    # Data marshal cannot take comes as it is, and is the first caller's own: the cache keeps a copy.
    odd = {"id": "b", "where": Path("b"), "stages": ["learning"]}
    handed = packed(odd)
    assert isinstance(handed, tuple)
    kept = Entry((), True)
    kept.keep_packed(handed, False, None)
    odd["stages"].append("scoping")
    again = kept.document(Document("asset", Path("b.yaml"), "b.yaml"), ("key",))
    assert again is not None and again.data == {"id": "b", "where": Path("b"), "stages": ["learning"]}
