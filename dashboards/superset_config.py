"""Superset configuration for the project's local Superset (`make dashboards`): state in SUPERSET_STATE_DIR."""

import os
from pathlib import Path

STATE_DIR = Path(os.environ["SUPERSET_STATE_DIR"])

SQLALCHEMY_DATABASE_URI = f"sqlite:///{STATE_DIR / 'superset.db'}"
# Generated on first start (dashboards/superset.sh), never in the repo.
SECRET_KEY = (STATE_DIR / "secret_key").read_text().strip()
RATELIMIT_STORAGE_URI = "memory://"
# Local only: no outbound requests. The CSP keeps the page from loading anything off this host (the built-in
# telemetry pixel included).
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
WTF_CSRF_ENABLED = True
# The API clients (deploy, tests) log in with a JWT; CSRF stays on for the browser.
WTF_CSRF_EXEMPT_LIST = ["superset.views.core.log", "superset.charts.data.api.data"]
FEATURE_FLAGS = {"DASHBOARD_RBAC": False}
SQLLAB_CTAS_NO_LIMIT = False
PREVENT_UNSAFE_DB_CONNECTIONS = False  # duckdb:/// is a local file by design; the connection itself is read-only
