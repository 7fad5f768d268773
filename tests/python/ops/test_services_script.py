"""What scripts/services.sh trusts: a pid file left by a crash or a reboot whose pid now belongs to another program is
neither reported as a running service nor signalled (down runs as root on CI machines); a port another program
listens on stops the start."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

from private_services import PrivateServices

PID_FILES = ("mariadb/mysqld.pid", "kinesis.pid", "kafka/kafka.pid")


def test_stale_pid_files_of_another_program_are_not_the_services(tmp_path: Path) -> None:
    services = PrivateServices(tmp_path)
    other_program = subprocess.Popen(["sleep", "300"])
    try:
        for pid_file in PID_FILES:
            path = services.services_dir / pid_file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{other_program.pid}\n")
        status = services.run("scripts/services.sh", "status")
        assert status.returncode == 0, status.stderr
        assert status.stdout.split("\n")[:3] == [
            "services: MariaDB stopped",
            "services: Kinesis stopped",
            "services: Kafka stopped",
        ]
        down = services.run("scripts/services.sh", "down")
        assert down.returncode == 0, down.stderr
        assert other_program.poll() is None, "services.sh down signalled a process that is not one of its services"
    finally:
        other_program.kill()
        other_program.wait()


def test_a_port_another_program_listens_on_stops_the_start_in_one_line(tmp_path: Path) -> None:
    """Without the check, the readiness probe found the other program's port open and the tests and the demo
    talked to it."""
    services = PrivateServices(tmp_path)
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", services.kinesis_port))
        other_program.listen()
        try:
            started = services.run("scripts/services.sh", "up")
        finally:
            services.stop()
    assert started.returncode == 1
    assert started.stdout.strip().splitlines()[-1] == (
        f"services: Kinesis cannot start: another program listens on 127.0.0.1:{services.kinesis_port}; stop it, "
        "or set KINESIS_PORT to a free port"
    )


def test_a_start_that_saves_streams_restarts_a_kinesis_that_does_not(tmp_path: Path) -> None:
    """`make test` starts Kinesis keeping streams in memory; a later `make demo` (which saves them) restarts it, so
    the demo's streams survive the next stop."""
    services = PrivateServices(tmp_path)
    try:
        in_memory = services.run("scripts/services.sh", "up", env={"KINESIS_PERSIST": "false"})
        assert in_memory.returncode == 0, in_memory.stdout + in_memory.stderr
        saving = services.run("scripts/services.sh", "up")
        assert saving.returncode == 0, saving.stdout + saving.stderr
        assert "Kinesis runs without saving its streams (started by make test): restarting it" in saving.stdout
        again = services.run("scripts/services.sh", "up")
        assert "Kinesis already running" in again.stdout
    finally:
        services.stop()


def test_a_services_dir_spelled_through_parent_folders_starts(tmp_path: Path) -> None:
    """CI's clone sits deeper than a developer's: the folder spelled relative to it ("../../../tmp/…") put MariaDB's
    socket past the kernel's 107 bytes, and MariaDB did not start. The script resolves the folder first."""
    services = PrivateServices(tmp_path)
    detour = "up/../" * 12  # 72 bytes more in the spelling, none in the resolved path
    spelled = {"SERVICES_DIR": detour + services.env["SERVICES_DIR"]}
    assert len(str(services.services_dir / "mariadb" / "mysqld.sock")) + len(detour) > 107
    try:
        started = services.run("scripts/services.sh", "up", env=spelled)
        assert started.returncode == 0, started.stdout + started.stderr
        assert services.sql("SELECT 1") == "1"
    finally:
        services.run("scripts/services.sh", "down", env=spelled, timeout=180)


def test_a_socket_path_past_the_kernels_limit_stops_the_start_in_one_line(tmp_path: Path) -> None:
    services = PrivateServices(tmp_path)
    deep = tmp_path / ("d" * 100)
    started = services.run("scripts/services.sh", "up", env={"SERVICES_DIR": str(deep)})
    assert started.returncode == 1
    assert started.stdout.strip().splitlines()[-1] == (
        f"services: MariaDB cannot start: its socket path {deep}/mariadb/mysqld.sock is longer than 107 bytes; "
        "set SERVICES_DIR to a shorter folder"
    )
