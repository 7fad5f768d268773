"""Where the lake is when none is configured: one folder per warehouse, whoever names it."""

from pathlib import Path

import pytest

from load.config import DEFAULT_WAREHOUSE_PATH
from load.lake.location import configured_url


@pytest.fixture
def unconfigured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A project folder with no lake configured (no LAKE_URL, no [lake] bucket_url)."""
    for name in ("LAKE_URL", "LAKE__BUCKET_URL", "WAREHOUSE_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path.resolve()


def test_the_projects_warehouse_has_its_lake_in_the_project(unconfigured: Path) -> None:
    assert configured_url() == str(unconfigured / "lake")


def test_naming_the_default_warehouse_keeps_the_same_lake(unconfigured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WAREHOUSE_PATH", DEFAULT_WAREHOUSE_PATH)  # as make does
    assert configured_url() == str(unconfigured / "lake")
    monkeypatch.setenv("WAREHOUSE_PATH", str(unconfigured / DEFAULT_WAREHOUSE_PATH))
    assert configured_url() == str(unconfigured / "lake")


def test_another_warehouse_has_its_own_lake_beside_it(unconfigured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = unconfigured / "elsewhere" / "w.duckdb"
    monkeypatch.setenv("WAREHOUSE_PATH", str(other))
    assert configured_url() == str(other.parent / "lake")


def test_a_configured_lake_wins(unconfigured: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAKE_URL", "s3://bucket/prefix")
    assert configured_url() == "s3://bucket/prefix"
