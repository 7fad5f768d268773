"""The Kafka cluster and topics named in dlt config (`[sources.kafka]`), and the librdkafka settings they make.

[sources.kafka]                       # .dlt/config.toml (or SOURCES__KAFKA__BOOTSTRAP_SERVERS, ...)
bootstrap_servers = "broker-1:9092,broker-2:9092"
topics = ["shop-transactions"]

[sources.kafka.credentials]           # .dlt/secrets.toml (or SOURCES__KAFKA__CREDENTIALS__SASL_PASSWORD, ...)
security_protocol = "SASL_SSL"
sasl_mechanisms = "PLAIN"             # SCRAM-SHA-512 on MSK, PLAIN on Confluent Cloud
sasl_username = "API key"
sasl_password = "API secret"
ssl_ca_location = "/path/ca.pem"      # only for a private CA
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import dlt
from confluent_kafka import Consumer, KafkaException
from dlt.common.configuration import configspec, with_config
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.common.configuration.specs import CredentialsConfiguration
from dlt.common.typing import TSecretStrValue

from load.errors import LoadConfigError

DEFAULT_TOPICS = ("shop-transactions",)
# Needed by librdkafka even for a consumer that only assigns partitions; the loader commits no group offsets.
CONSUMER_GROUP = "commerce-dw-loader"


@configspec
class KafkaCredentials(CredentialsConfiguration):
    """How the loader authenticates; every field is optional (a local broker needs none)."""

    security_protocol: str = "PLAINTEXT"
    sasl_mechanisms: str | None = None
    sasl_username: str | None = None
    sasl_password: TSecretStrValue | None = None
    ssl_ca_location: str | None = None

    def client_settings(self) -> dict[str, str]:
        settings = {"security.protocol": self.security_protocol}
        for key, value in (
            ("sasl.mechanisms", self.sasl_mechanisms),
            ("sasl.username", self.sasl_username),
            ("sasl.password", self.sasl_password),
            ("ssl.ca.location", self.ssl_ca_location),
        ):
            if value:
                settings[key] = str(value)
        return settings


@dataclass(frozen=True)
class KafkaConfig:
    bootstrap_servers: str
    topics: tuple[str, ...]
    credentials: KafkaCredentials
    # How long a metadata or watermark request may take before the broker counts as unreachable.
    timeout_seconds: float = 10.0

    def identity(self) -> str:
        """The first broker and the topics: what the loaded data belongs to. Never a secret."""
        return f"{self.bootstrap_servers.split(',')[0]}/{','.join(sorted(self.topics))}"

    def consumer_settings(self) -> dict[str, Any]:
        return {
            "bootstrap.servers": self.bootstrap_servers,
            "group.id": CONSUMER_GROUP,
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            # An offset outside the log is an error the loader reports, never a silent jump.
            "auto.offset.reset": "error",
            "socket.connection.setup.timeout.ms": 5000,
            **self.credentials.client_settings(),
        }

    def consumer(self) -> Consumer:
        """A consumer with these settings; settings librdkafka refuses (a misspelt protocol, a CA file that is not
        there) are one line naming them, with any password left out."""
        try:
            return Consumer(self.consumer_settings())
        except KafkaException as error:
            reason = error.args[0].str() if error.args else str(error)
            password = self.credentials.sasl_password
            if password:
                reason = reason.replace(str(password), "***")
            raise LoadConfigError(
                f"the Kafka client refuses its settings ({reason.splitlines()[0]}): fix [sources.kafka] and "
                "[sources.kafka.credentials] in .dlt/ (or their SOURCES__KAFKA__* environment variables)"
            ) from None


def topic_list(topics: Any) -> tuple[str, ...]:
    """`topics` as given in config: a TOML list, or a JSON list or comma-separated names (an environment variable)."""
    if isinstance(topics, str) and topics.lstrip().startswith("["):
        try:
            names = json.loads(topics)
        except json.JSONDecodeError:
            raise LoadConfigError(
                f"sources.kafka.topics {topics!r} is not a JSON list: quote the names ('[\"shop-transactions\"]') "
                "or give them comma-separated"
            ) from None
    elif isinstance(topics, str):
        names = topics.split(",")
    else:
        names = list(topics)
    cleaned = tuple(str(name).strip() for name in names if str(name).strip())
    if not cleaned:
        raise LoadConfigError("sources.kafka.topics is empty: name at least one topic")
    return cleaned


def make_config(
    bootstrap_servers: str, topics: Any, credentials: KafkaCredentials | None, timeout_seconds: float
) -> KafkaConfig:
    """The config from the values dlt resolved; `topics` None: the default topic."""
    if isinstance(timeout_seconds, bool) or not isinstance(timeout_seconds, int | float) or timeout_seconds <= 0:
        raise LoadConfigError(f"sources.kafka.timeout_seconds must be a positive number, not {timeout_seconds!r}")
    return KafkaConfig(
        bootstrap_servers=bootstrap_servers,
        topics=topic_list(DEFAULT_TOPICS if topics is None else topics),
        credentials=credentials or KafkaCredentials(),
        timeout_seconds=float(timeout_seconds),
    )


@with_config(sections=("sources", "kafka"))
def _resolve(
    bootstrap_servers: str = dlt.config.value,
    topics: Any = None,
    credentials: KafkaCredentials | None = None,
    timeout_seconds: float = 10.0,
) -> KafkaConfig:
    return make_config(bootstrap_servers, topics, credentials, timeout_seconds)


def kafka_config() -> KafkaConfig:
    """The cluster, topics and credentials the `kafka` source reads, resolved the dlt way (toml or environment)."""
    try:
        return _resolve()
    except ConfigFieldMissingException as error:
        raise LoadConfigError(
            f"missing Kafka config ({', '.join(error.fields)}): set [sources.kafka] bootstrap_servers in .dlt/ or "
            "SOURCES__KAFKA__BOOTSTRAP_SERVERS"
        ) from None
