"""A store with two districts' reports and one account per role, for the login tests."""

from __future__ import annotations

from dataclasses import replace

from nianbao.check import check_report
from nianbao.store.accounts import add_user
from nianbao.store.db import Store, connect
from tests.builders import balanced_report

PASSWORD = "口令-password-1"
HOME = ("北京市甲区人民政府", "北京市甲区")  # agency, region: the scoped reviewer's district
AWAY = ("北京市乙区教育委员会", "北京市乙区")
ACCOUNTS = {  # name -> (role, region)
    "读者": ("查看", None),
    "审核员": ("审核", None),
    "甲区审核员": ("审核", "甲区"),
    "管理员": ("管理", None),
}
ORIGIN = {"Origin": "http://testserver"}


def fill_accounts(url: str) -> dict[str, int]:
    """Two reports (甲区, 乙区) and the accounts of :data:`ACCOUNTS`; report name → id."""
    engine = connect(url)
    store = Store(engine)
    ids = {}
    for key, (agency, region) in (("home", HOME), ("away", AWAY)):
        report = replace(balanced_report(agency, 2024, seed=len(ids) + 7), region=region)
        ids[key] = store.save(report, check_report(report)).report_id
    for name, (role, region) in ACCOUNTS.items():
        add_user(engine, name, PASSWORD, role, region)
    engine.dispose()
    return ids
