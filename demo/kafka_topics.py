"""Topics on the local Kafka broker (demo/kafka_broker.py), through its control socket: create, grow, delete.

A real Kafka (MSK, Confluent Cloud) gets its topics from its admins or infrastructure code; the demo only ever
creates topics on the local broker.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from load.errors import LoadConfigError
from load.local_services import services_dir, setting

_TIMEOUT_SECONDS = 60.0


def control_socket() -> Path:
    return services_dir() / "kafka" / "control.sock"


def local_bootstrap() -> str:
    return f"127.0.0.1:{setting('KAFKA_PORT')}"


def _request(**request: Any) -> dict[str, Any]:
    path = control_socket()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(_TIMEOUT_SECONDS)
            connection.connect(str(path))
            connection.sendall(json.dumps(request).encode() + b"\n")
            answer: dict[str, Any] = json.loads(connection.makefile("rb").readline())
    except OSError as error:
        raise LoadConfigError(
            f"cannot reach the local Kafka broker's control socket {path} ({error}): run `make services-up`"
        ) from None
    if not answer.get("ok"):
        raise LoadConfigError(f"local Kafka broker: {answer.get('error')}")
    return answer


def create_topic(topic: str, partitions: int) -> bool:
    """Create `topic` on the local broker; False when it exists already."""
    try:
        _request(action="create", topic=topic, partitions=partitions)
    except LoadConfigError as error:
        if "already exists" in str(error).lower():
            return False
        raise
    return True


def add_partitions(topic: str, partitions: int) -> None:
    """Grow `topic` to `partitions` partitions; existing messages keep their partitions and offsets."""
    _request(action="add_partitions", topic=topic, partitions=partitions)


def delete_topic(topic: str) -> None:
    _request(action="delete", topic=topic)
