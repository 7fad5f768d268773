"""A local S3-compatible server for the lake's tests: moto's server mode on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from load.retry import wait_until

BUCKET = "commerce-lake"
# moto accepts any keys; these stand for the IAM user's keys that production reads from dlt's secrets.
ACCESS_KEY = "lake-test-key-id"
SECRET_KEY = "lake-test-secret-never-logged"
REGION = "us-east-1"


@dataclass(frozen=True)
class LocalS3:
    endpoint_url: str

    def lake_settings(self, prefix: str) -> dict[str, str]:
        """The loader's environment for a lake under `prefix` of the test bucket: URL and dlt secrets."""
        return {
            "LAKE_URL": f"s3://{BUCKET}/{prefix}",
            "LAKE__CREDENTIALS__AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "LAKE__CREDENTIALS__AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "LAKE__CREDENTIALS__ENDPOINT_URL": self.endpoint_url,
            "LAKE__CREDENTIALS__REGION_NAME": REGION,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def local_s3(port: int | None = None) -> Iterator[LocalS3]:
    """moto's S3 server on `port` (S3_TEST_PORT, else a free one) with the test bucket; stopped afterwards."""
    port = port or int(os.environ.get("S3_TEST_PORT") or free_port())
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: _accepts(port), 30, 0.1), "moto_server did not start"
        import boto3

        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )
        client.create_bucket(Bucket=BUCKET)
        yield LocalS3(endpoint)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _accepts(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
