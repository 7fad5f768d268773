"""Reference: the server's raw GetRecords read rate (`python -m bench.kinesis_read STREAM`).

Reads every shard from TRIM_HORIZON to the stream's tip with plain boto3 calls through the loader's client, up to
10,000 records a call (the loader's batch limit), and stops where the loader's reader stops on an open shard: at
MillisBehindLatest 0, after an empty batch or one shorter than asked for (the next would be empty); prints the
records read. No decoding, no warehouse, and one shard after another: the loader reads up to `read_threads` shards
at once, which pays off when the server has spare capacity (a parallel reference would be faster too).
"""

from __future__ import annotations

import sys

from load.kinesis.client import kinesis_client, stream_config

LIMIT = 10_000


def read_all(stream_name: str) -> int:
    client = kinesis_client(stream_config().credentials)
    records = 0
    for shard in client.list_shards(StreamName=stream_name)["Shards"]:
        iterator = client.get_shard_iterator(
            StreamName=stream_name, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            response = client.get_records(ShardIterator=iterator, Limit=LIMIT)
            records += len(response["Records"])
            if response.get("MillisBehindLatest", 0) == 0 and len(response["Records"]) < LIMIT:
                break
            iterator = response.get("NextShardIterator")
    return records


if __name__ == "__main__":
    print(read_all(sys.argv[1]))
