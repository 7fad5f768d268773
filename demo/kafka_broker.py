"""The local Kafka broker (`scripts/services.sh` starts it): `python -m demo.kafka_broker --port P --control SOCKET`.

librdkafka's mock cluster (demo/kafka_mock.py) listens on a port the kernel picks and cannot be told another. So
this process listens on the fixed `--port` (127.0.0.1 only), relays each connection to the mock broker, and has the
broker advertise the fixed port: clients only ever see `127.0.0.1:PORT`, so the dlt config stays the same across
restarts. Messages live in this process's memory: a restart starts with no topics.

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

from confluent_kafka import Consumer, Message, Producer, TopicPartition

from demo.kafka_mock import MockCluster, MockClusterError

log = logging.getLogger("kafka_broker")
_CHUNK_BYTES = 256 * 1024
_TIMEOUT_SECONDS = 10.0


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


def add_partitions(cluster: MockCluster, topic: str, partitions: int) -> int:
    """Grow `topic` to `partitions`, as Kafka's CreatePartitions does (which the mock lacks): the topic is made again
    with its existing partitions' messages put back in order, so each keeps its offset, key, time and headers."""
    address = cluster.listening_address
    consumer = Consumer({"bootstrap.servers": address, "group.id": "kafka-broker-copy", "enable.auto.commit": False})
    try:
        existing = consumer.list_topics(topic, timeout=_TIMEOUT_SECONDS).topics[topic]
        if existing.error is not None:
            raise MockClusterError(f"topic {topic}: {existing.error.str()}")
        if partitions <= len(existing.partitions):
            raise ValueError(f"topic {topic} already has {len(existing.partitions)} partitions")
        kept = {partition: _read_all(consumer, topic, partition) for partition in existing.partitions}
    finally:
        consumer.close()
    cluster.delete_topic(topic)
    cluster.create_topic(topic, partitions)
    producer = Producer({"bootstrap.servers": address, "enable.idempotence": True, "linger.ms": 5})
    for partition, messages in kept.items():
        for message in messages:
            producer.produce(
                topic,
                message.value(),
                message.key(),
                partition=partition,
                timestamp=message.timestamp()[1],
                headers=message.headers(),
            )
    if producer.flush(_TIMEOUT_SECONDS):
        raise RuntimeError(f"topic {topic}: could not put every message back")
    return sum(len(messages) for messages in kept.values())


def _read_all(consumer: Consumer, topic: str, partition: int) -> list[Message]:
    low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=_TIMEOUT_SECONDS)
    if low:
        raise MockClusterError(f"topic {topic} partition {partition} starts at offset {low}, not 0")
    consumer.assign([TopicPartition(topic, partition, 0)])
    messages: list[Message] = []
    while len(messages) < high:
        batch = consumer.consume(min(10_000, high - len(messages)), timeout=_TIMEOUT_SECONDS)
        if not batch:
            raise RuntimeError(f"topic {topic} partition {partition}: read {len(messages)} of {high} messages")
        messages += [message for message in batch if message.error() is None]
    return messages


def serve(port: int, control: Path, topics: list[str]) -> None:
    cluster = MockCluster()
    for topic in topics:
        name, partitions = topic.rsplit(":", 1)
        cluster.create_topic(name, int(partitions))
    cluster.advertise("127.0.0.1", port)
    relay = _Relay(port, cluster.listening_address)
    control_server = _Control(control, cluster)
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    for server in (relay, control_server):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("Kafka mock broker on 127.0.0.1:%d (mock listener %s)", port, cluster.listening_address)
    stop.wait()
    relay.shutdown()
    control_server.shutdown()
    control.unlink(missing_ok=True)
    cluster.close()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    parser = argparse.ArgumentParser(prog="python -m demo.kafka_broker", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="the fixed 127.0.0.1 port clients connect to")
    parser.add_argument("--control", type=Path, required=True, help="Unix socket for topic requests")
    parser.add_argument(
        "--topic", action="append", default=[], metavar="NAME:PARTITIONS", help="a topic to create at the start"
    )
    args = parser.parse_args(argv)
    serve(args.port, args.control, args.topic)
    return 0


if __name__ == "__main__":
    sys.exit(main())
