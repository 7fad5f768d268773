"""The clickstream marts computed in plain Python from the generator's own page views: what dbt must match."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from demo.clicks import PageView

SESSION_GAP = timedelta(minutes=30)


@dataclass(frozen=True)
class Session:
    customer_id: int
    device: str
    started_at: datetime
    ended_at: datetime
    begin_url: str
    end_url: str
    page_views: int


def distinct_views(views: Iterable[PageView]) -> list[PageView]:
    return list({view.event_id: view for view in views}.values())


def sessions(views: Iterable[PageView]) -> set[Session]:
    by_visitor: dict[tuple[int, str], list[PageView]] = defaultdict(list)
    for view in views:
        by_visitor[(view.customer_id, view.device)].append(view)
    found: set[Session] = set()
    for (customer_id, device), visitor_views in by_visitor.items():
        visitor_views.sort(key=lambda view: (view.at, view.event_id))
        current = [visitor_views[0]]
        for view in visitor_views[1:]:
            if view.at - current[-1].at > SESSION_GAP:
                found.add(_session(customer_id, device, current))
                current = []
            current.append(view)
        found.add(_session(customer_id, device, current))
    return found


def _session(customer_id: int, device: str, views: list[PageView]) -> Session:
    return Session(
        customer_id, device, _naive(views[0].at), _naive(views[-1].at), views[0].url, views[-1].url, len(views)
    )


def unique_visitors(views: Iterable[PageView], window_seconds: int) -> dict[datetime, tuple[int, int]]:
    """Window start → (unique visitors, page views), windows aligned on the epoch."""
    customers: dict[datetime, set[int]] = defaultdict(set)
    counts: Counter[datetime] = Counter()
    for view in views:
        start = window_start(view.at, window_seconds)
        customers[start].add(view.customer_id)
        counts[start] += 1
    return {start: (len(customers[start]), counts[start]) for start in counts}


def window_start(at: datetime, window_seconds: int) -> datetime:
    seconds = int(at.timestamp())
    return datetime.fromtimestamp(seconds - seconds % window_seconds, UTC).replace(tzinfo=None)


def source_views_per_minute(views: Iterable[PageView]) -> dict[tuple[datetime, str], int]:
    return dict(Counter((window_start(view.at, 60), view.traffic_source) for view in views))


def product_views(views: Iterable[PageView]) -> dict[str, int]:
    return dict(Counter(view.url.split("/")[2] for view in views if view.url.startswith("/product/")))


def _naive(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None)
