"""The 台账 page: upload a ledger, see open applications with due dates, findings and the tallied tables."""

from __future__ import annotations

from pathlib import Path

from tests.ledger.ledger_make import APPLICATIONS, BAD_APPLICATIONS, CASES, write_ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _post(client, path: Path, **form: str):
    with path.open("rb") as f:
        return client.post("/ledger", files={"file": (path.name, f, XLSX)}, data=form)


def test_form(client) -> None:
    res = client.get("/ledger")
    assert res.status_code == 200 and 'name="file"' in res.text and "依申请公开台账" in res.text


def test_open_applications_and_tables(client, tmp_path: Path) -> None:
    res = _post(client, write_ledger(tmp_path / "台账.xlsx"), on="2024-12-31", year="2024")
    assert res.status_code == 200
    assert "2024-12-31 仍未答复的申请（3件）" in res.text
    assert "逾期22个工作日" in res.text and "2025-01-20" in res.text
    assert 'id="table3"' in res.text and 'id="table4"' in res.text
    assert "「申请」第3、5行" in res.text  # 上年结转·自然人 counts A02 and A04
    data = _post(client, tmp_path / "台账.xlsx", on="2024-12-31", year="2024").text
    assert "LEDGER-LATE" in data


def test_json_and_errors(client, tmp_path: Path) -> None:
    path = write_ledger(tmp_path / "bad.xlsx", APPLICATIONS + BAD_APPLICATIONS, CASES)
    with path.open("rb") as f:
        res = client.post("/ledger?format=json", files={"file": ("bad.xlsx", f, XLSX)}, data={"year": "2024"})
    got = res.json()["result"]
    assert got["tally"] is None  # a ledger with errors is not tallied
    assert "LEDGER-ID-DUPLICATE" in {d["rule"] for d in got["findings"]}
    broken = tmp_path / "x.xlsx"
    broken.write_text("not a workbook")
    assert "不是 XLSX 文件" in _post(client, broken).text
    assert _post(client, path, on="明天").status_code == 400
