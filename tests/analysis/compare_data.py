"""A small store for the compare, matrix and peer tests: five 区县 城管 agencies (invented
names) over 2021–2024 and one 区 government, with numbers chosen so that every expectation
in the tests can be worked out by hand.

新收 (= 办理结果总计) per year; 予以公开 per year (予以公开率 in brackets):

| agency | 2021 | 2022 | 2023 | 2024 |
|---|---|---|---|---|
| A 测试区城管委 | 100 / 50 | 110 / 55 | 130 / 65 | 400 / 200 (0.5) |
| B 样例区 | | | 80 / 40 | 100 / 80 (0.8) |
| C 示范区 | | | 100 / 50 | 120 / 60 (0.5) |
| D 虚构区 | | | 120 / 60 | 140 / 126 (0.9) |
| E 假想区 | | | 130 / 65 | 160 / 40 (0.25) |
| 测试区人民政府 (region 北京市测试区) | | | | 50 / 25 |
"""

from __future__ import annotations

from nianbao.check import check_report
from nianbao.store.db import Store, connect
from tests.builders import case_report

A = "北京市测试区城市管理委员会"
B = "北京市样例区城市管理委员会"
C = "北京市示范区城市管理委员会"
D = "北京市虚构区城市管理委员会"
E = "北京市假想区城市管理委员会"
GOV = "北京市测试区人民政府"
REGION = "北京市"

NUMBERS = {
    A: {2021: (100, 50), 2022: (110, 55), 2023: (130, 65), 2024: (400, 200)},
    B: {2023: (80, 40), 2024: (100, 80)},
    C: {2023: (100, 50), 2024: (120, 60)},
    D: {2023: (120, 60), 2024: (140, 126)},
    E: {2023: (130, 65), 2024: (160, 40)},
    GOV: {2024: (50, 25)},
}


def fill(url: str) -> dict[tuple[str, int], int]:
    """Store the reports; (agency, year) -> report id."""
    store = Store(connect(url))
    ids = {}
    for agency, years in NUMBERS.items():
        for year, (new, granted) in years.items():
            r = case_report(
                {
                    "agency": agency,
                    "region": "北京市测试区" if agency == GOV else REGION,
                    "year": year,
                    "file": f"{agency}-{year}.txt",
                    "cells": {
                        "table3.new_received.total": new,
                        "table3.total_processed.total": new,
                        "table3.granted.total": granted,
                    },
                }
            )
            ids[(agency, year)] = store.save(r, check_report(r)).report_id
    return ids
