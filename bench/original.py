"""The original script's algorithm, reimplemented for the benchmark.

It lists the whole prefix into memory with boto3's ListObjectsV2 paginator, picks the objects older than the
threshold, then deletes them in DeleteObjects batches of 1,000, one batch after another, and prints its counts.

Usage: python3 bench/original.py ENDPOINT BUCKET PREFIX DAYS
"""
import json
import sys
from datetime import datetime, timedelta, timezone

import boto3
from botocore.config import Config


def cleanup(client, bucket, prefix, days):
    objects = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        objects.extend(page.get("Contents", []))
    threshold = datetime.now(timezone.utc) - timedelta(days=days)
    to_delete = [{"Key": o["Key"]} for o in objects if o["LastModified"] < threshold]
    deleted = 0
    for start in range(0, len(to_delete), 1000):
        answer = client.delete_objects(Bucket=bucket, Delete={"Objects": to_delete[start:start + 1000]})
        deleted += len(answer.get("Deleted", []))
    return {"scanned": len(objects), "toDelete": len(to_delete), "deleted": deleted,
            "leftToDelete": len(to_delete) - deleted}


def main():
    endpoint, bucket, prefix, days = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                          aws_secret_access_key="bench", config=Config(s3={"addressing_style": "path"}))
    print(json.dumps(cleanup(client, bucket, prefix, days)))


if __name__ == "__main__":
    main()
