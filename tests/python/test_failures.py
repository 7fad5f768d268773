"""Errors buried in dlt's exception chains become one actionable line (pure unit tests)."""

from __future__ import annotations

import errno

import pytest
from botocore.exceptions import ClientError

from load.failures import as_config_error


def _wrapped(error: Exception) -> Exception:
    try:
        try:
            raise error
        except Exception as inner:
            raise RuntimeError("Pipeline execution failed at step=extract") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ResourceNotFoundException", "Unable to find record with provided SequenceNumber"),  # kinesis-local
        (  # AWS
            "InvalidArgumentException",
            "StartingSequenceNumber 49590338271490256608559692538361571095921575989136588898 used in "
            "GetShardIterator on shard shardId-000000000000 in stream email-events under account 123456789012 is "
            "invalid because it did not come from this stream.",
        ),
    ],
)
def test_a_lost_kinesis_position_names_the_fix(code: str, message: str) -> None:
    lost = ClientError({"Error": {"Code": code, "Message": message}}, "GetShardIterator")
    error = as_config_error(_wrapped(lost))
    assert error is not None and "python -m load reset kinesis" in str(error)


def test_other_failures_keep_their_traceback() -> None:
    missing_stream = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "Stream x"}}, "ListShards")
    assert as_config_error(_wrapped(missing_stream)) is None
    assert as_config_error(_wrapped(ValueError("boom"))) is None


def test_a_lost_mysql_connection_names_the_server_and_the_fix() -> None:
    import pymysql

    lost = pymysql.err.OperationalError(2013, "Lost connection to server during query")
    error = as_config_error(_wrapped(lost), "the mysql source mysql://db.example:3306/shop")
    assert error is not None
    assert "lost the connection to the mysql source mysql://db.example:3306/shop" in str(error)
    panic = RuntimeError("cx writer failed: Source(MySQLError(CodecError { IO error: `broken pipe' }))")
    assert as_config_error(_wrapped(panic)) is not None
    killed_mid_copy = RuntimeError("IoError { server disconnected }")  # the server killed during a whole copy
    assert as_config_error(_wrapped(killed_mid_copy)) is not None


def test_a_full_disk_is_one_line() -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    error = as_config_error(_wrapped(full))
    assert error is not None and "free disk space" in str(error)


def test_unknown_errors_mentioning_connections_keep_their_traceback() -> None:
    assert as_config_error(_wrapped(ValueError("connection refused by policy"))) is None
    assert as_config_error(_wrapped(KeyError("lost connection"))) is None


def test_a_kinesis_endpoint_lost_mid_load_is_one_line() -> None:
    from botocore.exceptions import EndpointConnectionError

    lost = EndpointConnectionError(endpoint_url="http://127.0.0.1:4567/")
    error = as_config_error(_wrapped(lost), "the kinesis source http://127.0.0.1:4567/email-events")
    assert error is not None and "lost the connection to the kinesis source" in str(error)
