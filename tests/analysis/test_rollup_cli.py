"""`nianbao rollup`: text, JSON, XLSX and DOCX from stored reports; bad selections in one line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from nianbao.cli import app
from tests.analysis.test_rollup_select import GOVERNMENT, stored

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, ["rollup", *args])
    return r.exit_code, r.stdout, r.stderr


def test_text_against_the_own_report(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    _, ids = stored(url)
    code, out, _ = run("--db", url, "--region", "样例区", "--year", "2024", "--against", GOVERNMENT)
    assert code == 0
    assert out.startswith("汇总：3份报告\n")  # 甲乙丙, not the 本级 report itself
    assert "表三“一、本年新收政府信息公开申请数量·总计”：12\n" in out  # 5 + 7 + 0
    assert "表三“一、本年新收政府信息公开申请数量·商业企业”：3（2份有值，1份空白）" in out
    assert f"与本级报告“{GOVERNMENT} 2024年”（编号{ids['own']}）逐格比较" in out
    assert (
        "表三“一、本年新收政府信息公开申请数量·总计”：本级10，汇总12，差-2；汇总来自：样例区乙局7、样例区甲局5" in out
    )


def test_json_and_files(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    _, ids = stored(url)
    xlsx, docx = tmp_path / "汇总.xlsx", tmp_path / "汇总.docx"
    code, out, err = run("--db", url, "--agency", "样例区甲局", "--agency", "样例区乙局", "--year", "2024",
                         "--against", str(ids["own"]), "-f", "json", "-o", str(xlsx))  # fmt: skip
    assert code == 0 and "已写出汇总表" in err
    data = json.loads(out)
    assert [r["id"] for r in data["reports"]] == [ids["a"], ids["b"]]
    assert data["cells"]["table2.licensing.decisions"] == {
        "label": "表二“行政许可·本年处理决定数量”", "sum": 120, "count": 1, "blanks": 1,
        "reports": [ids["a"]], "blank_reports": [ids["b"]],
    }  # fmt: skip
    diff = {d["path"]: d for d in data["against"]["differences"]}
    assert diff["table3.new_received.total"]["diff"] == -2  # 10 against 5 + 7
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["表二", "表三", "表四", "所含报告"] and wb["表三"]["J6"].value == 12
    assert run("--db", url, "--id", str(ids["c"]), "-o", str(docx))[0] == 0 and docx.stat().st_size > 5000
    as_format = tmp_path / "汇总表"  # the spec's --format xlsx|docx: the kind named, whatever the suffix
    code, out, _ = run("--db", url, "--region", "样例区", "--year", "2024", "--format", "xlsx", "-o", str(as_format))
    assert (
        "注意：所选报告跨2个年度（2023、2024），同一机关的不同年度会相加"
        in run("--db", url, "--agency", "样例区甲局")[1]
    )
    assert (
        code == 0 and out == "" and load_workbook(io.BytesIO(as_format.read_bytes()))["表三"]["J6"].value == 22
    )  # 5 + 7 + 0 + 本级 10


def test_bad_selections_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    stored(url)
    for args, said in (
        (("--year", "2024"), "请指定地区、机关或报告编号"),
        (("--region", "东区"), "库中没有地区“东区”的现行报告"),
        (("--region", "样例区", "--year", "1999"), "库中没有地区“样例区”的现行报告（1999年）"),
        (("--region", "样例区", "-o", str(tmp_path / "x.pdf")), "只能写出 .xlsx 或 .docx 文件"),
        (("--region", "样例区", "--format", "docx"), "--format docx 需要用 -o 指定输出文件"),
        (("--region", "样例区", "-o", str(tmp_path / "no" / "x.xlsx")), "无法写入"),
    ):
        code, out, err = run("--db", url, *args)
        assert code == 2 and said in err and len(err.strip().splitlines()) == 1, (args, err)
