"""Nothing written in YAML disappears in the model: every file of a playbook, as read, is given back
by the model's view of its entry (generator.model.written), which is what `playbook diff` compares.

Checked on the default playbook, on the fixtures, and on generated playbooks whose first entry of
each kind sets every optional field of its schema. A revision nobody validated (the head the
sign-off check reads) is built with its agreement as written, or says what keeps it from being
built: damaged as the mutation suite damages the mini playbook, it is never a traceback.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, REPO
from hypothesis import given
from playbook_strategies import GeneratedPlaybook, dump_yaml, playbooks, suite_settings
from test_mutation import MINI, Ctx, Damage, Symlink, damages

from generator.changes.comment import markdown
from generator.changes.diff import compare
from generator.changes.signoff import Rules, signoff_problems
from generator.model.from_documents import blocking_problems, build_model
from generator.model.playbook import Playbook
from generator.model.written import written
from generator.rules.agreement import signers
from generator.source.loader import LoadedPlaybook, load_playbook


def _given_back(loaded: LoadedPlaybook, model: Playbook) -> list[str]:
    """Every file whose data the model does not give back as it was read."""
    assert loaded.settings is not None
    items: list[Any] = [*model.stages, *model.lifecycle, *model.handoffs, *model.terms, *model.personas,
                        *model.assets, *model.metrics]
    by_file = {item.source: written(item) for item in items}
    by_file[loaded.settings.display] = written(model.settings)
    documents = [loaded.settings, *(doc for docs in loaded.documents.values() for doc in docs)]
    assert len(by_file) == len(documents)
    return [f"{doc.display}: {by_file.get(doc.display)!r} != {doc.data!r}" for doc in documents
            if by_file.get(doc.display) != doc.data]


@pytest.mark.parametrize("root", [REPO / "playbook", FIXTURES / "mini"], ids=["default", "mini"])
def test_every_file_is_given_back_as_read(root: Path) -> None:
    loaded = load_playbook(root)
    assert blocking_problems(loaded) == []
    assert _given_back(loaded, build_model(loaded)) == []


@given(playbook=playbooks())
@suite_settings(ci_examples=5)
def test_every_field_of_every_schema_is_given_back(playbook: GeneratedPlaybook) -> None:
    with tempfile.TemporaryDirectory(prefix="written-") as tmp:
        for relative, data in playbook.files.items():
            path = Path(tmp) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dump_yaml(data), encoding="utf-8")
        loaded = load_playbook(Path(tmp))
        assert blocking_problems(loaded) == []
        assert _given_back(loaded, build_model(loaded)) == []


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    root.mkdir()
    for source in (FIXTURES / "mini").rglob("*"):
        target = root / source.relative_to(FIXTURES / "mini")
        if source.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(source.read_bytes())
    return root


def test_an_agreement_left_out_is_built_as_written(tmp_path: Path) -> None:
    """The sign-off check judges a head nobody validated: an agreed definition without agreed_by,
    or with a name that is not text, is still built, its agreement as written."""
    root = _copy(tmp_path)
    lead = root / "lifecycle" / "lead.yaml"
    lead.write_text(re.sub(r"agreed_by:\n(  .*\n){3}", "", lead.read_text(encoding="utf-8")), encoding="utf-8")
    handoff = root / "handoffs" / "lead-to-won.yaml"
    text = handoff.read_text(encoding="utf-8")
    assert "  sales: Sam Seller\n" in text
    handoff.write_text(text.replace("  sales: Sam Seller\n", "  sales: 42\n"), encoding="utf-8")
    loaded = load_playbook(root)
    assert blocking_problems(loaded) == []
    model = build_model(loaded)
    state = next(s for s in model.lifecycle if s.id == "lead")
    assert (state.agreed_by.sales, state.agreed_by.marketing, state.agreed_by.date) == (None, None, None)
    assert "agreed_by" not in written(state)
    flow = next(h for h in model.handoffs if h.id == "lead-to-won")
    assert flow.agreed_by.sales is None and flow.agreed_by.marketing is not None


def test_what_stops_a_revision_being_built_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    term = root / "terms" / "contact.yaml"
    term.write_text(term.read_text(encoding="utf-8").replace("owner: sales", "owner: [sales]"), encoding="utf-8")
    (root / "stages" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    problems = [str(p) for p in blocking_problems(load_playbook(root))]
    assert len(problems) == 2, problems
    assert "stages/broken.yaml:" in problems[0] and "terms/contact.yaml:" in problems[1] and "owner" in problems[1]


@given(damaged=damages)
@suite_settings(ci_examples=100)
def test_a_damaged_head_is_compared_or_refused_never_a_crash(damaged: list[Damage]) -> None:
    base = build_model(load_playbook(MINI))
    with tempfile.TemporaryDirectory(prefix="damaged-head-") as tmp:
        root = Path(tmp) / "project" / "playbook"
        shutil.copytree(MINI, root)
        (Path(tmp) / "outside").mkdir()
        ctx = Ctx(root, Path(tmp) / "outside")
        ordered = sorted(damaged, key=lambda d: isinstance(d, Symlink))
        ctx.touched = {d.target for d in ordered}
        for damage in ordered:
            damage.apply(ctx)
        loaded = load_playbook(root)
        blocked = blocking_problems(loaded)
        if blocked:
            assert all(not p.warning for p in blocked)
            return
        changes = compare(base, build_model(loaded))
        markdown(changes)
        signoff_problems(changes, Rules(signers(written(base.settings)), date(2026, 11, 23)))


def test_where_an_entry_is_written_keeps_every_field_of_its_document_but_the_data() -> None:
    import dataclasses

    from generator.model.from_documents import _where
    from generator.source.loader import load_playbook

    loaded = load_playbook(REPO / "playbook")
    doc = loaded.documents["asset"][0]
    where = _where(doc)
    assert where.data is None and doc.data is not None
    for field in dataclasses.fields(doc):  # a field added to Document must be kept here too
        if field.name != "data":
            assert getattr(where, field.name) is getattr(doc, field.name), field.name
    assert where.where(("title",)) == doc.where(("title",)) != (1, 1)
