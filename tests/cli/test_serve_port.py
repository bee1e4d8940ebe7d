"""``nianbao serve`` binds its port before it says where it listens: a port in use is one Chinese
line and exit 2 (it printed our address, then uvicorn's English error, exit 3); a free one serves."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def test_a_free_port_is_served_at_the_address_printed(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*NIANBAO, "serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'x.db'}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith(f"nianbao 网页版：http://127.0.0.1:{port}/")
        for _ in range(100):  # listening from before the line: the app answers once it has started
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/reports", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server never answered")
    finally:
        server.terminate()
        server.wait(30)
