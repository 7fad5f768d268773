"""Pid files left by a crash or a reboot: a pid that now belongs to another program is neither reported as a
running service nor signalled by `scripts/services.sh down` (which runs as root on CI machines)."""

from __future__ import annotations

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
