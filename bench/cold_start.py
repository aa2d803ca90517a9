#!/usr/bin/env python3
"""Cold start: from starting the function to its first S3 request.

A listening socket on loopback stands in for S3: the time until the JVM connects to it is the time the function
spends before it can do any work (JVM start, class loading, settings, building the S3 client). The connection is
then closed, so the run ends with a failed request; only the time to connect is measured.

Two entries:
  --entry jar     `java -jar target/s3-sweeper.jar` (the default): from starting the process.
  --entry lambda  the function as Lambda's Java runtime starts it, as the runtime tests do (testing/RuntimeEmulator):
                  the Runtime Interface Emulator (aws-lambda-rie) runs `java -cp JAR:<runtime interface client>
                  com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>`, and the bench invokes it
                  once as soon as it listens. Two times: from starting the emulator, and from sending the invoke.
                  The emulator is $AWS_LAMBDA_RIE, else aws-lambda-rie on the PATH or in ~/go/bin. The runtime
                  interface client and the serializer (which Lambda's runtime brings) come from Maven's local
                  repository: ./mvnw dependency:build-classpath, run once, writes their class path to
                  target/lambda-runtime.classpath.

Usage: python3 bench/cold_start.py [--entry jar|lambda] [--runs N] [--java-tool-options "..."] [--jar PATH]
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

HANDLER = "io.github.s3sweeper.lambda.SweepHandler::handleRequest"
RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fake_s3():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(60)
    return listener


def function_env(port, tool_options):
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
    for name in ("HOME", "JAVA_HOME", "TMPDIR", "LANG"):
        if name in os.environ:
            env[name] = os.environ[name]
    if tool_options:
        env["JAVA_TOOL_OPTIONS"] = tool_options
    return env


def stop(process):
    # The emulator starts the JVM as its child: the whole group goes.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def run_jar(jar, tool_options):
    """Seconds from starting `java -jar` to the first S3 connection."""
    listener = fake_s3()
    env = function_env(listener.getsockname()[1], tool_options)
    start = time.monotonic()
    process = subprocess.Popen(["java", "-jar", jar], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        connection, _ = listener.accept()
        elapsed = time.monotonic() - start
        connection.close()
    finally:
        listener.close()
        stop(process)
    return (elapsed,)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def invoke_when_listening(port, deadline, sent):
    """Connects until the emulator listens, then posts one invocation; its answer is not waited for."""
    url = f"http://127.0.0.1:{port}/2015-03-31/functions/function/invocations"
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.005)
    sent.append(time.monotonic())
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=b"{}", method="POST"), timeout=60).read()
    except OSError:
        pass  # the run is stopped once it connects to S3


def run_lambda(jar, classpath, rie, tool_options):
    """Seconds to the first S3 connection: from starting the emulator, and from sending the invoke."""
    listener = fake_s3()
    env = function_env(listener.getsockname()[1], tool_options)
    invoke_port, api_port = free_port(), free_port()
    command = [rie, "--runtime-interface-emulator-address", f"127.0.0.1:{invoke_port}",
               "--runtime-api-address", f"127.0.0.1:{api_port}",
               shutil.which("java") or "java", "-cp", os.path.abspath(jar) + os.pathsep + classpath, RUNTIME_MAIN,
               HANDLER]
    sent = []
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    invoker = threading.Thread(target=invoke_when_listening, args=(invoke_port, start + 30, sent), daemon=True)
    invoker.start()
    try:
        connection, _ = listener.accept()
        connected = time.monotonic()
        connection.close()
    finally:
        listener.close()
        stop(process)
    return connected - start, connected - sent[0]


def find_rie():
    candidates = [os.environ.get("AWS_LAMBDA_RIE"), shutil.which("aws-lambda-rie"),
                  os.path.join(os.environ.get("GOPATH") or os.path.expanduser("~/go"), "bin", "aws-lambda-rie")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("aws-lambda-rie not found (set AWS_LAMBDA_RIE); .ci/run installs the tested version: GOBIN=/tmp/tools/bin"
             " go install github.com/aws/aws-lambda-runtime-interface-emulator/cmd/"
             "aws-lambda-rie@v0.0.0-20261030222936-bef5c4ba774d")


def runtime_classpath():
    """The runtime interface client and the serializer, as pom.xml pins them (test scope)."""
    path = os.path.join(ROOT, "target", "lambda-runtime.classpath")
    if not os.path.exists(path):
        subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-B", "dependency:build-classpath",
                        "-Dmdep.includeScope=test", f"-Dmdep.outputFile={path}",
                        "-DincludeArtifactIds=aws-lambda-java-runtime-interface-client,aws-lambda-java-serialization"],
                       cwd=ROOT, check=True)
    with open(path) as f:
        return f.read().strip()


def summary(times):
    ms = [t * 1000 for t in times]
    return f"median {statistics.median(ms):.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entry", choices=["jar", "lambda"], default="jar")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--java-tool-options", default="")
    parser.add_argument("--jar", default=os.path.join(ROOT, "target", "s3-sweeper.jar"))
    args = parser.parse_args()
    if not os.path.exists(args.jar):
        sys.exit(f"{args.jar} is missing: build it with ./mvnw -q package -DskipTests -DskipITs")
    if args.entry == "jar":
        once = lambda: run_jar(args.jar, args.java_tool_options)
    else:
        rie, classpath = find_rie(), runtime_classpath()
        once = lambda: run_lambda(args.jar, classpath, rie, args.java_tool_options)
    once()  # warms the OS file cache, as a Lambda image is warm on disk
    runs = [once() for _ in range(args.runs)]
    label = args.java_tool_options or "(no JAVA_TOOL_OPTIONS)"
    if args.entry == "jar":
        print(f"jar, {label}: {summary([r[0] for r in runs])} over {args.runs} runs")
    else:
        print(f"lambda, {label}: from starting the emulator {summary([r[0] for r in runs])}; from the invoke "
              f"{summary([r[1] for r in runs])}; over {args.runs} runs")


if __name__ == "__main__":
    main()
