"""`rm .services/credentials.env && make services-up` rotates the local passwords, also on a running MariaDB."""

from __future__ import annotations

import pytest
from private_services import PrivateServices
from test_services_restart import binlog_text

pytestmark = pytest.mark.integration


def read_credentials(services: PrivateServices) -> dict[str, str]:
    text = (services.services_dir / "credentials.env").read_text()
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def logs_in(services: PrivateServices, user: str, password: str) -> bool:
    result = services.run(
        "env",
        f"MYSQL_PWD={password}",
        "mariadb",
        "--no-defaults",
        "--protocol=tcp",
        "-h127.0.0.1",
        f"-P{services.mariadb_port}",
        f"-u{user}",
        "-e",
        "SELECT 1",
    )
    return result.returncode == 0


def test_rotation_reaches_a_running_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A short folder: MariaDB's socket path must fit in 108 bytes.
    services = PrivateServices(tmp_path_factory.mktemp("rotation"))
    try:
        services.make("services-up")
        (services.services_dir / "credentials.env").unlink()

        services.make("services-up")

        rotated = read_credentials(services)
        assert rotated["MARIADB_LOADER_PASSWORD"] != services.passwords["MARIADB_LOADER_PASSWORD"]
        assert logs_in(services, "dw_loader", rotated["MARIADB_LOADER_PASSWORD"])
        assert logs_in(services, "dw_admin", rotated["MARIADB_ADMIN_PASSWORD"])
        assert not logs_in(services, "dw_loader", services.passwords["MARIADB_LOADER_PASSWORD"])
        assert rotated["MARIADB_LOADER_PASSWORD"] in services.secrets_file.read_text()
        binlog = binlog_text(services)
        assert all(password.encode() not in binlog for password in rotated.values())
    finally:
        services.stop()
