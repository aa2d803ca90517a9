#!/usr/bin/env python3
"""CPU seconds of s3-sweeper's own process per million objects, against an S3 stand-in that costs almost nothing.

Starts bench/ProfileS3 (test scope, its own JVM) with the objects, runs the jar as deployed (the template's
JAVA_TOOL_OPTIONS and the heap of a 512 MB function) as a dry run or a sweep, and takes the process's user + system
CPU from wait4, so the server's CPU is never counted. Every sweep starts from a freshly filled server and is checked
afterwards: exactly the expired half gone.

Usage: python3 bench/cpu.py [--objects N] [--sub-prefixes N] [--runs N] [--mode dry|sweep|both]
                            [--round-trip-ms MS --list-service-ms MS] [--jvm="..."] [--jfr DIR] [--jar PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "s3-sweeper.jar")
TEMPLATE_JVM = "-XX:MaxRAM=512m -XX:+TieredCompilation -XX:TieredStopAtLevel=1"


class Server:
    def __init__(self, objects, sub_prefixes, round_trip_ms, list_service_ms):
        classpath = os.path.join(ROOT, "target", "test-classes")
        self.process = subprocess.Popen(
            ["java", "-Xmx2g", "-XX:+UseParallelGC", "-cp", classpath, "io.github.s3sweeper.bench.ProfileS3",
             str(objects), str(sub_prefixes), str(round_trip_ms), str(list_service_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        hello = json.loads(self.process.stdout.readline())
        self.endpoint = hello["endpoint"]
        self.bucket = hello["bucket"]

    def close(self):
        self.process.stdin.close()
        stats = json.loads(self.process.stdout.readline())
        self.process.wait(timeout=30)
        return stats


def run(server, dry_run, jvm, jfr, verbose=False, jar=JAR):
    env = dict(os.environ)
    env.pop("JAVA_TOOL_OPTIONS", None)
    env.update(BUCKET_NAME=server.bucket, PREFIX="backups/", RETENTION_DAYS="30", AWS_REGION="us-east-1",
               AWS_ENDPOINT_URL_S3=server.endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
               AWS_EC2_METADATA_DISABLED="true")
    args = ["java"] + jvm.split()
    if jfr:
        args.append(f"-XX:StartFlightRecording=filename={jfr},settings=profile")
    args += ["-jar", jar, "--output", "json"] + (["--dry-run"] if dry_run else [])
    start = time.monotonic()
    with open(os.devnull, "w") as devnull:
        out = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=devnull, text=True)
        stdout = out.stdout.read()
        _, status, usage = os.wait4(out.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the sweeper exited {os.waitstatus_to_exitcode(status)}")
    # The summary is the last line: a recording's start-up message comes before it.
    # JVM diagnostics (a recording's start, -XX:+CITime) print to stdout beside the summary, which comes last.
    lines = stdout.splitlines()
    at = max(i for i, line in enumerate(lines) if line.startswith('{"'))
    summary = json.loads(lines[at])
    if verbose:
        print("\n".join(lines[:at] + lines[at + 1:]))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime, "sys": usage.ru_stime,
            "rss_mib": usage.ru_maxrss / 1024, "scanned": summary["scanned"], "deleted": summary["deleted"],
            "expired": summary["expired"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--objects", type=int, default=1_000_000)
    parser.add_argument("--sub-prefixes", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=["dry", "sweep", "both"], default="both")
    parser.add_argument("--round-trip-ms", type=int, default=0)
    parser.add_argument("--list-service-ms", type=int, default=0)
    parser.add_argument("--jvm", default=TEMPLATE_JVM)
    parser.add_argument("--jfr", help="write one recording per run into this directory")
    parser.add_argument("--jar", default=JAR, help="another build of the sweeper, to compare with (default: this one)")
    parser.add_argument("--verbose", action="store_true", help="print what the JVM wrote to stdout besides the summary")
    args = parser.parse_args()
    if not os.path.exists(JAR) or not os.path.exists(os.path.join(ROOT, "target", "test-classes")):
        sys.exit("build first: ./mvnw -q -B package -DskipTests -DskipITs && ./mvnw -q -B test-compile")
    modes = ["dry", "sweep"] if args.mode == "both" else [args.mode]
    expired = args.objects // 2 + args.objects % 2
    for mode in modes:
        results = []
        for i in range(args.runs):
            server = Server(args.objects, args.sub_prefixes, args.round_trip_ms, args.list_service_ms)
            jfr = os.path.join(args.jfr, f"{mode}-{i}.jfr") if args.jfr else None
            try:
                result = run(server, mode == "dry", args.jvm, jfr, args.verbose, args.jar)
            finally:
                stats = server.close()
            want_left = args.objects + 11 - (0 if mode == "dry" else expired)
            ok = (result["scanned"] == args.objects and result["expired"] == expired
                  and stats["left"] == want_left and result["deleted"] == (0 if mode == "dry" else expired))
            result.update(server_cpu=stats["serverCpuSeconds"], lists=stats["lists"], deletes=stats["deletes"], ok=ok)
            results.append(result)
            print(f"{mode} run {i + 1}: wall {result['wall']:.2f} s, cpu {result['cpu']:.2f} s "
                  f"(user {result['user']:.2f}, sys {result['sys']:.2f}), {result['cpu'] * 1e6 / args.objects:.1f} "
                  f"CPU s per million, rss {result['rss_mib']:.0f} MiB, server cpu {result['server_cpu']:.2f} s, "
                  f"{result['lists']} lists, {result['deletes']} deletes, {'ok' if ok else 'WRONG RESULT'}",
                  flush=True)
            if not ok:
                sys.exit(f"wrong result: {result} {stats}")
        cpu = statistics.median(r["cpu"] for r in results)
        wall = statistics.median(r["wall"] for r in results)
        print(f"{mode}: median {cpu:.2f} CPU s ({cpu * 1e6 / args.objects:.1f} per million), wall {wall:.2f} s; "
              f"load {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
