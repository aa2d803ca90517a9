#!/usr/bin/env python3
"""The cold-start cost of writing a run's metrics record: Powertools' metrics module against the function's own.

Each run is a fresh JVM with the template's JAVA_TOOL_OPTIONS that writes one Embedded Metric Format record and
nothing else; the script reports the median time of that record (measured inside the JVM) and the median wall and
CPU time of the whole JVM. Needs target/s3-sweeper.jar (./mvnw -q package -DskipTests).

Usage: python3 bench/metrics_cost.py [--runs N]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROJECT = os.path.join(HERE, "metrics-cost")
OPTIONS = ["-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"]


def build():
    mvnw = os.path.join(ROOT, "mvnw")
    subprocess.run([mvnw, "-q", "-B", "-f", os.path.join(PROJECT, "pom.xml"), "compile",
                    "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt"], check=True)
    with open(os.path.join(PROJECT, "target", "classpath.txt")) as f:
        libraries = f.read().strip()
    return os.pathsep.join([os.path.join(PROJECT, "target", "classes"), libraries,
                            os.path.join(ROOT, "target", "s3-sweeper.jar")])


def one_run(classpath, mode):
    env = dict(os.environ, AWS_LAMBDA_FUNCTION_NAME="metrics-cost")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(["java", *OPTIONS, "-cp", classpath, "MetricsCost", mode], env=env, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if '"_aws"' not in done.stdout:
        sys.exit(f"{mode}: no metrics record written:\n{done.stdout}{done.stderr}")
    return float(done.stderr.strip().splitlines()[-1]), wall * 1000, cpu * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "s3-sweeper.jar")):
        sys.exit("target/s3-sweeper.jar is missing: ./mvnw -q package -DskipTests")
    classpath = build()
    print(f"| metrics record | record (ms) | JVM wall (ms) | JVM CPU (ms) |  ({args.runs} runs each, medians)")
    print("|---|---|---|---|")
    for mode in ("project", "powertools"):
        one_run(classpath, mode)  # warms the OS file cache
        runs = [one_run(classpath, mode) for _ in range(args.runs)]
        record, wall, cpu = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"| {mode} | {record:.1f} | {wall:.0f} | {cpu:.0f} |")


if __name__ == "__main__":
    main()
