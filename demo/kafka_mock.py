"""librdkafka's mock Kafka cluster, from the copy of librdkafka inside the `confluent-kafka` wheel, through ctypes.

The mock cluster is a real broker on a loopback TCP port (produce, fetch, consumer groups, offset commits,
watermarks); it keeps messages in memory only. Its C API is experimental (not covered by librdkafka's ABI promise):
`confluent-kafka` is pinned in pyproject.toml. It supports no admin requests (CreateTopics, CreatePartitions), so
topics are made through `create_topic` here, and it always listens on a port the kernel picks: see demo/kafka_broker.py
for the fixed port.
"""

from __future__ import annotations

import ctypes
from functools import cache
from pathlib import Path

import confluent_kafka

_RD_KAFKA_PRODUCER = 0
_ERROR_BUFFER_BYTES = 512


@cache
def _library() -> ctypes.CDLL:
    libs = Path(confluent_kafka.__file__).resolve().parent.parent / "confluent_kafka.libs"
    found = sorted(libs.glob("librdkafka*.so*"))
    if not found:
        raise RuntimeError(f"no librdkafka in {libs}: is confluent-kafka installed from its manylinux wheel?")
    lib = ctypes.CDLL(str(found[0]))
    pointer, text, number = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    signatures = {
        "rd_kafka_conf_new": (pointer, []),
        "rd_kafka_conf_set": (number, [pointer, text, text, text, ctypes.c_size_t]),
        "rd_kafka_new": (pointer, [number, pointer, text, ctypes.c_size_t]),
        "rd_kafka_destroy": (None, [pointer]),
        "rd_kafka_mock_cluster_new": (pointer, [pointer, number]),
        "rd_kafka_mock_cluster_destroy": (None, [pointer]),
        "rd_kafka_mock_cluster_bootstraps": (text, [pointer]),
        "rd_kafka_mock_topic_create": (number, [pointer, text, number, number]),
        "rd_kafka_mock_topic_delete": (number, [pointer, text]),
        "rd_kafka_mock_broker_set_host_port": (None, [pointer, ctypes.c_int32, text, number]),
        "rd_kafka_mock_group_initial_rebalance_delay_ms": (None, [pointer, ctypes.c_int32]),
        "rd_kafka_err2str": (text, [number]),
    }
    for name, (result, arguments) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = result, arguments
    return lib


class MockClusterError(RuntimeError):
    pass


class MockCluster:
    """A one-broker mock cluster living in this process (it needs an rd_kafka_t handle of its own)."""

    BROKER_ID = 1

    def __init__(self) -> None:
        lib = _library()
        error = ctypes.create_string_buffer(_ERROR_BUFFER_BYTES)
        config = lib.rd_kafka_conf_new()
        # The handle only hosts the cluster: without this, it logs a notice that it has no bootstrap servers.
        lib.rd_kafka_conf_set(config, b"log_level", b"4", error, _ERROR_BUFFER_BYTES)
        self._handle = lib.rd_kafka_new(_RD_KAFKA_PRODUCER, config, error, _ERROR_BUFFER_BYTES)
        if not self._handle:
            raise MockClusterError(f"rd_kafka_new failed: {error.value.decode()}")
        self._cluster = lib.rd_kafka_mock_cluster_new(self._handle, 1)
        if not self._cluster:
            lib.rd_kafka_destroy(self._handle)
            raise MockClusterError("rd_kafka_mock_cluster_new failed")
        # Consumer groups form at once instead of after the default 3 s wait.
        lib.rd_kafka_mock_group_initial_rebalance_delay_ms(self._cluster, 0)

    @property
    def listening_address(self) -> str:
        """host:port the broker listens on (a port the kernel picked)."""
        return _library().rd_kafka_mock_cluster_bootstraps(self._cluster).decode()

    def advertise(self, host: str, port: int) -> None:
        """The address the broker tells clients to connect to (in metadata responses)."""
        _library().rd_kafka_mock_broker_set_host_port(self._cluster, self.BROKER_ID, host.encode(), port)

    def create_topic(self, topic: str, partitions: int) -> None:
        self._check(_library().rd_kafka_mock_topic_create(self._cluster, topic.encode(), partitions, 1), topic)

    def delete_topic(self, topic: str) -> None:
        self._check(_library().rd_kafka_mock_topic_delete(self._cluster, topic.encode()), topic)

    def close(self) -> None:
        lib = _library()
        lib.rd_kafka_mock_cluster_destroy(self._cluster)
        lib.rd_kafka_destroy(self._handle)

    @staticmethod
    def _check(code: int, topic: str) -> None:
        if code:
            raise MockClusterError(f"topic {topic}: {_library().rd_kafka_err2str(code).decode()}")
