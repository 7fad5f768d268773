"""The Kinesis streams named in dlt config (`sources.kinesis`), and a boto3 client for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

import boto3
import botocore.session
import dlt
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.utils import parse_timestamp
from dlt.common.configuration import with_config
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.common.configuration.specs import AwsCredentials

from load.errors import LoadConfigError

# botocore retries throttling a few times itself; the reader's own backoff covers longer episodes.
_CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=5, read_timeout=60)
THROTTLING_ERRORS = frozenset({"ProvisionedThroughputExceededException", "LimitExceededException"})


def error_code(error: ClientError) -> str | None:
    return error.response.get("Error", {}).get("Code")


def is_throttled(error: BaseException) -> bool:
    """A call refused for the stream's throughput: worth retrying after a pause."""
    return isinstance(error, ClientError) and error_code(error) in THROTTLING_ERRORS


@dataclass(frozen=True)
class StreamConfig:
    stream_name: str
    credentials: AwsCredentials
    # The kind of records on the stream (load/kinesis/tables.py RECORD_KINDS): how they are validated, where they go.
    records: str = "email"

    def identity(self) -> str:
        """Endpoint (or region) and stream: what the loaded data belongs to. Never a key."""
        where = self.credentials.endpoint_url or f"kinesis.{self.credentials.region_name}"
        return f"{where}/{self.stream_name}"


@with_config(sections=("sources", "kinesis"))
def _resolve(
    stream_name: str = dlt.config.value,
    credentials: AwsCredentials = dlt.secrets.value,
    streams: dict[str, str] | None = None,
) -> list[StreamConfig]:
    return [StreamConfig(stream_name, credentials), *_other_streams(streams or {}, credentials)]


def _other_streams(streams: dict[str, str], credentials: AwsCredentials) -> list[StreamConfig]:
    """`[sources.kinesis.streams]`: record kind = stream name, for the streams besides the email stream."""
    if not isinstance(streams, dict) or not all(isinstance(name, str) and name for name in streams.values()):
        raise LoadConfigError(
            f'sources.kinesis.streams must map record kinds to stream names, e.g. {{clickstream = "clickstream"}}, '
            f"not {streams!r}"
        )
    if "email" in streams:
        raise LoadConfigError(
            "sources.kinesis.streams: the email stream is sources.kinesis.stream_name (SOURCES__KINESIS__STREAM_NAME)"
        )
    return [StreamConfig(name, credentials, records=kind) for kind, name in streams.items()]


def stream_configs() -> list[StreamConfig]:
    """Every stream the `kinesis` source reads, the email stream first, resolved the dlt way (toml or environment)."""
    try:
        return _resolve()
    except ConfigFieldMissingException as error:
        fields = ", ".join(error.fields)
        raise LoadConfigError(
            f"missing Kinesis config ({fields}): set sources.kinesis.* in .dlt/ or SOURCES__KINESIS__* variables"
        ) from None


def stream_config(records: str = "email") -> StreamConfig:
    """The stream of `records` and its credentials; a kind without a configured stream is a config error."""
    for config in stream_configs():
        if config.records == records:
            return config
    raise LoadConfigError(
        f'no Kinesis stream for {records} records: set [sources.kinesis.streams] {records} = "<stream>" '
        f'(or SOURCES__KINESIS__STREAMS=\'{{"{records}": "<stream>"}}\')'
    )


def utc_timestamp(value: Any) -> datetime:
    """Kinesis sends times as epoch seconds: read them as UTC. botocore's default parser builds a local-time
    zone object per value, about a second of CPU per 50k records (each record has an arrival time)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return parse_timestamp(value).astimezone(UTC)


@cache
def _session() -> boto3.Session:
    """One session for the process (it caches the service model), apart from boto3's default one."""
    session = botocore.session.get_session()
    session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=utc_timestamp)
    return boto3.Session(botocore_session=session)


def kinesis_client(credentials: AwsCredentials, connections: int = 10) -> Any:
    """A client for up to `connections` calls at once (one per reading thread), with times in UTC."""
    return _session().client(
        "kinesis",
        region_name=credentials.region_name,
        endpoint_url=credentials.endpoint_url,
        config=_CLIENT_CONFIG.merge(Config(max_pool_connections=max(1, connections))),
        **credentials.to_session_credentials(),
    )


def check_stream(client: Any, config: StreamConfig) -> None:
    """Fail early, in one line, when the endpoint is unreachable or the stream does not exist."""
    where = config.credentials.endpoint_url or f"region {config.credentials.region_name}"
    try:
        client.describe_stream_summary(StreamName=config.stream_name)
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code")
        if code == "ResourceNotFoundException":
            setting = (
                "SOURCES__KINESIS__STREAM_NAME ([sources.kinesis] stream_name)"
                if config.records == "email"
                else f"[sources.kinesis.streams] {config.records} (SOURCES__KINESIS__STREAMS)"
            )
            message = (
                f"Kinesis stream '{config.stream_name}' does not exist on {where}: fix {setting} "
                "or the endpoint, SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL"
            )
        else:
            message = f"Kinesis stream {config.identity()}: {code}: {details.get('Message', '')}".rstrip(": ")
        raise LoadConfigError(message) from None
    except BotoCoreError as error:
        raise LoadConfigError(
            f"cannot reach Kinesis at {where} ({error}): is the server up (local: make services-up)? "
            "Or fix SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL"
        ) from None
