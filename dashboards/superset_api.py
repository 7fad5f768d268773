"""A logged-in session on Superset's REST API (JWT for the API, CSRF token for its form posts)."""

from __future__ import annotations

import requests


class SupersetError(RuntimeError):
    """Superset answered a request with an error."""


def checked(response: requests.Response) -> dict:
    """The JSON body of a successful response; SupersetError with the start of the body otherwise."""
    if not response.ok:
        request = f"{response.request.method} {response.url}"
        raise SupersetError(f"{request}: HTTP {response.status_code} {response.text[:500]}")
    return response.json()


def login(url: str, password: str, username: str = "admin") -> requests.Session:
    session = requests.Session()
    session.headers["Referer"] = url
    body = {"username": username, "password": password, "provider": "db", "refresh": False}
    token = checked(session.post(f"{url}/api/v1/security/login", json=body, timeout=30))["access_token"]
    session.headers["Authorization"] = f"Bearer {token}"
    session.headers["X-CSRFToken"] = checked(session.get(f"{url}/api/v1/security/csrf_token/", timeout=30))["result"]
    return session
