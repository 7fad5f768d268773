"""Deploy the dashboards-as-code bundle (dashboards/bundle/) to the local Superset: POST /api/v1/assets/import/
with overwrite, so a re-deploy updates the database, datasets, charts and dashboards in place (same UUIDs)."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

from superset_api import SupersetError, checked, login

BUNDLE = Path(__file__).with_name("bundle")
BUNDLE_ROOT = "commerce_dw_dashboards"  # the folder every file of an import zip sits in
MARTS_PLACEHOLDER = "{marts_path}"  # in databases/*.yaml: the published marts file, an absolute path


def bundle_zip(marts_path: Path) -> bytes:
    """The bundle as an import zip, the database pointing at marts_path."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(BUNDLE.rglob("*.yaml")):
            text = path.read_text()
            if path.parent.name == "databases":
                text = text.replace(MARTS_PLACEHOLDER, str(marts_path.resolve()))
            archive.writestr(f"{BUNDLE_ROOT}/{path.relative_to(BUNDLE)}", text)
    return buffer.getvalue()


def deploy(url: str, password: str, marts_path: Path) -> None:
    session = login(url, password)
    checked(
        session.post(
            f"{url}/api/v1/assets/import/",
            files={"bundle": ("bundle.zip", bundle_zip(marts_path), "application/zip")},
            data={"overwrite": "true", "passwords": "{}"},
            timeout=120,
        )
    )


def main() -> None:
    state = Path(os.environ["SUPERSET_STATE_DIR"])
    try:
        password = (state / "admin_password").read_text().strip()
        deploy(os.environ["SUPERSET_URL"], password, Path(os.environ["MARTS_PATH"]))
    except SupersetError as error:
        sys.exit(f"dashboards: deploy failed: {error}")
    print(f"dashboards: deployed {BUNDLE}")


if __name__ == "__main__":
    main()
