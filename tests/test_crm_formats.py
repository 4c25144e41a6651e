"""crm-check on the CRMs' own files, and the export in their shapes: Salesforce StandardValueSet
metadata (as `sf project retrieve start` writes it), a Salesforce picklist report CSV, HubSpot
property and deal pipeline JSON (as the CRM API returns them), each written here from the vendors'
documented shapes, told apart by content, and compared with the playbook value by value."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from generator.commands.cli import main
from generator.commands.crm import MAX_PICKLIST_BYTES
from generator.commands.crm_formats import read_crm

NS = "http://soap.sforce.com/2006/04/metadata"
LEADS = [("Inquiry", False), ("MQL", False), ("Accepted", False), ("SQL", True), ("Nurture", False),
         ("Disqualified", False)]
# fullName, probability, forecastCategory, closed, won: the default playbook's stages.
STAGES = [("1-Discovery", 10, "Pipeline", False, False), ("2-Scoping", 20, "Pipeline", False, False),
          ("3-Evaluation", 40, "Pipeline", False, False), ("4-Proposal", 60, "Pipeline", False, False),
          ("5-Negotiation", 80, "BestCase", False, False), ("Closed Won", 100, "Closed", True, True),
          ("Closed Lost", 0, "Omitted", True, False)]


def lead_status_xml(leads: list[tuple[str, bool]] = LEADS, labels: dict[str, str] | None = None) -> str:
    values = "".join(f"""    <standardValue>
        <fullName>{name}</fullName>
        <default>{'true' if i == 0 else 'false'}</default>
        <label>{(labels or {}).get(name, name)}</label>
        <converted>{'true' if converted else 'false'}</converted>
    </standardValue>
""" for i, (name, converted) in enumerate(leads))
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<StandardValueSet xmlns="{NS}">\n    <sorted>false</sorted>\n' \
           f"{values}</StandardValueSet>\n"


def opportunity_stage_xml(stages: list[tuple[str, int, str, bool, bool]] = STAGES) -> str:
    values = "".join(f"""    <standardValue>
        <fullName>{name}</fullName>
        <default>false</default>
        <label>{name}</label>
        <closed>{str(closed).lower()}</closed>
        <forecastCategory>{forecast}</forecastCategory>
        <probability>{probability}</probability>
        <won>{str(won).lower()}</won>
    </standardValue>
""" for name, probability, forecast, closed, won in stages)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<StandardValueSet xmlns="{NS}">\n    <sorted>false</sorted>\n' \
           f"{values}</StandardValueSet>\n"


def lead_status_property(names: list[str]) -> dict[str, object]:
    """GET /crm/v3/properties/contacts/hs_lead_status, as HubSpot answers it."""
    return {"name": "hs_lead_status", "label": "Lead Status", "type": "enumeration", "fieldType": "radio",
            "groupName": "sales_properties", "description": "The contact's sales, prospecting or outreach status",
            "options": [{"label": n, "value": n, "displayOrder": i, "hidden": False, "description": ""}
                        for i, n in enumerate(names)], "hubspotDefined": True, "calculated": False}


def deal_pipelines(stages: list[tuple[str, int, str, bool, bool]] = STAGES) -> dict[str, object]:
    """GET /crm/v3/pipelines/deals, as HubSpot answers it."""
    return {"results": [{"id": "default", "label": "Sales Pipeline", "displayOrder": 0, "archived": False,
                         "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
                         "stages": [{"id": str(1000 + i), "label": name, "displayOrder": i, "archived": False,
                                     "metadata": {"probability": str(p / 100), "isClosed": str(closed).lower()}}
                                    for i, (name, p, _, closed, _) in enumerate(stages)]}]}


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], target: str,
          playbook: Path = REPO / "playbook") -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    code = main(["crm-check", "--playbook", str(playbook), target])
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, text: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines[start:], start=start + 1) if text in line)


# Telling the formats apart -----------------------------------------------------------------------


def test_each_format_is_told_by_its_content_not_its_name(tmp_path: Path) -> None:
    """The same files under names that say nothing are read as what they are."""
    files = {"a.txt": lead_status_xml(), "b.txt": opportunity_stage_xml(),
             "c.txt": json.dumps(lead_status_property(["MQL"])), "d.txt": json.dumps(deal_pipelines()),
             "e.txt": json.dumps([lead_status_property(["SQL"])]),
             "f.txt": json.dumps({"results": [lead_status_property(["Nurture"])]}),
             "g.txt": json.dumps(deal_pipelines()["results"][0]),  # type: ignore[index]
             "h.txt": "Object,Field,Picklist Value,API Name,Active\nLead,Lead Status,Working,Working,true\n",
             "i.txt": "object,field,value\nLead,Lead Status,MQL\n"}
    read = {name: read_crm(write(tmp_path / name, text)) for name, text in files.items()}
    assert {(r.object, r.field) for r in read["a.txt"].rows} == {("Lead", "Lead Status")}
    assert read["a.txt"].rows[3].facts.converted is True
    assert {(r.object, r.field) for r in read["b.txt"].rows} == {("Opportunity", "Stage")}
    assert read["b.txt"].rows[4].facts.forecast == "BestCase" and read["b.txt"].rows[5].facts.won is True
    assert [(r.object, r.field, r.value) for n in "cef" for r in read[f"{n}.txt"].rows] == [
        ("Contact", "hs_lead_status", "MQL"), ("Contact", "hs_lead_status", "SQL"),
        ("Contact", "hs_lead_status", "Nurture")]
    assert [r.facts.probability for r in read["d.txt"].rows] == [10, 20, 40, 60, 80, 100, 0]
    assert [r.value for r in read["g.txt"].rows] == [s[0] for s in STAGES]
    assert read["h.txt"].fields is None and read["h.txt"].rows[0].value == "Working"
    assert read["i.txt"].rows[0].value == "MQL"


def test_a_file_in_no_known_format_lists_the_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "export.csv", "Internal value,Display label\nNEW,New\n")
    write(tmp_path / "other.xml", f'<CustomObject xmlns="{NS}"><label>Lead</label></CustomObject>')
    write(tmp_path / "other.json", '{"name": "dealname", "type": "string"}')
    for name in ("export.csv", "other.xml", "other.json"):
        code, out, err = check(tmp_path, monkeypatch, capsys, name)
        assert (code, out) == (1, "")
        assert err.startswith(name) and "Salesforce StandardValueSet metadata" in err
        assert "HubSpot deal pipeline JSON" in err and "Salesforce picklist report CSV" in err


# Matching files ----------------------------------------------------------------------------------


def test_matching_salesforce_folder_hubspot_files_and_report_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "sf/standardValueSets/LeadStatus.standardValueSet-meta.xml", lead_status_xml())
    write(tmp_path / "sf/standardValueSets/OpportunityStage.standardValueSet-meta.xml", opportunity_stage_xml())
    write(tmp_path / "sf/package.xml", f'<?xml version="1.0"?>\n<Package xmlns="{NS}"><version>62.0</version>'
                                       "</Package>\n")
    write(tmp_path / "hs/hs_lead_status.json", json.dumps(lead_status_property([n for n, _ in LEADS])))
    write(tmp_path / "hs/deals.json", json.dumps(deal_pipelines(), indent=2))
    report = ["Object,Field,Picklist Value,API Name,Active,Default,Probability,Forecast Category,Closed,Won"]
    report += [f"Lead,Status,{n},{n},true,false,,,," for n, _ in LEADS]
    report += [f'Opportunity,StageName,{n},{n},true,false,{p}%,{"Commit" if f == "Forecast" else f},{c},{w}'
               for n, p, f, c, w in STAGES]
    report += ["Account,Customer Status,Churned,Churned,true,,,,,"] + [
        f"Account,Customer Status,{v},{v},true,,,,," for v in ("Onboarding", "Live", "Renewal Due")]
    write(tmp_path / "report.csv", "\n".join(report) + "\n")
    for target in ("sf", "hs", "report.csv"):
        code, out, err = check(tmp_path, monkeypatch, capsys, target)
        assert (code, err) == (0, ""), out
        assert out.startswith(f"{target} matches ")


# Differences -------------------------------------------------------------------------------------


def test_salesforce_differences_are_each_reported_at_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """A changed label, a missing value, an extra value, a wrong probability and a wrong forecast
    category, in two files of one folder: every one in one run."""
    leads = [lead for lead in LEADS if lead[0] != "Nurture"] + [("Recycled", False)]
    lead_file = write(tmp_path / "sf/LeadStatus.standardValueSet-meta.xml",
                      lead_status_xml(leads, labels={"MQL": "Marketing Qualified"}))
    stages = [(n, 50 if n == "2-Scoping" else p, "Forecast" if n == "4-Proposal" else f, c, w)
              for n, p, f, c, w in STAGES]
    stage_file = write(tmp_path / "sf/OpportunityStage.standardValueSet-meta.xml", opportunity_stage_xml(stages))
    code, out, err = check(tmp_path, monkeypatch, capsys, "sf")
    nurture = REPO / "playbook/lifecycle/nurture.yaml"
    assert code == 1 and err == f"5 differences between {REPO / 'playbook'} and sf; fix them and run again.\n"
    lead_shown, stage_shown = "sf/LeadStatus.standardValueSet-meta.xml", "sf/OpportunityStage.standardValueSet-meta.xml"
    assert out.splitlines() == sorted([
        f"{nurture}:{line_of(nurture, 'value: Nurture')}:10: crm.value: 'Nurture' is not in the picklist for "
        "Lead / Lead Status: add it to the CRM, or correct the value here",
        f"{lead_shown}:{line_of(lead_file, '<label>Marketing Qualified')}: 'MQL' (Lead / Lead Status) is labelled "
        f"'Marketing Qualified' in the CRM, but the playbook calls it 'MQL' ({REPO / 'playbook/lifecycle/mql.yaml'}): "
        "set the label back to 'MQL', or, if the new name is agreed, change the value in the playbook and in the CRM",
        f"{lead_shown}:{line_of(lead_file, '<fullName>Recycled')}: 'Recycled' (Lead / Lead Status) is a value in the "
        "CRM that no lifecycle state has: add a state for it to the playbook, or retire it in the CRM",
        f"{stage_shown}:{line_of(stage_file, '<probability>50')}: '2-Scoping' (Opportunity / Stage) has probability "
        f"50% in the CRM, but {REPO / 'playbook/lifecycle/opportunity.yaml'} gives 20% at "
        "crm_stages[1].probability: set it to 20 in the CRM, or correct the playbook",
        f"{stage_shown}:{line_of(stage_file, '<forecastCategory>Forecast', after='4-Proposal')}: '4-Proposal' "
        "(Opportunity / Stage) is in the forecast category Commit (Forecast) in the CRM, but "
        f"{REPO / 'playbook/lifecycle/opportunity.yaml'} puts it in 'pipeline', which is Pipeline (Pipeline): set "
        "it to Pipeline in the CRM, or change crm_stages[3].forecast_category"])


def test_hubspot_differences_name_the_json_pointer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pipelines = deal_pipelines()
    stages = pipelines["results"][0]["stages"]  # type: ignore[index]
    stages[2]["metadata"]["probability"] = "0.5"
    stages[6]["metadata"]["isClosed"] = "false"
    stages[1]["archived"] = True
    write(tmp_path / "deals.json", json.dumps(pipelines, indent=2))
    code, out, _ = check(tmp_path, monkeypatch, capsys, "deals.json")
    state = f"the lifecycle state 'closed-lost' ({REPO / 'playbook/lifecycle/closed-lost.yaml'})"
    assert code == 1
    assert out.splitlines() == [
        "deals.json#/results/0/stages/1/label: '2-Scoping' (Deal / dealstage) is inactive in the CRM, but the "
        "lifecycle state 'opportunity' uses it: activate it in the CRM, or change that state's crm.value",
        "deals.json#/results/0/stages/2/metadata/probability: '3-Evaluation' (Deal / dealstage) has probability 50% "
        f"in the CRM, but {REPO / 'playbook/lifecycle/opportunity.yaml'} gives 40% at crm_stages[2].probability: set "
        "it to 40 in the CRM, or correct the playbook",
        f"deals.json#/results/0/stages/6/metadata/isClosed: 'Closed Lost' (Deal / dealstage) is open in the CRM, but "
        f"{state} is closed by its next states: mark it closed in the CRM, or correct the playbook"]


def test_report_rows_that_cannot_be_read_are_each_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "report.csv", "Object,Field,API Name,Label,Active,Probability,Forecast Category\n"
                                   "Opportunity,Stage,1-Discovery,1-Discovery,true,ten,Pipeline\n"
                                   "Opportunity,Stage,2-Scoping,2-Scoping,true,20,Maybe\n"
                                   "Opportunity,Stage,,x,true,,\n")
    code, out, _ = check(tmp_path, monkeypatch, capsys, "report.csv")
    assert code == 1
    assert "report.csv:2: Probability is 'ten': write a percentage" in out
    assert "report.csv:3: Forecast Category is 'Maybe': write Pipeline, Best Case, Commit, Closed or Omitted" in out
    assert "report.csv:4: the row has no API Name: fill it in, or remove the row" in out


# Refused files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '<?xml version="1.0"?>\n<!DOCTYPE StandardValueSet [\n  <!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
    f'<StandardValueSet xmlns="{NS}"><standardValue><fullName>&x;</fullName></standardValue></StandardValueSet>\n',
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
    f'<StandardValueSet xmlns="{NS}"><standardValue><fullName>&lol2;</fullName></standardValue></StandardValueSet>',
])
def test_xml_with_a_doctype_or_entity_is_refused_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str], text: str) -> None:
    write(tmp_path / "LeadStatus.standardValueSet-meta.xml", text)
    code, out, err = check(tmp_path, monkeypatch, capsys, "LeadStatus.standardValueSet-meta.xml")
    assert (code, out) == (1, "")
    assert err == ("LeadStatus.standardValueSet-meta.xml:2: has a <!DOCTYPE declaration, which crm-check refuses to "
                   "read (it can pull in other files or grow without end): retrieve the file again with sf project "
                   "retrieve start, which writes none\n")


def test_a_doctype_the_byte_scan_cannot_see_is_refused_by_the_parser(tmp_path: Path) -> None:
    """In UTF-16 the declaration's bytes are not ASCII; expat still meets it first and stops."""
    text = f'<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<StandardValueSet xmlns="{NS}"/>'
    path = tmp_path / "hostile.xml"
    path.write_bytes(b"<\x00" + text[1:].encode("utf-16-le"))
    with pytest.raises(Exception, match="DOCTYPE or ENTITY declaration"):
        read_crm(path)


def test_an_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    big = opportunity_stage_xml() + "<!--" + "x" * MAX_PICKLIST_BYTES + "-->"
    write(tmp_path / "OpportunityStage.standardValueSet-meta.xml", big)
    code, out, err = check(tmp_path, monkeypatch, capsys, "OpportunityStage.standardValueSet-meta.xml")
    assert (code, out) == (1, "")
    assert err == ("OpportunityStage.standardValueSet-meta.xml: is larger than 5,000,000 bytes, too large for a "
                   "picklist: export only the picklist fields\n")


# Export and round trip ---------------------------------------------------------------------------


def export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vendor: str,
           playbook: Path = REPO / "playbook") -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    code = main(["export", "--playbook", str(playbook), "--format", vendor, vendor])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("vendor", "files"), [
    ("salesforce", ["package.xml", "standardValueSets/LeadStatus.standardValueSet-meta.xml",
                    "standardValueSets/OpportunityStage.standardValueSet-meta.xml"]),
    ("hubspot", ["deals-pipeline.json", "hs_lead_status.json"])])
def test_the_default_playbook_exports_and_reads_back_with_no_difference(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], vendor: str,
        files: list[str]) -> None:
    code, out, err = export(tmp_path, monkeypatch, capsys, vendor)
    assert (code, err) == (0, "")
    assert sorted(str(p.relative_to(tmp_path / vendor)) for p in (tmp_path / vendor).rglob("*") if p.is_file()) == files
    code, out, err = check(tmp_path, monkeypatch, capsys, vendor)
    assert (code, err) == (0, ""), out
    assert out.startswith(f"{vendor} matches {REPO / 'playbook'}: 9 lifecycle states, 2 CRM fields")
    for name in files:  # each file alone matches too; the manifest alone lists no values
        code, out, _ = check(tmp_path, monkeypatch, capsys, f"{vendor}/{name}")
        assert code == (1 if name == "package.xml" else 0), out


def test_salesforce_export_is_the_documented_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    export(tmp_path, monkeypatch, capsys, "salesforce")
    package = (tmp_path / "salesforce/package.xml").read_text(encoding="utf-8")
    assert f'<Package xmlns="{NS}">' in package and "<version>62.0</version>" in package
    assert "<members>LeadStatus</members>" in package and "<name>StandardValueSet</name>" in package
    stages = (tmp_path / "salesforce/standardValueSets/OpportunityStage.standardValueSet-meta.xml").read_text(
        encoding="utf-8")
    assert ("<fullName>Closed Won</fullName>\n        <default>false</default>\n        <label>Closed Won</label>\n"
            "        <closed>true</closed>\n        <forecastCategory>Closed</forecastCategory>\n"
            "        <probability>100</probability>\n        <won>true</won>") in stages


def test_hubspot_export_holds_the_lifecycle_stage_and_escapes_nothing_into_code(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A playbook on HubSpot's fields, whose values hold XML and JSON's special characters: both
    exports stay well-formed and read back the same."""
    playbook = tmp_path / "playbook"
    shutil.copytree(FIXTURES / "mini", playbook)
    lead = playbook / "lifecycle/lead.yaml"
    text = lead.read_text(encoding="utf-8").replace("object: Lead", "object: Contact").replace(
        "field: Lead Status", "field: Lifecycle Stage").replace("value: Lead", "value: 'R&D <\"lead\">]]>'")
    lead.write_text(text, encoding="utf-8")
    code, out, err = export(tmp_path, monkeypatch, capsys, "hubspot", playbook)
    assert (code, err) == (0, ""), out
    options = json.loads((tmp_path / "hubspot/lifecyclestage.json").read_text(encoding="utf-8"))["options"]
    assert options == [{"label": 'R&D <"lead">]]>', "value": 'R&D <"lead">]]>', "displayOrder": 0, "hidden": False}]
    pipeline = json.loads((tmp_path / "hubspot/deals-pipeline.json").read_text(encoding="utf-8"))
    assert pipeline["stages"] == [{"label": "Closed Won", "displayOrder": 0,
                                   "metadata": {"probability": "1.0", "isClosed": "true"}}]
    code, out, err = check(tmp_path, monkeypatch, capsys, "hubspot", playbook)
    assert (code, err) == (0, ""), out
    text = text.replace("object: Contact", "object: Lead").replace("field: Lifecycle Stage", "field: Lead Status")
    lead.write_text(text, encoding="utf-8")
    code, out, err = export(tmp_path, monkeypatch, capsys, "salesforce", playbook)
    assert code == 0, err
    xml = (tmp_path / "salesforce/standardValueSets/LeadStatus.standardValueSet-meta.xml").read_text(encoding="utf-8")
    assert "<fullName>R&amp;D &lt;\"lead\"&gt;]]&gt;</fullName>" in xml
    code, out, err = check(tmp_path, monkeypatch, capsys, "salesforce", playbook)
    assert (code, err) == (0, ""), out
