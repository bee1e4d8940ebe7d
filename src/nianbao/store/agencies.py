"""Agency identity: every printed name is an alias of one canonical agency with a region chain.

``agency_names`` maps each printed name (``reports.agency_key``) to its canonical agency
(:func:`nianbao.template.agencies.canonical`: simplified, with the full region prefix when it is
known without doubt) and its region ``/省/市/区县/乡镇街道/``. :func:`ensure` fills it for names
not seen yet (whoever stores reports calls it once after, and every query that needs it calls it
first); :func:`merge` and :func:`split` set a name's agency by hand, and such rows are kept as set
by every later :func:`sync`."""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from nianbao.model import Report
from nianbao.normalize import key
from nianbao.store import audit
from nianbao.store.db import reading, writing
from nianbao.store.rows import agency_key
from nianbao.store.schema import agency_names, may_alter, meta, reports
from nianbao.template import agencies

N = agency_names.c


class AgencyError(ValueError):
    """A name that is no stored agency, or a merge that cannot be made; one Chinese line."""


def path_of(chain: Iterable[str]) -> str:
    """A region chain as stored: ``/北京市/西城区/`` (empty for none)."""
    chain = tuple(chain)
    return "/" + "/".join(chain) + "/" if chain else ""


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


STALE = "agency_names_stale"  # meta key: "1" once a report carries a name agency_names lacks


BEHIND = (
    "库中机关名称未跟上最近入库的报告，当前用户无权更新：按已有名称查询，新入库的机关暂不在机关一览和按地区筛选的结果中；"
    "请数据库所有者用本版 nianbao 读一次本库（例如 nianbao agencies list）"
)


def ensure(engine: Engine) -> None:
    """Bring ``agency_names`` up to date when a stored report carries a name it lacks. A trigger
    on ``reports`` marks the table stale as such a report is saved (:func:`_watch`), so a store
    in step costs one lookup here, however many reports it holds. A user who may not change the
    store (:func:`~nianbao.store.schema.may_alter`: a role with SELECT only) writes nothing: the
    names are read as stored, with one warning when they lag behind the reports (the writers
    call this once after storing, so they do only when a report was stored otherwise)."""
    with reading(engine) as conn:
        watched = _watched(conn)
        if watched and conn.execute(sa.select(meta.c.value).where(meta.c.key == STALE)).scalar() == "0":
            return
        if not may_alter(conn):
            if watched or conn.execute(_unknown().limit(1)).first() is not None:
                _say_behind()
            return
    with writing(engine) as conn:
        if not _watched(conn):
            _watch(conn)
        if conn.execute(_unknown().limit(1)).first() is not None:
            sync(conn)
        conn.execute(meta.update().where(meta.c.key == STALE).values(value="0"))


def _say_behind() -> None:
    """:data:`BEHIND` as a warning, never raised: under ``python -W error`` a page or command
    reads on all the same, the line shown."""
    try:
        warnings.warn(BEHIND, stacklevel=1)
    except UserWarning as w:
        warnings.showwarning(w, type(w), __file__, 0)


def _unknown() -> sa.Select:
    """The stored agency keys ``agency_names`` lacks: a NOT EXISTS, which both databases run as an
    anti-join (PostgreSQL ran ``NOT IN (subquery)`` as a subplan per row when the names did not fit
    in work_mem: over 11 minutes at 1M reports × 200k names)."""
    k = reports.c.agency_key
    return sa.select(k).where(k.is_not(None), ~sa.exists().where(N.agency_key == k))


def _watched(conn: Connection) -> bool:
    """Whether the trigger that marks ``agency_names`` stale is there (a store made before it, or
    whose ``reports`` a migration rebuilt, has none)."""
    if conn.dialect.name == "postgresql":
        found = sa.text("SELECT 1 FROM pg_trigger WHERE tgname = :t")
    else:
        found = sa.text("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = :t")
    return conn.execute(found, {"t": STALE}).first() is not None


def _watch(conn: Connection) -> None:
    """Create the trigger marking ``agency_names`` stale when a report is saved (or renamed) with
    a name it lacks, and the mark, set: what was stored before is looked at once."""
    conn.execute(meta.delete().where(meta.c.key == STALE))
    conn.execute(meta.insert().values(key=STALE, value="1"))
    lacks = "NEW.agency_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agency_names WHERE agency_key = NEW.agency_key)"
    mark = f"UPDATE meta SET value = '1' WHERE key = '{STALE}'"
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {STALE}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
            f"IF {lacks} THEN\n{mark};\nEND IF;\nRETURN NULL;\nEND $$"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {STALE} AFTER INSERT OR UPDATE OF agency_key ON reports "
            f"FOR EACH ROW EXECUTE FUNCTION {STALE}()"
        )
        return
    for event in ("INSERT", "UPDATE OF agency_key"):
        name = STALE if event == "INSERT" else f"{STALE}_update"
        conn.exec_driver_sql(
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON reports WHEN {lacks} BEGIN {mark}; END"
        )


def _computed(conn: Connection) -> tuple[dict[str, str], dict[str, agencies.Canonical]]:
    """The printed name of each stored agency_key, and each name's canonical form."""
    printed = dict(
        conn.execute(
            sa.select(reports.c.agency_key, sa.func.min(reports.c.agency))
            .where(reports.c.agency_key.is_not(None))
            .group_by(reports.c.agency_key)
        ).all()
    )
    regions = conn.execute(sa.select(reports.c.region).where(reports.c.region.is_not(None)).distinct()).scalars()
    return printed, agencies.canonical(printed.values(), regions)


def sync(conn: Connection) -> None:
    """Recompute the canonical agency of every name not set by hand."""
    printed, found = _computed(conn)
    manual = set(conn.execute(sa.select(N.agency_key).where(N.manual.is_(True))).scalars())
    rows = [
        {
            "agency_key": k,
            "name": name,
            "canonical": (c := found[name]).name,
            "canonical_key": key(c.name),
            "region_path": path_of(c.chain),
            "candidates": list(c.candidates),
            "manual": False,
        }
        for k, name in printed.items()
        if k not in manual
    ]
    conn.execute(agency_names.delete().where(N.manual.is_(False)))
    if rows:
        conn.execute(agency_names.insert(), rows)
    _moved(conn)


def _moved(conn: Connection) -> None:
    """The agencies' region chains changed: the dashboard's sums per region follow."""
    from nianbao.store import aggregates  # it imports this module

    aggregates.remake_places(conn)


def _group(conn: Connection, name: str) -> tuple[str, str, str]:
    """(canonical_key, canonical, region_path) of the agency a name (printed or canonical) denotes."""
    k = agency_key(name) or ""
    row = conn.execute(
        sa.select(N.canonical_key, N.canonical, N.region_path)
        .where(sa.or_(N.agency_key == k, N.canonical_key == k))
        .order_by(N.manual.desc(), (N.canonical_key == k).desc())
        .limit(1)
    ).first()
    if row is None:
        raise AgencyError(f"库中没有机关“{name}”")
    return row.canonical_key, row.canonical, row.region_path


def merge(engine: Engine, name: str, into: str, who: str = "") -> str:
    """Every name of ``name``'s agency becomes a name of ``into``'s (logged as done by ``who``);
    returns the canonical name."""
    ensure(engine)
    with writing(engine) as conn:
        old, _, _ = _group(conn, name)
        new, canonical, region = _group(conn, into)
        if old == new:
            raise AgencyError(f"“{name}”与“{into}”已是同一机关（{canonical}）")
        conn.execute(
            agency_names.update()
            .where(N.canonical_key == old)
            .values(canonical_key=new, canonical=canonical, region_path=region, candidates=[], manual=True)
        )
        conn.execute(agency_names.update().where(N.canonical_key == new).values(manual=True))
        _moved(conn)
        audit.record(conn, who, "merge", canonical, {"merged": name, "into": into})
    return canonical


def split(engine: Engine, name: str, who: str = "") -> str:
    """The printed name ``name`` becomes an agency of its own (logged as done by ``who``): its
    canonical form, or as printed when that is the agency it leaves; returns its canonical name."""
    ensure(engine)
    k = agency_key(name) or ""
    with writing(engine) as conn:
        row = conn.execute(sa.select(N.name, N.canonical_key).where(N.agency_key == k)).first()
        if row is None:
            raise AgencyError(f"库中没有以“{name}”为名的报告")
        if key(row.name) == row.canonical_key and _others(conn, row.canonical_key, k):
            raise AgencyError(f"“{row.name}”是该机关的规范名称，不能拆出；请拆出其他名称")
        own = _computed(conn)[1][row.name]
        if _others(conn, key(own.name), k):
            own = agencies.canonical([row.name])[row.name]
        printed = row.name
        conn.execute(
            agency_names.update()
            .where(N.agency_key == k)
            .values(
                canonical=own.name,
                canonical_key=key(own.name),
                region_path=path_of(own.chain),
                candidates=[],
                manual=True,
            )
        )
        _moved(conn)
        audit.record(conn, who, "split", own.name, {"name": printed})
    return own.name


def _others(conn: Connection, canonical_key: str, but: str) -> int:
    """How many other printed names the agency ``canonical_key`` has."""
    where = (N.canonical_key == canonical_key, N.agency_key != but)
    return conn.execute(sa.select(sa.func.count()).where(*where)).scalar_one()


def aliases(engine: Engine, name: str | None = None) -> list[dict[str, Any]]:
    """The printed names with their agency (of one agency when ``name`` is given)."""
    ensure(engine)
    with reading(engine) as conn:
        query = sa.select(N.name, N.agency_key, N.canonical, N.canonical_key, N.region_path, N.candidates, N.manual)
        if name:
            query = query.where(N.canonical_key == _group(conn, name)[0])
        return [dict(r._mapping) for r in conn.execute(query.order_by(N.canonical_key, N.agency_key))]


def listing(engine: Engine, q: str | None = None) -> list[dict[str, Any]]:
    """The agencies: canonical name and key, region, printed names, reports stored, years, and the
    candidates when a short name could not be completed; ``q`` keeps those whose name or region
    contains it."""
    rows = aliases(engine)
    years: dict[str, set[int]] = {}
    counts: dict[str, int] = {}
    with reading(engine) as conn:
        for k, year, n in conn.execute(
            sa.select(reports.c.agency_key, reports.c.year, sa.func.count())
            .where(reports.c.is_current.is_(True))
            .group_by(reports.c.agency_key, reports.c.year)
        ):
            if year is not None:
                years.setdefault(k, set()).add(year)
            counts[k] = counts.get(k, 0) + n
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        a = out.setdefault(
            r["canonical_key"],
            {
                "canonical": r["canonical"],
                "canonical_key": r["canonical_key"],
                "region": r["region_path"].strip("/").split("/") if r["region_path"] else [],
                "names": [],
                "reports": 0,
                "years": set(),
                "candidates": [],
                "manual": False,
            },
        )
        a["names"].append(r["name"])
        a["reports"] += counts.get(r["agency_key"], 0)
        a["years"] |= years.get(r["agency_key"], set())
        a["candidates"] += [c for c in r["candidates"] if c not in a["candidates"]]
        a["manual"] = a["manual"] or r["manual"]
    found = [{**a, "years": sorted(a["years"])} for a in out.values()]
    if q:
        k = key(q)
        found = [a for a in found if k in a["canonical_key"] or any(k in key(p) for p in a["region"])]
    return sorted(found, key=lambda a: (a["region"], a["canonical"]))


def keys_of(name: str, partial: bool = True) -> sa.Select:
    """``reports.agency_key`` values of the agency ``name`` denotes (a printed or canonical name),
    or, when it denotes none and ``partial``, of every agency whose canonical or printed name contains it
    (none when ``name`` folds to nothing, as ``"`` or spaces do: not every agency)."""
    k = agency_key(name)
    if k is None:
        return sa.select(N.agency_key).where(sa.false())
    exact = sa.select(N.canonical_key).where(sa.or_(N.agency_key == k, N.canonical_key == k))
    if not partial:
        return sa.select(N.agency_key).where(N.canonical_key.in_(exact))
    like = "%" + _like(k) + "%"
    partial = sa.or_(N.canonical_key.like(like, escape="\\"), N.agency_key.like(like, escape="\\"))
    return sa.select(N.agency_key).where(sa.or_(N.canonical_key.in_(exact), sa.and_(~sa.exists(exact), partial)))


def keys_in(region: str) -> sa.Select:
    """``reports.agency_key`` values of the agencies in ``region`` at any level: ``北京市``,
    ``北京市西城区``, or a chain that does not start at the province (``西城区``, ``宿迁``)."""
    return sa.select(N.agency_key).where(N.region_path.like(region_like(region), escape="\\"))


def region_like(region: str) -> str:
    """The ``LIKE`` pattern (escaped by \\) of the region chains within ``region`` (:func:`keys_in`)."""
    chain = agencies.region_chain(region)
    if chain and agencies.is_province(chain[0]):
        return _like(path_of(chain)) + "%"
    return "%/" + _like("/".join(chain)) + "%"


def keys_matching(text: str) -> sa.Select:
    """``reports.agency_key`` values whose canonical name, printed name or region contains ``text``
    (none when ``text`` folds to nothing, as ``"`` or spaces do: not every agency)."""
    k = key(text)
    if not k:
        return sa.select(N.agency_key).where(sa.false())
    like = "%" + _like(k) + "%"
    return sa.select(N.agency_key).where(
        sa.or_(*(c.like(like, escape="\\") for c in (N.canonical_key, N.agency_key, N.region_path)))
    )


def region_tree(engine: Engine) -> list[dict[str, Any]]:
    """Every region of the current reports' agencies at every level, as a tree in order:
    ``{"value": "北京市西城区", "name": "西城区", "depth": 1, "chain": [...]}``."""
    ensure(engine)
    with reading(engine) as conn:
        paths = conn.execute(
            sa.select(N.region_path)
            .where(N.region_path != "", N.agency_key.in_(sa.select(reports.c.agency_key).where(reports.c.is_current)))
            .distinct()
        ).scalars()
        levels = {tuple(p.strip("/").split("/")[: i + 1]) for p in paths for i in range(p.strip("/").count("/") + 1)}
    return [{"value": "".join(c), "name": c[-1], "depth": len(c) - 1, "chain": list(c)} for c in sorted(levels)]


def canonical_reports(engine: Engine, found: list[Report]) -> list[Report]:
    """``found`` with each agency named canonically, so that the cross-report rules pair the
    years of one agency however each year printed its name (and as merged by hand)."""
    ensure(engine)
    keys = {agency_key(r.agency) for r in found} - {None}
    with reading(engine) as conn:
        named = dict(conn.execute(sa.select(N.agency_key, N.canonical).where(N.agency_key.in_(keys))).all())
    return [dataclasses.replace(r, agency=named.get(agency_key(r.agency), r.agency)) for r in found]
