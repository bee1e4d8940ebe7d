"""``nianbao serve`` binds its port before it says where it listens: a port in use is one Chinese
line and exit 2 (it printed our address, then uvicorn's English error, exit 3); a free one serves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from nianbao.store.accounts import add_user
from nianbao.store.db import connect

NIANBAO = [sys.executable, "-c", "from nianbao.cli import main; main()"]


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [*NIANBAO, "serve", "--port", port, "--db", f"sqlite:///{tmp_path / 'x.db'}"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr
        == f"nianbao: 端口: 无法在 127.0.0.1:{port} 监听：已被占用，请用 --port 指定其他端口，或先停止占用它的程序\n"
    )


def _served(port: str, db: Path) -> int:
    """Start ``nianbao serve --port port`` and return the port its first line names, once the app
    answers there; the server is stopped after."""
    server = subprocess.Popen(
        [*NIANBAO, "serve", "--port", port, "--db", f"sqlite:///{db}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("nianbao 网页版：http://127.0.0.1:"), line
        said = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        for _ in range(100):  # listening from before the line: the app answers once it has started
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{said}/api/reports", timeout=5) as r:
                    assert r.status == 200
                    return said
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server never answered")
    finally:
        server.terminate()
        server.wait(30)


def test_a_free_port_is_served_at_the_address_printed(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    assert _served(str(port), tmp_path / "x.db") == port


def test_an_address_not_of_this_machine_is_one_chinese_line(tmp_path: Path) -> None:
    """192.0.2.1 (TEST-NET-1, never a machine's own): the system says 'Cannot assign requested
    address'; serve says it in Chinese, as for a port in use. (Beyond this machine login is
    required: one user first.)"""
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = connect(url, create=True)
    add_user(engine, "管理员", "a-long-password-1", "管理")
    engine.dispose()
    done = subprocess.run(
        [*NIANBAO, "serve", "--host", "192.0.2.1", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("nianbao: 端口: 无法在 192.0.2.1:8000 监听：本机没有这个地址")
    assert done.stderr.count("\n") == 1


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    """--port 70000 was an OverflowError traceback from bind(), after the store was made."""
    done = subprocess.run(
        [*NIANBAO, "serve", "--port", "70000", "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--port" in done.stderr
    assert not (tmp_path / "x.db").exists()


def test_port_0_is_a_free_port_and_the_address_printed_is_its(tmp_path: Path) -> None:
    """--port 0: the system chooses; the line printed names the port chosen (it said :0)."""
    assert _served("0", tmp_path / "x.db") > 0
