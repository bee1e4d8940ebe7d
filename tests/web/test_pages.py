"""Every page: its JSON twin, a few HTML selectors, 404s, escaping, no outside assets."""

from __future__ import annotations

import re

from lxml import html

from nianbao.store import queries
from nianbao.store.rows import agency_key
from nianbao.web.pages import reports as reports_page
from tests.web.web_helpers import AGENCY, FIXTURES, SCRIPT


def doc(response) -> html.HtmlElement:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return html.fromstring(response.text)


# ------------------------------------------------------------------ list --


def test_list_json_and_html_agree(client, ids):
    data = client.get("/reports?format=json").json()
    assert data["total"] == len(ids)
    assert client.get("/api/reports").json() == data
    rows = doc(client.get("/reports")).cssselect("table.list tbody tr")
    assert len(rows) == len(ids)


def test_list_filters(client, ids):
    got = client.get("/api/reports", params={"year": "2023", "agency": AGENCY}).json()
    assert [r["id"] for r in got["reports"]] == [ids["a2023"]]
    errors = client.get("/api/reports", params={"status": "error"}).json()["reports"]
    assert ids["a2023"] in {r["id"] for r in errors} and all(r["n_errors"] > 0 for r in errors)
    assert {r["edition"] for r in client.get("/api/reports", params={"edition": "2019"}).json()["reports"]} == {"2019"}
    found = client.get("/api/reports", params={"q": "宋庄镇"}).json()
    assert found["total"] == 2 and all("宋庄镇" in r["agency"] for r in found["reports"])


def test_list_counts_a_search_up_to_the_cap_and_still_pages_past_it(client, monkeypatch):
    monkeypatch.setattr(queries, "CAP", 1)
    monkeypatch.setattr(reports_page, "PAGE_SIZE", 1)
    first = client.get("/api/reports", params={"q": "宋庄镇"}).json()  # 2 match: more than the cap
    assert (first["total"], first["total_capped"], first["pages"], len(first["reports"])) == (1, True, 2, 1)
    second = client.get("/api/reports", params={"q": "宋庄镇", "page": 2}).json()
    assert (second["total"], second["total_capped"], second["pages"]) == (2, True, 3)
    assert second["reports"][0]["id"] != first["reports"][0]["id"]
    third = client.get("/api/reports", params={"q": "宋庄镇", "page": 3}).json()
    assert (third["reports"], third["total_capped"], third["pages"]) == ([], True, 3)
    shown = doc(client.get("/reports", params={"q": "宋庄镇"}))
    assert shown.cssselect("h1 small")[0].text_content() == "共 1+ 份"
    assert [a.text for a in shown.cssselect("nav.pager a")] == ["下一页"]
    assert shown.cssselect("nav.pager span")[0].text == "第 1 页"
    past = doc(client.get("/reports", params={"q": "宋庄镇", "page": 3, "sort": "errors"}))  # the last was full
    assert past.cssselect("p.empty")[0].text_content() == "第 3 页已过最后一页。回到最后一页"
    assert past.cssselect("p.empty a")[0].get("href") == "?q=%E5%AE%8B%E5%BA%84%E9%95%87&sort=errors&page=2"
    monkeypatch.setattr(reports_page, "PAGE_SIZE", 50)  # the last page gives the exact total
    assert client.get("/api/reports", params={"q": "宋庄镇"}).json()["total_capped"] is False
    assert client.get("/api/reports").json()["total_capped"] is False  # a kept count: exact
    beyond = doc(client.get("/reports", params={"page": 99}))  # past the end of an exact count
    assert beyond.cssselect("p.empty a")[0].get("href") == "?page=1"


def test_a_kept_count_past_the_cap_stays_exact(client, ids, monkeypatch):
    monkeypatch.setattr(queries, "CAP", 1)
    monkeypatch.setattr(reports_page, "PAGE_SIZE", 1)
    got = client.get("/api/reports").json()  # no filter: the kept count, exact however large
    assert (got["total"], got["total_capped"], got["pages"]) == (len(ids), False, len(ids))
    shown = doc(client.get("/reports", params={"page": 2}))
    assert shown.cssselect("h1 small")[0].text_content() == f"共 {len(ids)} 份"
    assert shown.cssselect("nav.pager span")[0].text == f"第 2 / {len(ids)} 页"


def test_list_ignores_empty_and_bad_filters(client, ids):
    got = client.get("/api/reports", params={"year": "", "region": "", "status": "nonsense", "q": " "}).json()
    assert got["total"] == len(ids)


def test_list_form_keeps_the_selection(client):
    page = doc(client.get("/reports", params={"year": "2023", "status": "error"}))
    assert page.cssselect('select[name="year"] option[selected]')[0].get("value") == "2023"
    assert page.cssselect('select[name="status"] option[selected]')[0].get("value") == "error"
    export = page.cssselect('a[href^="/export.xlsx"]')[0].get("href")
    assert "year=2023" in export and "status=error" in export


# ---------------------------------------------------------------- report --


def test_report_json_twin(client, ids):
    rid = ids["a2023"]
    data = client.get(f"/reports/{rid}?format=json").json()
    assert data == client.get(f"/api/reports/{rid}").json()
    assert data["report"]["agency"] == AGENCY and data["report"]["year"] == 2023
    balance = [f for f in data["findings"] if f["rule"] == "T3-BALANCE"]
    assert balance and balance[0]["severity"] == "error"
    cell = data["cells"]["table3.carried_forward.natural_person"]
    assert cell["severity"] == "error" and balance[0]["anchor"] in cell["findings"]
    new = data["cells"]["table3.new_received.total"]
    assert new["where"] == f"第{new['line']}行" and new["raw"] == str(new["value"])
    assert [s["key"] for s in data["sections"]] == ["overview", "active", "requests", "review", "problems", "other"]


def test_report_tables_have_the_template_merges(client, ids):
    for name, outcome_rows in (("a2022", 22), ("b2020", 20)):
        page = doc(client.get(f"/reports/{ids[name]}"))
        t3 = page.cssselect("table#table3")[0]
        outcome = [th for th in t3.cssselect("th.label") if th.text_content() == "三、本年度办理结果"][0]
        assert int(outcome.get("rowspan")) == outcome_rows
        denied = [th for th in t3.cssselect("th.label") if th.text_content() == "（三）不予公开"][0]
        assert denied.get("rowspan") == "8"
        corner = t3.cssselect("thead th")[0]
        assert corner.get("colspan") == "3" and corner.get("rowspan") == "3"
        assert len(t3.cssselect("tbody tr")) == (25 if name == "a2022" else 23)
        t4 = page.cssselect("table#table4")[0]
        assert len(t4.cssselect("td.num")) == 15
        assert [th.get("colspan") for th in t4.cssselect("thead tr")[0]] == ["5", "10"]
        t2 = page.cssselect("table#table2")[0]
        widths = {sum(int(c.get("colspan") or 1) for c in tr) for tr in t2.cssselect("tr")}
        assert widths == {4}


def test_report_highlights_cells_with_findings_and_links_them(client, ids):
    page = doc(client.get(f"/reports/{ids['a2023']}"))
    cell = page.get_element_by_id("c-table3-carried_forward-natural_person")
    assert "sev-error" in cell.get("class")
    flag = cell.cssselect("a.flag")[0].get("href")
    finding = page.get_element_by_id(flag[1:])
    assert "T3-BALANCE" in finding.text_content()
    links = [a.get("href") for a in finding.cssselect(".cells a")]
    assert "#c-table3-carried_forward-natural_person" in links


def test_report_numbers_carry_their_source(client, ids):
    page = doc(client.get(f"/reports/{ids['songzhuang-zhen-2024-pipe.txt']}"))
    button = page.get_element_by_id("c-table3-new_received-total").cssselect("button.v")[0]
    assert button.get("data-where").startswith("第") and button.get("data-raw") == button.text_content().strip()
    assert page.cssselect("aside#source")


def test_report_text_marks_narrative_facts(client, ids):
    page = doc(client.get(f"/reports/{ids['a2022']}"))
    marks = page.cssselect('mark.fact[data-cell="table3.new_received.total"]')
    assert marks and marks[0].text_content().startswith("共收到政府信息公开申请")


def test_script_in_a_report_renders_as_text(client, ids):
    r = client.get(f"/reports/{ids['script']}")
    assert SCRIPT not in r.text and "<b>粗体</b>" not in r.text
    assert "&lt;script&gt;alert(" in r.text
    assert "总体情况" + SCRIPT + "<b>粗体</b>" in doc(r).get_element_by_id("s-overview").text_content()
    for url in ("/reports", "/dashboard", f"/compare?a={ids['script']}&b={ids['a2024']}"):
        assert SCRIPT not in client.get(url).text


def test_missing_pages_are_404_in_chinese(client):
    r = client.get("/reports/99999")
    assert r.status_code == 404 and "没有编号为 99999 的报告" in r.text and "<html" in r.text
    r = client.get("/api/reports/99999")
    assert r.status_code == 404 and r.json()["error"] == "没有编号为 99999 的报告"
    assert client.get("/reports/99999?format=json").json()["status"] == 404
    assert client.get("/agencies/没有这个机关").status_code == 404
    assert client.get("/api/compare", params={"a": 1, "b": 99999}).status_code == 404
    assert client.get("/reports/99999/export.xlsx").status_code == 404
    r = client.get("/nowhere")
    assert r.status_code == 404 and "找不到这个页面" in r.text
    r = client.get("/reports/abc")
    assert r.status_code == 422 and "请求参数有误：report_id" in r.text
    # a report id that is no number is a 400 naming the value (issue 14: one parser for compare/汇总/peers)
    r = client.get("/api/compare", params={"a": "x", "b": 1})
    assert r.status_code == 400 and r.json()["error"] == "报告编号应为数字：x"
    r = client.get("/compare", params={"a": "x", "b": 1})
    assert r.status_code == 400 and "报告编号应为数字：x" in r.text and "<html" in r.text


# ---------------------------------------------------------------- agency --


def test_agency_page_shows_years_and_the_carry_over_chain(client, ids):
    key = agency_key("北京市通州区宋庄镇人民政府")
    data = client.get(f"/agencies/{key}?format=json").json()
    assert [r["year"] for r in data["reports"]] == [2023, 2024]
    (link,) = data["chain"]
    assert (link["from"], link["to"]) == (2023, 2024)
    # 2023 四、结转下年度继续办理 and 2024 二、上年结转: 0, 2, 0, 0, 0, 0, 2 in both files
    assert [(c["prev_forward"], c["carried_over"]) for c in link["columns"]] == [(0, 0), (2, 2), *[(0, 0)] * 4, (2, 2)]
    assert link["columns"][-1]["column"] == "总计"
    assert link["ok"] is True
    page = doc(client.get(f"/agencies/{key}"))
    assert len(page.cssselect("table.years thead th")) == 3
    assert page.cssselect("table.chain tbody tr")


def test_agency_chain_marks_a_mismatch(client, ids):
    data = client.get(f"/api/agencies/{agency_key(AGENCY)}").json()
    assert [r["year"] for r in data["reports"]] == [2022, 2023, 2024]
    by_id = {}
    for name in ("a2022", "a2023"):
        by_id[name] = client.get(f"/api/reports/{ids[name]}").json()["cells"]
    forward = by_id["a2022"]["table3.carried_forward.total"]["value"]
    over = by_id["a2023"]["table3.carried_over.total"]["value"]
    assert forward != over  # the 2022 and 2023 reports are drawn from different seeds
    first = data["chain"][0]
    assert first["columns"][-1] == {"column": "总计", "prev_forward": forward, "carried_over": over, "ok": False}
    assert "mismatch" in client.get(f"/agencies/{agency_key(AGENCY)}").text


# --------------------------------------------------------------- compare --


def test_compare_cell_by_cell(client, ids):
    # issue 14: the compare page is in the template's layout, reports picked by agency and year (ids still work)
    a, b = ids["a2022"], ids["a2023"]
    data = client.get("/api/compare", params={"a": a, "b": b}).json()["result"]
    cells = [c for t in data["tables"] for c in t["cells"]] + data["other"]
    assert data["differences"] == sum(c["differs"] for c in cells) > 0
    row = next(c for c in cells if c["path"] == "table3.new_received.total")
    assert row["label"] == "表三“一、本年新收政府信息公开申请数量·总计”"
    page = doc(client.get("/compare", params={"a": a, "b": b, "only_diff": "true"}))
    assert len(page.cssselect("table.tpl td.num.differs")) == data["differences"]
    form = doc(client.get("/compare"))
    assert form.cssselect('input[name="agency"][list="agency-names"]')
    agencies = {r["agency"] for r in client.get("/api/reports").json()["reports"]}
    assert len(form.cssselect("datalist#agency-names option")) == len(agencies)


# ------------------------------------------------------------- dashboard --


def test_dashboard_json_and_charts(client, ids):
    data = client.get("/dashboard?format=json").json()
    assert data == client.get("/api/dashboard").json()
    assert data["count"] == len(ids)
    assert [r["name"] for r in data["rates"]] == ["予以公开率", "不予公开率", "复议纠错率", "诉讼纠错率", "结转率"]
    assert all(r["definition"] for r in data["rates"])
    assert ids["a2023"] in [r["id"] for r in data["most_errors"]]
    page = doc(client.get("/dashboard"))
    assert page.cssselect("#chart-years") and page.cssselect("#chart-outcomes")
    assert page.cssselect('script[src="/static/echarts-6.1.0.common.min.js"]')
    assert len(page.cssselect(".rate .rate-def")) == 5


def test_dashboard_follows_the_filters(client):
    data = client.get("/api/dashboard", params={"year": "2024"}).json()
    assert [y["year"] for y in data["per_year"]] == [2024]


# ------------------------------------------------------- assets and API --


def test_assets_are_served_by_the_app_and_nothing_comes_from_outside(client, ids):
    for name in (
        "echarts-6.1.0.common.min.js",
        "htmx-2.0.11.min.js",
        "app.js",
        "app.css",
        "swagger-ui-5.35.0-bundle.js",
    ):
        assert client.get(f"/static/{name}").status_code == 200
    for url in ("/reports", f"/reports/{ids['a2023']}", "/dashboard", "/upload", "/compare", "/docs"):
        text = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', text), url


def test_security_headers(client):
    r = client.get("/reports")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_lists_the_json_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in (
        "/api/reports",
        "/api/reports/{report_id}",
        "/api/dashboard",
        "/api/compare",
        "/api/upload",
        "/export.{kind}",
    ):
        assert p in paths
    assert "/static/swagger-ui-5.35.0-bundle.js" in client.get("/docs").text


def test_a_finding_may_name_a_whole_table():
    from nianbao.web.labels import cell_label
    from nianbao.web.view import anchor

    assert cell_label("table3") == "表三" and anchor("table3") == "table3"
    assert cell_label("table3.granted.total") == "表三“（一）予以公开·总计”"
    assert anchor("table3.granted.total") == "c-table3-granted-total"
    assert cell_label("table9.x") == "table9.x"
    assert cell_label("fees_info") == "第六部分“信息处理费”" and anchor("fees_info") == "s-other"
    assert cell_label("table3.partially_granted") == "表三“（二）部分公开”"
    assert anchor("table3.partially_granted") == "c-table3-partially_granted-total"


def test_2019_sub_rows_of_other_services_are_drawn(client, ids):
    rid = ids["xicheng-chengzhi-2021-2019ed-tab.txt"]
    page = doc(client.get(f"/reports/{rid}"))
    t2 = page.cssselect("table#table2")[0]
    labels = [th.text_content() for th in t2.cssselect("th.label")]
    assert labels[labels.index("其他对外管理服务事项") + 1 : labels.index("其他对外管理服务事项") + 3] == [
        "其中：行政检查",
        "其中：行政确认",
    ]
    button = page.get_element_by_id("c-table2-other_services-items-0-decisions").cssselect("button.v")[0]
    assert button.text_content() == "11937" and button.get("data-raw") == "11937"
    assert button.get("data-label") == "表二“其他对外管理服务事项（第1分项）·处理决定数量”"
    assert "derived" in page.get_element_by_id("c-table2-other_services-decisions").get("class")


def test_html_reports_give_table_row_and_column(client, ids):
    cells = client.get(f"/api/reports/{ids['xuhui-scjgj-2024.html']}").json()["cells"]
    where = cells["table3.new_received.total"]["where"]
    assert where.startswith("表格") and "行第" in where and where.endswith("列")


def test_source_view_of_a_text_report(client, ids):
    rid = ids["songzhuang-zhen-2024-pipe.txt"]
    cell = client.get(f"/api/reports/{rid}").json()["cells"]["table3.new_received.total"]
    src = client.get(f"/reports/{rid}/source?format=json").json()
    assert src["available"] and src["format"] == "txt"
    line = src["lines"][cell["line"] - 1]
    assert line["key"] == cell["key"] and cell["raw"] in line["text"]
    fragment = html.fromstring(client.get(f"/reports/{rid}/source").text)
    assert fragment.xpath(f'//li[@id="L{cell["line"]}"]/@data-key') == [cell["key"]]


def test_source_view_of_an_html_report_keys_table_cells(client, ids):
    rid = ids["xuhui-scjgj-2024.html"]
    cell = client.get(f"/api/reports/{rid}").json()["cells"]["table3.new_received.total"]
    src = client.get(f"/reports/{rid}/source?format=json").json()
    pieces = [c for b in src["blocks"] if b["kind"] == "table" for r in b["rows"] for c in r if c["key"] == cell["key"]]
    assert [p["text"].strip() for p in pieces] == [cell["raw"]]


def test_source_view_says_when_the_source_was_not_kept(client, ids):
    src = client.get(f"/reports/{ids['a2022']}/source?format=json").json()  # saved without what the reader saw
    assert not src["available"] and "原文未存" in src["reason"]
    fragment = html.fromstring(client.get(f"/reports/{ids['a2022']}/source").text)
    assert "原文未存" in fragment.text_content()
    assert client.get("/reports/99999/source").status_code == 404


def test_source_view_comes_from_the_store_not_the_file(fresh_client, tmp_path):
    from nianbao.pipeline import process
    from nianbao.store.db import Store

    copy = tmp_path / "report.txt"
    copy.write_bytes((FIXTURES / "songzhuang-zhen-2023-tab.txt").read_bytes())
    done = process(copy)
    rid = Store(fresh_client.app.state.engine).save(done.report, done.findings, done.source()).report_id
    before = fresh_client.get(f"/reports/{rid}/source?format=json").json()
    assert before["available"] and [x["text"] for x in before["lines"]] == copy.read_text("utf-8").splitlines()
    copy.write_bytes(copy.read_bytes() + b"\n")  # changed, then gone: the panel is what was read
    assert fresh_client.get(f"/reports/{rid}/source?format=json").json() == before
    copy.unlink()
    assert fresh_client.get(f"/reports/{rid}/source?format=json").json() == before


def test_report_page_shows_fees_and_reader_notes(client, ids, fresh_client):
    rid = ids["xicheng-chengzhi-2021-2019ed-tab.txt"]
    data = client.get(f"/api/reports/{rid}").json()
    page = doc(client.get(f"/reports/{rid}"))
    assert "信息处理费：发出收费通知" in page.get_element_by_id("s-other").text_content()
    assert data["notes"] == [] and not page.cssselect("#notes")  # no reader's note, no notes card
    name = "xicheng-qu-2022-blank-review-markdown.md"  # its 表四 row can be read two ways: one note
    files = [("files", (name, (FIXTURES / name).read_bytes()))]
    (up,) = fresh_client.post("/api/upload", files=files).json()["results"]
    notes = fresh_client.get(f"/api/reports/{up['id']}").json()["notes"]
    assert len(notes) == 1 and notes[0].startswith("表四数据行为5个空格加10个数字，可有两种读法")
    page = doc(fresh_client.get(f"/reports/{up['id']}"))
    assert [li.text_content() for li in page.cssselect("#notes li")] == notes


def test_locations_read_as_people_count():
    from nianbao.web.respond import location_text

    assert location_text({"line": 57}) == "第57行"
    assert location_text({"page": 2, "line": 5}) == "第2页 第5行"
    assert location_text({"table": 1, "row": 1, "col": 3}) == "表格1 第1行第3列"
    assert location_text(None) == ""
