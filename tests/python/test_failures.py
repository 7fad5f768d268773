"""Errors buried in dlt's exception chains become one actionable line (pure unit tests)."""

from __future__ import annotations

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


def test_a_lost_kinesis_position_names_the_fix() -> None:
    lost = ClientError(
        {
            "Error": {
                "Code": "ResourceNotFoundException",
                "Message": "Unable to find record with provided SequenceNumber",
            }
        },
        "GetShardIterator",
    )
    error = as_config_error(_wrapped(lost))
    assert error is not None and "new WAREHOUSE_PATH" in str(error)


def test_other_failures_keep_their_traceback() -> None:
    missing_stream = ClientError({"Error": {"Code": "ResourceNotFoundException", "Message": "Stream x"}}, "ListShards")
    assert as_config_error(_wrapped(missing_stream)) is None
    assert as_config_error(_wrapped(ValueError("boom"))) is None
