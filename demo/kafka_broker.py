"""The local Kafka broker (`scripts/services.sh` starts it): `python -m demo.kafka_broker --port P --control SOCKET`.

librdkafka's mock cluster (demo/kafka_mock.py) listens on a port the kernel picks and cannot be told another. So
this process listens on the fixed `--port` (127.0.0.1 only), relays each connection to the mock broker, and has the
broker advertise the fixed port: clients only ever see `127.0.0.1:PORT`, so the dlt config stays the same across
restarts. Messages live in this process's memory; with `--store`, a clean stop (SIGTERM) saves every topic and the
next start puts them back with the same offsets (a crash loses what came since the last clean stop).

The mock cluster answers no admin requests, so topics are made through a Unix socket (`--control`, see
demo/kafka_topics.py): one JSON request per connection, one JSON answer.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import signal
import socket
import socketserver
import sys
import threading
from pathlib import Path
from typing import Any

from demo.kafka_broker_store import add_partitions, restore, save
from demo.kafka_mock import MockCluster, MockClusterError

log = logging.getLogger("kafka_broker")
_CHUNK_BYTES = 256 * 1024


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(_CHUNK_BYTES):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


class _Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, broker_address: str) -> None:
        host, broker_port = broker_address.rsplit(":", 1)
        self.broker = (host, int(broker_port))
        super().__init__(("127.0.0.1", port), _RelayConnection)


class _RelayConnection(socketserver.BaseRequestHandler):
    server: _Relay

    def handle(self) -> None:
        client: socket.socket = self.request
        with socket.create_connection(self.server.broker) as broker:
            for end in (client, broker):
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            back = threading.Thread(target=_pipe, args=(broker, client), daemon=True)
            back.start()
            _pipe(client, broker)
            back.join()


class _Control(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: Path, cluster: MockCluster) -> None:
        self.cluster = cluster
        self.lock = threading.Lock()
        path.unlink(missing_ok=True)
        super().__init__(str(path), _ControlRequest)
        os.chmod(path, 0o600)


class _ControlRequest(socketserver.StreamRequestHandler):
    server: _Control

    def handle(self) -> None:
        request = json.loads(self.rfile.readline())
        try:
            with self.server.lock:
                answer: dict[str, Any] = {"ok": True, **_perform(self.server.cluster, request)}
        except (MockClusterError, KeyError, ValueError, RuntimeError) as error:
            answer = {"ok": False, "error": str(error)}
        self.wfile.write(json.dumps(answer).encode() + b"\n")


def _perform(cluster: MockCluster, request: dict[str, Any]) -> dict[str, Any]:
    action, topic = request["action"], str(request["topic"])
    if action == "create":
        cluster.create_topic(topic, int(request["partitions"]))
        return {}
    if action == "delete":
        cluster.delete_topic(topic)
        return {}
    if action == "add_partitions":
        return {"messages_kept": add_partitions(cluster, topic, int(request["partitions"]))}
    raise ValueError(f"unknown action {action!r}")


def serve(port: int, control: Path, topics: list[str], store: Path | None) -> None:
    cluster = MockCluster()
    restored = restore(cluster, store) if store else []
    for topic in topics:
        name, partitions = topic.rsplit(":", 1)
        if name not in restored:
            cluster.create_topic(name, int(partitions))
    cluster.advertise("127.0.0.1", port)
    relay = _Relay(port, cluster.listening_address)
    control_server = _Control(control, cluster)
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    for server in (relay, control_server):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info(
        "Kafka mock broker on 127.0.0.1:%d (mock listener %s); topics restored: %s",
        port,
        cluster.listening_address,
        ", ".join(restored) or "none",
    )
    stop.wait()
    control_server.shutdown()
    control.unlink(missing_ok=True)
    if store:  # through the relay: the mock broker tells every client to connect there
        log.info("saved %d messages to %s", save(cluster, store), store)
    relay.shutdown()
    cluster.close()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    parser = argparse.ArgumentParser(prog="python -m demo.kafka_broker", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="the fixed 127.0.0.1 port clients connect to")
    parser.add_argument("--control", type=Path, required=True, help="Unix socket for topic requests")
    parser.add_argument(
        "--store", type=Path, help="file the topics are saved to on a clean stop and read from at start"
    )
    parser.add_argument(
        "--topic", action="append", default=[], metavar="NAME:PARTITIONS", help="a topic to create at the start"
    )
    args = parser.parse_args(argv)
    serve(args.port, args.control, args.topic, args.store)
    return 0


if __name__ == "__main__":
    sys.exit(main())
