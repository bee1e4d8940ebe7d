"""The 汇总 of the bundled units of one district (通州区 2023: 宋庄镇 and 西集镇, read from their
files and stored) equals the tables summed by hand from the two files."""

from __future__ import annotations

from pathlib import Path

from nianbao.analysis.rollup import rollup
from nianbao.analysis.select import select
from nianbao.pipeline import process
from nianbao.store.db import Store, connect
from nianbao.template import T3_COLUMNS

REPORTS = Path(__file__).parent.parent / "fixtures" / "reports"
FILES = ("songzhuang-zhen-2023-tab.txt", "xiji-zhen-2023-gb18030.txt", "songzhuang-zhen-2024-pipe.txt")

# 宋庄镇 2023 + 西集镇 2023, as printed in the two files (columns: 自然人, 商业企业, 科研机构,
# 社会公益组织, 法律服务机构, 其他, 总计)
BY_HAND = {
    "table2.licensing.decisions": 35395,  # 29451 + 5944
    "table2.punishment.decisions": 102,  # 102 + 0
    "table2.coercion.decisions": 6076,  # 6076 + 0
    "table2.fees.amount_wan": 1983.582,  # 0 + 1983.582
    "table3.new_received": (170, 22, 26, 0, 1, 0, 219),  # (30,16,0,0,1,0,47) + (140,6,26,0,0,0,172)
    "table3.carried_over": (2, 0, 1, 0, 0, 0, 3),  # 0 + (2,0,1,0,0,0,3)
    "table3.granted": (79, 10, 12, 0, 1, 0, 102),  # (16,6,0,0,1,0,23) + (63,4,12,0,0,0,79)
    "table3.total_processed": (154, 19, 25, 0, 1, 0, 199),  # (30,14,0,0,1,0,45) + (124,5,25,0,0,0,154)
    "table3.carried_forward": (18, 3, 2, 0, 0, 0, 23),  # (0,2,0,0,0,0,2) + (18,1,2,0,0,0,21)
    "table4.review.total": 0,
    "table4.litigation_direct.total": 0,
}
COLUMNS = [c.key for c in T3_COLUMNS]


def test_district_rollup_equals_the_hand_sums(db_url: str) -> None:
    store = Store(connect(db_url))
    for name in FILES:
        done = process(REPORTS / name)
        store.save(done.report, done.findings, done.source())
    chosen = select(store.engine, region="通州区", year=2023)
    assert sorted(r.agency for _, r in chosen) == ["北京市通州区宋庄镇人民政府", "北京市通州区西集镇人民政府"]
    total = rollup(chosen)
    for path, want in BY_HAND.items():
        if isinstance(want, tuple):
            for col, v in zip(COLUMNS, want, strict=True):
                assert total.value(f"{path}.{col}") == v, f"{path}.{col}"
                assert total.cells[f"{path}.{col}"].count == 2
        else:
            assert total.value(path) == want, path
