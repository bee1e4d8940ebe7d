"""The 新建年报 page end to end on SQLite and PostgreSQL: prefilled from last year's stored
report, every rule while typing, drafts with versions, publish and read back, 入库, and a
本级政府 report started from its units' 汇总."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from nianbao.check import check_report
from nianbao.pipeline import process
from nianbao.render.office import soffice
from nianbao.store.db import Store, connect
from nianbao.store.schema import reports
from nianbao.template import cell_paths, edition
from nianbao.template.names import number
from nianbao.web.app import create_app
from tests.builders import balanced_report
from tests.ledger.ledger_make import write_ledger
from tests.web.conftest import TEST_HOSTS

AGENCY = "某某市测试局"
FEES = "本机关发出收费通知的件数为0件，总金额为0元，实际收取的总金额为0元。"


@pytest.fixture
def app_client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(db_url, max_upload_mb=1, hosts=TEST_HOSTS)) as c:
        yield c


def _store(url: str, agency: str, year: int, seed: int = 1, region: str = "某某市") -> dict[str, float | None]:
    r = balanced_report(agency, year, seed=seed)
    r.region = region
    Store(connect(url)).save(r, check_report(r))
    return {p: v.value for p, v in r.cells.items()}


def _form(year: int = 2024) -> dict[str, str]:
    """A complete report of ``year`` as the compose form holds it: balanced tables, the six sections."""
    ed = "2021" if year >= 2021 else "2019"
    values = {p: v.value for p, v in balanced_report(AGENCY, year, ed, seed=3).cells.items()}
    form = {"agency": AGENCY, "year": str(year), "published": f"{year + 1}-01-20"}
    form |= {p: number(values.get(p)) for p in cell_paths(edition(ed))}
    new = number(values["table3.new_received.total"])
    texts = {"overview": "总体情况。", "active": "主动公开。", "requests": f"本年度共收到政府信息公开申请{new}件。"}
    texts |= {"review": "复议诉讼情况。", "problems": "问题与改进。", "other": FEES}
    return form | {f"section.{k}": v for k, v in texts.items()}


def test_start_prefills_last_years_carry_over(app_client: TestClient, db_url: str) -> None:
    last = _store(db_url, AGENCY, 2023)
    page = app_client.post("/compose", data={"agency": AGENCY, "year": "2024", "start": "blank"})
    assert page.status_code == 200 and "新建年报：某某市测试局2024年度" in page.text
    carried = number(last["table3.carried_forward.total"])
    assert f'name="table3.carried_over.total" value="{carried}"' in page.text
    assert "已按2023年度报告补上" in page.text
    form = _form()
    form |= {
        p.replace("carried_forward", "carried_over"): number(v) for p, v in last.items() if ".carried_forward." in p
    }
    assert "CARRYOVER" not in {f["rule"] for f in app_client.post("/api/compose/check", data=form).json()["findings"]}
    form["table3.carried_over.total"] = str(int(form["table3.carried_over.total"]) + 1)
    found = app_client.post("/api/compose/check", data=form).json()["findings"]
    carry = [f for f in found if f["rule"] == "CARRYOVER"]  # the rule across years, on this year's cells only
    assert len(carry) == 1 and carry[0]["cells"] == ["table3.carried_over.total"] and "2023" in carry[0]["message"]
    bad = app_client.post("/compose", data={"agency": "", "year": "明年"})
    assert bad.status_code == 400 and "请填写报告机关和年度" in bad.text


def test_rules_run_on_the_form_as_typed(app_client: TestClient) -> None:
    good = app_client.post("/api/compose/check", data=_form()).json()
    assert good["counts"]["error"] == 0 and good["invalid"] == []
    form = _form()
    form["table3.granted.natural_person"] = str(int(form["table3.granted.natural_person"]) + 2)
    broken = app_client.post("/api/compose/check", data=form).json()
    rules = {f["rule"]: f for f in broken["findings"] if f["severity"] == "error"}
    assert "T3-ROW-SUM" in rules and "table3.granted.natural_person" in rules["T3-ROW-SUM"]["cells"]
    assert "表三" in rules["T3-ROW-SUM"]["message"]
    form = _form()
    form["section.requests"] = "本年度共收到政府信息公开申请999件。"
    text = app_client.post("/api/compose/check", data=form).json()
    said = [f for f in text["findings"] if f["rule"] == "TEXT-TABLE"]
    assert said and "999" in said[0]["message"] and said[0]["cells"] == ["table3.new_received.total"]
    form = _form()
    form["table4.review.upheld"] = "三件"
    assert app_client.post("/api/compose/check", data=form).json()["invalid"][0]["cells"] == ["table4.review.upheld"]


def test_drafts_keep_every_version(app_client: TestClient) -> None:
    first = app_client.post("/api/compose/drafts", data=_form()).json()["saved"]
    form = _form()
    form["section.overview"] = "改过的总体情况。"
    second = app_client.post("/api/compose/drafts", data=form).json()
    assert [v["version"] for v in second["versions"]] == [2, 1]
    back = app_client.get(f"/api/compose/drafts/{first['id']}").json()
    assert (
        back["texts"]["overview"] == "总体情况。"
        and back["typed"]["table3.granted.total"] == _form()["table3.granted.total"]
    )
    restored = app_client.post(f"/api/compose/drafts/{first['id']}/restore").json()
    assert restored["saved"]["version"] == 3 and restored["saved"]["note"] == "恢复自第1版"
    listed = app_client.get("/api/compose/drafts", params={"agency": AGENCY, "year": 2024}).json()["versions"]
    assert [v["version"] for v in listed] == [3, 2, 1]
    page = app_client.get(f"/compose/drafts/{second['saved']['id']}")
    assert "改过的总体情况。" in page.text and "第3版" in page.text
    again = app_client.post("/compose", data={"agency": AGENCY, "year": "2024", "start": "draft"})
    assert "总体情况。" in again.text
    assert app_client.get("/api/compose/drafts/999").status_code == 404
    assert app_client.get(f"/api/compose/drafts/{2**40}").status_code == 404
    assert app_client.get(f"/compose/drafts/{2**40}").status_code == 404
    assert app_client.get("/api/compose/drafts", params={"agency": AGENCY, "year": 2**40}).json()["versions"] == []


@pytest.mark.parametrize(("kind", "year"), [("docx", 2024), ("html", 2024), ("docx", 2020)])
def test_published_file_reads_back_to_the_same_cells(app_client: TestClient, kind: str, year: int) -> None:
    form = _form(year)
    res = app_client.post(f"/compose/publish?kind={kind}", data=form)
    assert res.status_code == 200 and "attachment" in res.headers["content-disposition"]
    back = process(res.content, f"report.{kind}")
    assert back.report.edition == ("2021" if year >= 2021 else "2019")
    for path in cell_paths(edition(back.report.edition)):
        assert number(back.report.value(path)) == form[path], path
    assert [d.rule for d in back.findings if d.severity == "error"] == []


def test_pdf_or_a_clear_message(app_client: TestClient) -> None:
    res = app_client.post("/compose/publish?kind=pdf", data=_form())
    if soffice() is None:
        assert res.status_code == 503 and "未安装 LibreOffice" in res.text
    else:
        assert res.status_code == 200 and res.content.startswith(b"%PDF")


def test_store_the_composed_report(app_client: TestClient, db_url: str) -> None:
    res = app_client.post("/compose/store", data=_form(), follow_redirects=False)
    assert res.status_code == 303
    rid = int(res.headers["location"].rsplit("/", 1)[1])
    stored = Store(connect(db_url)).load_report(rid)
    assert stored is not None and stored.agency == AGENCY and stored.year == 2024
    assert number(stored.value("table3.granted.total")) == _form()["table3.granted.total"]


def test_a_new_version_stored_from_the_page_waits_for_confirmation(app_client: TestClient, db_url: str) -> None:
    first = Store(connect(db_url))
    _store(db_url, AGENCY, 2024)
    res = app_client.post("/compose/store", data=_form(), follow_redirects=False)
    rid = int(res.headers["location"].rsplit("/", 1)[1])
    with first.engine.connect() as conn:
        current = dict(
            conn.execute(sa.select(reports.c.id, reports.c.is_current).where(reports.c.agency == AGENCY)).all()
        )
    assert current[rid] is False and sum(current.values()) == 1  # the stored version stays current until 确认
    assert app_client.get(res.headers["location"]).status_code == 200


def test_a_county_report_from_its_units(app_client: TestClient, db_url: str) -> None:
    a = _store(db_url, "某某县甲局", 2024, seed=4)
    b = _store(db_url, "某某县乙局", 2024, seed=5)
    units = "某某县甲局\n某某县乙局\n某某县丙局"
    page = app_client.post(
        "/compose", data={"agency": "某某县人民政府", "year": "2024", "start": "units", "units": units}
    )
    assert page.status_code == 200 and "由2份下属单位的报告汇总" in page.text
    assert "某某县丙局”没有2024年度的报告或草稿" in page.text
    path = "table3.granted.total"
    total = a[path] + b[path]  # type: ignore[operator]
    assert f'name="{path}" value="{number(total)}"' in page.text
    assert "本表为" not in page.text.split('id="compose"')[1]  # a note above the form, not the report's 一
    assert "表二的存量" in page.text and 'name="table2.regulations.in_force" value=""' in page.text
    stock = "table2.regulations.in_force"  # the 本级's own figure, not the units' sum: no UNITS-DIFFER
    form = {"agency": "某某县人民政府", "year": "2024", "units": units, path: str(total + 1), stock: "7"}
    found = app_client.post("/api/compose/check", data=form).json()["findings"]
    differ = [f for f in found if f["rule"] == "UNITS-DIFFER"]
    assert len(differ) == 1 and "某某县甲局" in differ[0]["message"] and differ[0]["cells"] == [path]
    none = app_client.post(
        "/compose", data={"agency": "某某县人民政府", "year": "2024", "start": "units", "units": "无此局"}
    )
    assert none.status_code == 400 and "没有找到下属单位2024年度的报告或草稿" in none.text
    nothing = app_client.post("/compose", data={"agency": "某某县人民政府", "year": "2024", "start": "units"})
    assert nothing.status_code == 400 and "请列出下属单位（一行一个）或填写地区" in nothing.text


def test_start_from_a_ledger(app_client: TestClient, tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "台账.xlsx")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    data = {"agency": AGENCY, "year": "2024", "start": "ledger"}
    page = app_client.post("/compose", data=data, files={"file": ("台账.xlsx", path.read_bytes(), xlsx)})
    assert page.status_code == 200 and "由台账统计" in page.text
    assert 'name="table3.carried_over.natural_person" value="2"' in page.text  # A02 and A04
    assert "发出收费通知的件数为" in page.text  # section 六 says the ledger's fee figures
    junk = app_client.post("/compose", data=data, files={"file": ("x.xlsx", io.BytesIO(b"junk"), xlsx)})
    assert junk.status_code == 400 and "x.xlsx" in junk.text


def test_units_carry_over_is_summed_and_the_page_says_so(app_client: TestClient, db_url: str) -> None:
    """From the units: 上年结转 is their sum like the rest of 表三 (so 表三 balances), not last year's
    四; the start page and the note say so, and CARRYOVER names a difference from last year."""
    a = _store(db_url, "某某县甲局", 2024, seed=4)
    b = _store(db_url, "某某县乙局", 2024, seed=5)
    last = _store(db_url, "某某县人民政府", 2023, seed=7)
    assert "空着的上年结转" in app_client.get("/compose").text
    data = {"agency": "某某县人民政府", "year": "2024", "start": "units", "units": "某某县甲局\n某某县乙局"}
    page = app_client.post("/compose", data=data)
    assert page.status_code == 200
    path = "table3.carried_over.total"
    summed = a[path] + b[path]  # type: ignore[operator]
    assert summed != last["table3.carried_forward.total"]
    assert f'name="{path}" value="{number(summed)}"' in page.text
    assert "上年结转与表三其他各行一样由下属单位相加" in page.text
    assert "“四、结转下年度继续办理”不符" in page.text  # CARRYOVER: a warning to look into
    assert "T3-BALANCE" not in page.text  # 表三 balances
