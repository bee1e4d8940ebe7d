"""The report around the tables: title, preface, the six sections with their
headings and prose, the 信息处理费 sentence, 落款."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from nianbao.synth.values import Cells, Fees
from nianbao.template import SECTION_NUMBERS, SECTIONS, Edition

_OVERVIEW_PARTS = (
    (
        "加强组织领导",
        "{short}坚持把政府信息公开工作摆在重要位置，明确主要负责同志负总责、分管领导具体抓、业务科室抓落实的工作机制，定期研究部署年度重点任务。",
    ),
    (
        "深化主动公开",
        "围绕群众关切，及时通过政府门户网站公开机构职能、政策文件、财政预决算、“三公”经费等信息，全年主动公开各类政府信息{active}条。",
    ),
    (
        "规范依申请公开",
        "严格落实依申请公开受理、登记、审核、答复各环节要求，{year}年共收到政府信息公开申请{new}件，均在法定期限内答复。",
    ),
    ("加强政府信息管理", "严格执行政府信息发布保密审查制度，动态调整政务公开全清单，对已公开信息定期开展清理和更新。"),
    ("强化平台建设", "持续优化政府网站政府信息公开专栏，做好政务新媒体信息同步发布，确保信息准确、及时、便于查阅。"),
    (
        "做好监督保障",
        "将政府信息公开工作纳入年度考核，组织工作人员参加专题培训{train}次，本年度未发生需要责任追究的情形。",
    ),
)
_PROBLEMS = (
    "{year}年，{short}政府信息公开工作取得一定成效，但仍存在主动公开内容不够丰富、政策解读形式较为单一、"
    "依申请公开答复规范性有待提升等问题。下一步，一是聚焦群众关切，拓展主动公开的深度和广度；"
    "二是丰富政策解读形式，提升解读质量；三是加强业务培训，进一步规范依申请公开办理流程。"
)


def _fees_sentence(fees: Fees | None, year: int, rng: random.Random) -> str:
    if fees is None:
        return f"{year}年度本机关无{SECTIONS[-1].title}。"
    n, a, c = fees["notices"], fees["notice_amount_yuan"], fees["collected_yuan"]
    if not n and not a and not c:
        return "本机关未收取信息处理费，发出收费通知的件数和总金额以及实际收取的总金额均为0。"
    if rng.random() < 0.35:
        wan = lambda y: format(Decimal(str(y)) / 10000, "f").rstrip("0").rstrip(".") or "0"  # noqa: E731
        return (
            f"本机关依据《政府信息公开信息处理费管理办法》收取信息处理费，{year}年发出收费通知的件数{n}件，"
            f"总金额{wan(a)}万元。实际收取的总金额{wan(c)}万元。"
        )
    return f"{year}年度发出收费通知的件数为{n}件，总金额为{a}元，实际收取的总金额为{c}元。"


NUMBERINGS = ("template", "arabic", "arabic_all", "broken")


def _section_mark(number: str, numbering: str) -> str:
    """Section numbering as printed: the template's ``二、``; ``2、 `` for 二/三 only
    (seeds 000/002/004); ``1、 `` throughout (wild_18); or template marks with broken sub-heads."""
    arabic = f"{SECTION_NUMBERS.index(number) + 1}、 "
    if numbering == "arabic_all" or (numbering == "arabic" and number in "二三"):
        return arabic
    return f"{number}、"


def _sub_mark(i: int, numbering: str) -> str:
    """Sub-heading numbering: ``（一）``; ``（4）`` from the fourth on (seed 000);
    ``1、`` (wild_18); ``一)`` (wild_20)."""
    if numbering == "arabic":
        return f"（{SECTION_NUMBERS[i]}）" if i < 3 else f"（{i + 1}） "
    if numbering == "arabic_all":
        return f"{i + 1}、 "
    return f"{SECTION_NUMBERS[i]})" if numbering == "broken" else f"（{SECTION_NUMBERS[i]}）"


@dataclass(frozen=True)
class Block:
    kind: str  # "p" | "h" | "table"
    text: str = ""
    table: str = ""  # table2/3/4


def blocks(
    cells: Cells,
    ed: Edition,
    agency: str,
    year: int,
    rng: random.Random,
    fees: Fees | None,
    numbering: str,
    published: str,
    long_headings: bool = False,
    untitled: bool = False,
) -> list[Block]:
    """The report's blocks; ``untitled``: no title, no agency in the 落款, and a preface that
    names the report year only inside the title of a notice (as saved pages whose title is
    only in the page's ``<title>``)."""
    short = "本机关"
    new = cells["table3.new_received.total"]
    one_line = rng.random() < 0.5
    out = (
        [Block("p", f"{agency}{year}年政府信息公开工作年度报告")]
        if one_line
        else [Block("p", agency), Block("p", f"{year}年政府信息公开工作年度报告")]
    )
    preface = (
        "依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条规定，编制本报告。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    if untitled:
        out = []
        preface = (
            f"按照《中华人民共和国政府信息公开条例》和《某省政务公开办公室关于做好{year}年政府信息公开工作"
            "年度报告编写发布工作的通知》的要求，编写本报告。"
        )
    out.append(Block("p", preface))
    for spec in SECTIONS:
        title = spec.variants[0] if long_headings and spec.key in ("review", "problems") else spec.title
        out.append(Block("h", _section_mark(spec.number, numbering) + title))
        if spec.key == "overview":
            out.append(Block("p", f"{year}年，{short}深入贯彻落实《政府信息公开条例》，扎实做好政府信息公开各项工作。"))
            for i, (head, body) in enumerate(_OVERVIEW_PARTS):
                out.append(Block("h", _sub_mark(i, numbering) + head))
                out.append(
                    Block(
                        "p",
                        body.format(
                            short=short, year=year, new=new, active=rng.randint(20, 900), train=rng.randint(1, 6)
                        ),
                    )
                )
        elif spec.key == "active":
            out.append(Block("table", table="table2"))
        elif spec.key == "requests":
            out.append(
                Block(
                    "p",
                    f"本年度，本机关共收到政府信息公开申请{new}件，上年结转"
                    f"{cells['table3.carried_over.total']}件，办结{cells['table3.total_processed.total']}件，"
                    f"结转下年度继续办理{cells['table3.carried_forward.total']}件。",
                )
            )
            out.append(Block("table", table="table3"))
        elif spec.key == "review":
            out.append(Block("table", table="table4"))
        elif spec.key == "problems":
            out.append(Block("p", _PROBLEMS.format(year=year, short=short)))
        else:
            out.append(Block("p", _fees_sentence(fees, year, rng)))
    out += ([] if untitled else [Block("p", agency)]) + [Block("p", published)]
    return out


def published_date(year: int, rng: random.Random) -> str:
    """A 落款 date on time: in January of the next year (《条例》第五十条)."""
    return f"{year + 1}年1月{rng.randint(5, 31)}日"
