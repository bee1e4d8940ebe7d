"""Local accounts and their sessions: who may use the web app when it is served beyond one desk.

Passwords are kept as argon2id hashes (each with its own salt and parameters); a session is a
random token given to the browser, of which only the sha256 is stored, valid until it expires
or its owner logs out. Roles: 查看 reads, 审核 also changes (review states, corrections,
withdrawals, uploads), 管理 also manages users and merges agencies. An account may be limited
to the units of one region."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from nianbao.store import agencies as identity
from nianbao.store import audit
from nianbao.store.db import reading, writing
from nianbao.store.queries import conditions
from nianbao.store.schema import iso_time, reports, sessions, users

ROLES = ("查看", "审核", "管理")  # each role may do what the ones before it may
MIN_PASSWORD = 8
SESSION_HOURS = 12

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory parameters: 64 MiB, 3 passes
_hashing = threading.BoundedSemaphore(2)  # at most two hashes at once: 128 MiB, however many logins arrive


@cache
def _dummy() -> str:
    """A hash to verify against when the name is unknown, so that timing tells nothing."""
    return _hash("nianbao: no such user")


def _hash(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def _verify(digest: str, password: str) -> bool:
    with _hashing:
        try:
            return _hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return False


class AccountError(ValueError):
    """A user cannot be added, found or changed. The message is one Chinese line."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    region: str | None = None  # the account sees and changes only this region's units; None: all

    def may(self, role: str) -> bool:
        """Whether this user's role includes ``role``."""
        return ROLES.index(self.role) >= ROLES.index(role)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"角色“{role}”不存在：可选 {'、'.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    return password


def add_user(engine: Engine, name: str, password: str, role: str, region: str | None = None, who: str = "") -> User:
    name, region = name.strip(), (region or "").strip() or None
    if not name or len(name) > 64 or not name.isprintable() or any(c in name for c in "/\\"):
        raise AccountError("用户名须为 1 至 64 个可见字符，不含斜杠")
    row = {
        "name": name,
        "password_hash": _hash(check_password(password)),
        "role": check_role(role),
        "region": region,
        "created_at": datetime.now(UTC),
    }
    with writing(engine) as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
            raise AccountError(f"用户 {name} 已存在")
        conn.execute(users.insert().values(**row))
        audit.record(conn, who, "user-add", name, {"role": role, "region": region})
    return User(name, role, region)


def remove_user(engine: Engine, name: str, who: str = "") -> None:
    """Remove the user and end its sessions."""
    with writing(engine) as conn:
        uid = _user_id(conn, name)
        conn.execute(sessions.delete().where(sessions.c.user_id == uid))
        conn.execute(users.delete().where(users.c.id == uid))
        audit.record(conn, who, "user-remove", name)


def set_password(engine: Engine, name: str, password: str, who: str = "") -> None:
    """Change the password and end the user's sessions (every browser logs in again)."""
    digest = _hash(check_password(password))
    with writing(engine) as conn:
        uid = _user_id(conn, name)
        conn.execute(users.update().where(users.c.id == uid).values(password_hash=digest))
        conn.execute(sessions.delete().where(sessions.c.user_id == uid))
        audit.record(conn, who, "password", name)


def list_users(engine: Engine) -> list[dict]:
    cols = (users.c.name, users.c.role, users.c.region, users.c.created_at)
    with reading(engine) as conn:
        rows = conn.execute(sa.select(*cols).order_by(users.c.name)).mappings().all()
    return [{**r, "created_at": iso_time(r["created_at"])} for r in rows]


def count_users(engine: Engine) -> int:
    with reading(engine) as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()


def authenticate(engine: Engine, name: str, password: str) -> User | None:
    """The user when ``password`` is theirs, else None (the same work is done for an unknown name)."""
    with reading(engine) as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name.strip())).first()
    if not _verify(row.password_hash if row else _dummy(), password) or row is None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        with writing(engine) as conn:
            conn.execute(users.update().where(users.c.id == row.id).values(password_hash=_hash(password)))
    return User(row.name, row.role, row.region)


def open_session(engine: Engine, name: str, address: str = "", hours: float = SESSION_HOURS) -> str:
    """A new session for ``name`` logging in from ``address``: the token to give the browser (only
    its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with writing(engine) as conn:
        uid = _user_id(conn, name)
        conn.execute(sessions.delete().where(sessions.c.expires_at < now))  # tidy: expired ones are useless
        conn.execute(
            sessions.insert().values(
                token_hash=_digest(token), user_id=uid, created_at=now, expires_at=now + timedelta(hours=hours)
            )
        )
        audit.record(conn, name, "login", name, {"address": address})
    return token


def failed_login(engine: Engine, name: str, address: str = "") -> None:
    """Log a failed login (wrong name or password, or too many tries)."""
    with writing(engine) as conn:
        audit.record(conn, "", "login-failed", name[:64], {"address": address})


def session_user(engine: Engine, token: str) -> User | None:
    """The user of an unexpired session, else None."""
    q = (
        sa.select(users.c.name, users.c.role, users.c.region)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(sessions.c.token_hash == _digest(token), sessions.c.expires_at > datetime.now(UTC))
    )
    with reading(engine) as conn:
        row = conn.execute(q).first()
    return User(row.name, row.role, row.region) if row else None


def close_session(engine: Engine, token: str) -> None:
    """Log out: the session ends (logged when it was a live one)."""
    q = sa.select(users.c.name).join(sessions, sessions.c.user_id == users.c.id)
    with writing(engine) as conn:
        name = conn.execute(q.where(sessions.c.token_hash == _digest(token))).scalar()
        conn.execute(sessions.delete().where(sessions.c.token_hash == _digest(token)))
        if name is not None:
            audit.record(conn, name, "logout", name)


def report_outside(engine: Engine, report_id: int, region: str) -> bool:
    """Whether the stored report ``report_id`` lies outside ``region`` (matched at any level, as the
    list's region filter does); False when there is no such report (its page says so itself)."""
    return _outside(engine, region, reports.c.id == report_id)


def agency_outside(engine: Engine, agency: str, region: str) -> bool:
    """Whether the agency ``agency`` (any of its names) has reports and none of them in ``region``."""
    return _outside(engine, region, reports.c.agency_key.in_(identity.keys_of(agency, partial=False)))


def _outside(engine: Engine, region: str, which: sa.ColumnElement[bool]) -> bool:
    identity.ensure(engine)
    q = sa.select(reports.c.id).where(which).limit(1)
    with reading(engine) as conn:
        if conn.execute(q).first() is None:
            return False
        return conn.execute(q.where(*conditions(region=region, current=False))).first() is None


def _user_id(conn: sa.Connection, name: str) -> int:
    uid = conn.execute(sa.select(users.c.id).where(users.c.name == name.strip())).scalar()
    if uid is None:
        raise AccountError(f"用户 {name} 不存在")
    return uid


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
