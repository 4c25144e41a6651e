"""Any number of teams: a playbook with three or four teams (customer success, account
management) validates, builds, draws each team's band in the lifecycle diagram, and names every
team in CODEOWNERS and on the Who is who page; a team nobody lists is refused at its line; the
signing teams are sales and marketing unless `signatories` says otherwise, in validation and on
a change."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import test_diff
from conftest import FIXTURES, SITE_CONFIG, run_mkdocs

from generator.model.build import build_playbook
from generator.rules.agreement import signers
from generator.rules.owners import codeowners
from generator.rules.validate import check
from generator.site.pages.lifecycle import lifecycle_svg
from generator.source.loader import load_playbook
from generator.source.ownership import Ownership, parse

PLAYBOOK = str(Path(sys.executable).parent / "playbook")
SVG = "{http://www.w3.org/2000/svg}"
AGREED = "agreed_by:\n  sales: Sam Seller\n  marketing: Mia Marketer\n  date: 2026-01-15\n"

TEAMS = """\
teams:
  sales:
    name: Sales
    leader: Sam Seller
    description: Closes deals.
    reviewers: ["@acme/sellers"]
  marketing:
    name: Marketing
    leader: Mia Marketer
    description: Makes demand.
    reviewers: ["@acme/marketers"]
  customer-success:
    name: Customer Success
    leader: Cara Keeper
    description: Brings customers live and keeps them.
    members: [Customer success managers]
    people: [{name: Cara Keeper, role: Customer Success Lead, handle: "@cara-keeper"}]
    priorities: [Every customer live within 30 days.]
    reviewers: ["@acme/keepers"]
"""
FOURTH = """\
  account-management:
    name: Account Management
    leader: Abe Grower
    description: Renews and grows accounts.
    reviewers: ["@acme/growers"]
"""


def _state(id: str, order: int, owner: str, next_states: list[str]) -> str:
    final = "final: true\n" if not next_states else ""
    return (f"id: {id}\norder: {order}\nname: {id.title()}\nrecord: customer\n"
            f"definition: A customer in {id}.\nqualifies:\n  - Signed.\ndoes_not_qualify:\n  - Not signed.\n"
            f"owner: {owner}\nnext_states: [{', '.join(next_states)}]\n{final}"
            f"crm:\n  object: Account\n  field: Status\n  value: {id.title()}\n{AGREED}")


def _handoff(source: str, target: str, from_team: str, to_team: str) -> str:
    return (f"id: {source}-to-{target}\nname: {from_team} hands a customer to {to_team}\n"
            f"from_state: {source}\nto_state: {target}\nfrom_team: {from_team}\nto_team: {to_team}\n"
            "sender: The account owner\nreceiver: The new account owner\n"
            "service_level:\n  within: 2\n  unit: business-days\n  action: Accept or reject the customer.\n"
            "receiver_checks:\n  - The order form is signed.\n"
            f"rejection_reasons:\n  - reason: Not ready for {target}.\n    goes_to: {source}\n"
            "escalation:\n  within: 1\n  unit: business-days\n  notify: The team leads\n"
            "  action: The leads assign an owner that day.\n"
            "follow_up:\n  touches: 3\n  days: 5\n  rule: Call, then e-mail.\n" + AGREED)


def playbook_with(tmp_path: Path, teams: int) -> Path:
    """The mini playbook with three teams (customer success owns `live`, the contact term and the
    buyer persona) or four (account management owns `renewal`, after `live`)."""
    root = tmp_path / "repo" / "playbook"
    shutil.copytree(FIXTURES / "mini", root)
    settings = root / "playbook.yaml"
    text = settings.read_text(encoding="utf-8")
    start, end = text.index("teams:\n"), text.index("introduction:")
    settings.write_text(text[:start] + TEAMS + (FOURTH if teams == 4 else "") + text[end:], encoding="utf-8")
    won = root / "lifecycle" / "won.yaml"
    won.write_text(won.read_text(encoding="utf-8").replace("next_states: []", "next_states: [live]")
                   .replace("final: true\n", ""), encoding="utf-8")
    last = ["renewal"] if teams == 4 else []
    (root / "lifecycle" / "live.yaml").write_text(_state("live", 3, "customer-success", last), encoding="utf-8")
    (root / "handoffs" / "won-to-live.yaml").write_text(_handoff("won", "live", "sales", "customer-success"),
                                                        encoding="utf-8")
    if teams == 4:
        (root / "lifecycle" / "renewal.yaml").write_text(_state("renewal", 4, "account-management", []),
                                                         encoding="utf-8")
        (root / "handoffs" / "live-to-renewal.yaml").write_text(
            _handoff("live", "renewal", "customer-success", "account-management"), encoding="utf-8")
    for name in ("terms/contact.yaml", "personas/buyer.yaml"):
        path = root / name
        path.write_text(re.sub(r"(?m)^owner: .*$", "owner: customer-success", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    return root


def problems(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(root.parent)
    return [str(p) for p in check(Path("playbook"))[1] if not p.warning]


def bands(root: Path) -> list[tuple[str, str, str]]:
    svg = ET.fromstring(lifecycle_svg(build_playbook(root), html.escape))
    return [(g.attrib["data-team"], g.attrib["class"].split("--")[1], " ".join(g.itertext()).strip())
            for g in svg.iter(f"{SVG}g") if g.attrib.get("class", "").startswith("pb-dg-band ")]


# ---------------------------------------------------------------- three and four teams


@pytest.mark.parametrize("teams", [3, 4])
def test_a_playbook_of_more_teams_validates_and_names_them_all(teams: int, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, teams)
    assert problems(root, monkeypatch) == []
    written = codeowners(load_playbook(root), "playbook")
    assert written is not None
    owners = Ownership(parse(written))
    both = ("@acme/sellers", "@acme/marketers")
    assert owners.owners_of("playbook/lifecycle/lead.yaml") == both
    assert owners.owners_of("playbook/lifecycle/live.yaml") == (*both, "@acme/keepers")
    assert owners.owners_of("playbook/handoffs/won-to-live.yaml") == (*both, "@acme/keepers")
    assert owners.owners_of("playbook/terms/contact.yaml") == ("@acme/keepers",)
    assert owners.owners_of("playbook/personas/buyer.yaml") == ("@acme/keepers",)
    assert owners.owners_of("playbook/assets/guide.yaml") == ("@acme/marketers",)
    assert owners.owners_of("playbook/playbook.yaml") == both
    if teams == 4:
        assert owners.owners_of("playbook/lifecycle/renewal.yaml") == (*both, "@acme/growers")
        assert owners.owners_of("playbook/handoffs/live-to-renewal.yaml") == (*both, "@acme/keepers",
                                                                              "@acme/growers")
    # Written, the file is what the check asks for.
    (root.parent / ".github").mkdir()
    (root.parent / ".github" / "CODEOWNERS").write_text(written, encoding="utf-8")
    assert problems(root, monkeypatch) == []
    # Every team's reviewers are in it.
    for handle in ("@acme/sellers", "@acme/marketers", "@acme/keepers", *(["@acme/growers"] if teams == 4 else [])):
        assert handle in written


def test_the_diagram_draws_a_band_for_each_team_in_order(tmp_path: Path) -> None:
    three = bands(playbook_with(tmp_path / "three", 3))
    assert three == [("marketing", "marketing", "Marketing"), ("sales", "sales", "Sales"),
                     ("customer-success", "other", "Customer Success")]
    root = playbook_with(tmp_path / "four", 4)
    four = bands(root)
    assert four == [*three, ("account-management", "other", "Account Management")]
    svg = ET.fromstring(lifecycle_svg(build_playbook(root), html.escape))
    # Two bands of teams without a colour of their own meet: a rule marks where one ends.
    rules = [p for p in svg.iter(f"{SVG}path") if p.attrib.get("class") == "pb-dg-band-rule"]
    assert len(rules) == 1
    tops = {g.attrib["data-team"]: float(next(g.iter(f"{SVG}rect")).attrib["y"])
            for g in svg.iter(f"{SVG}g") if "data-team" in g.attrib}
    assert rules[0].attrib["d"].startswith(f"M0,{tops['account-management']:g}")
    assert tops["marketing"] < tops["sales"] < tops["customer-success"] < tops["account-management"]
    # Each state sits in its owner's band.
    states = {g.attrib["data-state"]: float(next(g.iter(f"{SVG}rect")).attrib["y"])
              for g in svg.iter(f"{SVG}g") if "data-state" in g.attrib}
    assert tops["customer-success"] < states["live"] < tops["account-management"] < states["renewal"]


def test_the_site_builds_and_who_is_who_lists_every_team(tmp_path: Path) -> None:
    root = playbook_with(tmp_path, 4)
    project = root.parent
    (project / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    (project / "docs").mkdir()
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    about = (project / "site" / "about" / "index.html").read_text(encoding="utf-8")
    for name in ("Sales", "Marketing", "Customer Success", "Account Management", "Cara Keeper", "Abe Grower",
                 "@acme/keepers", "@acme/growers", "Every customer live within 30 days."):
        assert name in about, name
    assert "signed by one person of each of these teams: Sales and Marketing." in about
    # Customer success does not sign: its people are listed, not as signers.
    assert "People of Customer Success" in about and "Who signs for Customer Success" not in about
    lifecycle = (project / "site" / "lifecycle" / "index.html").read_text(encoding="utf-8")
    assert 'data-team="account-management"' in lifecycle and "Account Management" in lifecycle


# ---------------------------------------------------------------- a team nobody lists


def test_an_owner_naming_an_unknown_team_is_refused_at_its_line(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, 3)
    live = root / "lifecycle" / "live.yaml"
    live.write_text(live.read_text(encoding="utf-8").replace("owner: customer-success", "owner: customer-sucess"),
                    encoding="utf-8")
    handoff = root / "handoffs" / "won-to-live.yaml"
    handoff.write_text(handoff.read_text(encoding="utf-8").replace("to_team: customer-success",
                                                                   "to_team: customer-sucess"), encoding="utf-8")
    found = problems(root, monkeypatch)
    line = live.read_text(encoding="utf-8").splitlines().index("owner: customer-sucess") + 1
    assert (f"playbook/lifecycle/live.yaml:{line}:8: owner: 'customer-sucess' is not a team listed in playbook.yaml "
            "(did you mean 'customer-success'?): the teams are sales, marketing, customer-success; write one of "
            "them, or add the team under teams in playbook.yaml (with its name, leader and description) "
            "[unknown-team]") in found, found
    assert any(p.startswith("playbook/handoffs/won-to-live.yaml:6:10: to_team: 'customer-sucess' is not a team listed")
               for p in found), found
    assert all(p.endswith("[unknown-team]") for p in found), found


def test_a_team_named_both_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, 3)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("  customer-success:\n", "  both:\n"),
                        encoding="utf-8")
    assert any("teams.both" in p or "'both'" in p for p in problems(root, monkeypatch))


# ---------------------------------------------------------------- the signing teams


def test_sales_and_marketing_sign_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, 3)
    assert list(signers(load_playbook(root).settings.data)) == ["sales", "marketing"]  # type: ignore[union-attr]
    lead = root / "lifecycle" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("  marketing: Mia Marketer\n", ""), encoding="utf-8")
    assert problems(root, monkeypatch) == [
        "playbook/lifecycle/lead.yaml:17:1: agreed_by: no name for marketing: the signing teams are sales and "
        "marketing, and agreed_by names one person of each who agreed, and the day [signatory-missing]"]
    # A team that does not sign has no place in agreed_by.
    signed = "  sales: Sam Seller\n  marketing: Mia Marketer\n  customer-success: Cara Keeper\n"
    lead.write_text(lead.read_text(encoding="utf-8").replace("  sales: Sam Seller\n", signed), encoding="utf-8")
    assert problems(root, monkeypatch) == [
        "playbook/lifecycle/lead.yaml:20:3: agreed_by.customer-success: customer-success does not sign agreed "
        "definitions (the signing teams are sales and marketing): remove this name, or add customer-success to "
        "signatories in playbook.yaml [signatory-missing]"]


def _sign_everything(root: Path, team: str, name: str) -> None:
    for path in [*(root / "lifecycle").glob("*.yaml"), *(root / "handoffs").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  date: 2026-01-15\n", f"  {team}: {name}\n  date: 2026-01-15\n"),
                        encoding="utf-8")


def test_signatories_name_the_signing_teams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, 3)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "signatories: [sales, marketing, customer-success]\n",
                        encoding="utf-8")
    assert list(signers(load_playbook(root).settings.data)) == ["sales", "marketing",  # type: ignore[union-attr]
                                                                "customer-success"]
    found = problems(root, monkeypatch)
    assert len(found) == 6, found  # two handoffs and three states
    assert all("no name for customer-success" in p and p.endswith("[signatory-missing]") for p in found[:5]), found
    # Every signing team owns the shared goals.
    assert found[5].endswith("owners: a shared goal is owned by every signing team: add 'customer-success' to "
                             "owners [goal-needs-both-teams]"), found
    goal = root / "metrics" / "win-rate.yaml"
    goal.write_text(goal.read_text(encoding="utf-8").replace("owners: [sales, marketing]",
                                                             "owners: [sales, marketing, customer-success]"),
                    encoding="utf-8")
    _sign_everything(root, "customer-success", "Sam Seller")
    found = problems(root, monkeypatch)
    assert {p.rsplit(" [", 1)[1] for p in found} == {"signer-not-listed]", "same-signer]"}, found
    assert all("'Sam Seller' signs for sales, not customer-success" in p for p in found if "signer-not" in p)
    assert all("one person of each of sales, marketing and customer-success agrees, and sales and "
               "customer-success name the same person" in p for p in found if "same-signer" in p)
    for path in [*(root / "lifecycle").glob("*.yaml"), *(root / "handoffs").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("customer-success: Sam Seller",
                                                                 "customer-success: Cara Keeper"), encoding="utf-8")
    assert problems(root, monkeypatch) == []


def test_signatories_may_name_only_listed_teams(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = playbook_with(tmp_path, 3)
    settings = root / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "signatories: [sales, marketting]\n", encoding="utf-8")
    found = problems(root, monkeypatch)
    line = len(settings.read_text(encoding="utf-8").splitlines())
    assert [p for p in found if "signatories[" in p] == [
        f"playbook/playbook.yaml:{line}:22: signatories[1]: 'marketting' is not a team listed in playbook.yaml "
        "(did you mean 'marketing'?): the teams are sales, marketing, customer-success; write one of them, or add "
        "the team under teams in playbook.yaml (with its name, leader and description) [unknown-team]"]
    # Until it is put right, sales and marketing still sign: a mistake cannot make fewer teams sign.
    assert list(signers(load_playbook(root).settings.data)) == ["sales", "marketing"]  # type: ignore[union-attr]


def test_a_change_is_signed_by_the_signing_teams_of_the_base(tmp_path: Path) -> None:
    """With customer success among the signing teams on main, a changed definition without its
    name is refused; a change cannot drop a team from `signatories` to escape it."""
    repo = test_diff.Repo(tmp_path / "repo", playbook_with(tmp_path / "source", 3))
    settings = repo.root / "playbook" / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "signatories: [sales, marketing, customer-success]\n",
                        encoding="utf-8")
    _sign_everything(repo.root / "playbook", "customer-success", "Cara Keeper")
    repo.commit("Customer success signs too", "2026-11-01")
    repo.git("switch", "-q", "-c", "proposal")
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "signatories: [sales, marketing, customer-success]\n", "signatories: [sales, marketing]\n"), encoding="utf-8")
    for path in [*(repo.root / "playbook" / "lifecycle").glob("*.yaml"),
                 *(repo.root / "playbook" / "handoffs").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8").replace("  customer-success: Cara Keeper\n", ""),
                        encoding="utf-8")
    repo.edit("lifecycle/live.yaml", text=("  date: 2026-01-15\n", "  date: 2026-11-20\n"))
    repo.edit("lifecycle/live.yaml", text=("A customer in live.", "A customer processing invoices."))
    repo.commit("A new definition of live, and fewer signers", "2026-11-22")
    result = repo.diff("--check-signoff", "main", "HEAD")
    assert result.returncode == 1, result.stdout
    assert "without a name from customer-success: the signing teams (sales, marketing, customer-success) agree" \
        in result.stdout, result.stdout
    assert re.findall(r"\[([a-z-]+)\]$", result.stdout, re.MULTILINE) == ["signoff-missing-name"], result.stdout
    validate = subprocess.run([PLAYBOOK, "validate", "playbook"], cwd=repo.root, capture_output=True, text=True,
                              timeout=120)
    assert validate.returncode == 0, validate.stdout  # the head alone is sound: only the change is refused
