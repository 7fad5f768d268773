"""The Kinesis stream named in dlt config (`sources.kinesis`), and a boto3 client for it."""

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

    def identity(self) -> str:
        """Endpoint (or region) and stream: what the loaded data belongs to. Never a key."""
        where = self.credentials.endpoint_url or f"kinesis.{self.credentials.region_name}"
        return f"{where}/{self.stream_name}"


@with_config(sections=("sources", "kinesis"))
def _resolve(stream_name: str = dlt.config.value, credentials: AwsCredentials = dlt.secrets.value) -> StreamConfig:
    return StreamConfig(stream_name=stream_name, credentials=credentials)


def stream_config() -> StreamConfig:
    """The stream and credentials the `kinesis` source reads, resolved the dlt way (toml or environment)."""
    try:
        return _resolve()
    except ConfigFieldMissingException as error:
        fields = ", ".join(error.fields)
        raise LoadConfigError(
            f"missing Kinesis config ({fields}): set sources.kinesis.* in .dlt/ or SOURCES__KINESIS__* variables"
        ) from None


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
            message = (
                f"Kinesis stream '{config.stream_name}' does not exist on {where}: fix SOURCES__KINESIS__STREAM_NAME "
                "([sources.kinesis] stream_name) or the endpoint, SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL"
            )
        else:
            message = f"Kinesis stream {config.identity()}: {code}: {details.get('Message', '')}".rstrip(": ")
        raise LoadConfigError(message) from None
    except BotoCoreError as error:
        raise LoadConfigError(
            f"cannot reach Kinesis at {where} ({error}): is the server up (local: make services-up)? "
            "Or fix SOURCES__KINESIS__CREDENTIALS__ENDPOINT_URL"
        ) from None
