#!/usr/bin/env python3
"""Cold start of the local entry point: from starting `java -jar target/s3-sweeper.jar` to its first S3 request.

A listening socket on loopback stands in for S3: the time until the JVM connects to it is the time the function
spends before it can do any work (JVM start, class loading, settings, building the S3 client). The connection is
then closed, so the run ends with a failed request; only the time to connect is measured.

Usage: python3 bench/cold_start.py [--runs N] [--java-tool-options "..."] [--jar PATH]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time


def one_run(jar, tool_options):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(30)
    port = listener.getsockname()[1]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "BUCKET_NAME": "cold-start-bench",
        "PREFIX": "logs/",
        "RETENTION_DAYS": "30",
        "DRY_RUN": "true",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": f"http://127.0.0.1:{port}",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_LAMBDA_LOG_LEVEL": "ERROR",
    }
    if tool_options:
        env["JAVA_TOOL_OPTIONS"] = tool_options
    start = time.monotonic()
    process = subprocess.Popen(["java", "-jar", jar], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        connection, _ = listener.accept()
        elapsed = time.monotonic() - start
        connection.close()
    finally:
        listener.close()
        process.kill()
        process.wait()
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--java-tool-options", default="")
    parser.add_argument("--jar", default="target/s3-sweeper.jar")
    args = parser.parse_args()
    if not os.path.exists(args.jar):
        sys.exit(f"{args.jar} is missing: build it with ./mvnw -q package -DskipTests -DskipITs")
    one_run(args.jar, args.java_tool_options)  # warms the OS file cache, as a Lambda image is warm on disk
    times = [one_run(args.jar, args.java_tool_options) for _ in range(args.runs)]
    label = args.java_tool_options or "(no JAVA_TOOL_OPTIONS)"
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
