"""Throughput benchmark: s3-sweeper against the original algorithm and rclone, in a model of S3 and without it.

One command from the project root:  python3 bench/throughput.py
It builds what it needs (the jar, a virtualenv with boto3, Debian's rclone when missing), starts s3proxy's
filesystem store and the benchmark's own proxy that models S3 as a Lambda function sees it (20 ms round trip,
30 ms per listing page, 3,500 deleted keys/s shared by all deletes in arrival order), runs every tool on the same
objects, checks what each left behind, and prints a table; --write also saves it to bench/results.md and
bench/results.json. See bench/README.md.
"""
import argparse
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "s3-sweeper.jar")
CLASSPATH_FILE = os.path.join(ROOT, "target", "bench-classpath.txt")
VENV = os.path.join(ROOT, "target", "bench-venv")

DAYS = 30
ROUND_TRIP_MS = 20
LIST_SERVICE_MS = 30
DELETE_RATE = 3500.0
# As deployed: the template's default memory (the JVM sizes its heap from it, as inside Lambda's container) and
# the JAVA_TOOL_OPTIONS the template sets.
SWEEPER_JVM = ["-XX:MaxRAM=512m", "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"]
SMALL_HEAP = "32m"


def log(message):
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def sh(args, **kwargs):
    subprocess.run(args, check=True, cwd=ROOT, **kwargs)


# ---------------------------------------------------------------------------------------------------- set-up


def build():
    if not os.path.exists(JAR) or not os.path.exists(os.path.join(ROOT, "target", "test-classes", "io", "github",
                                                                  "s3sweeper", "bench", "BenchServers.class")):
        log("building the jar and the test classes")
        sh(["./mvnw", "-q", "-B", "package", "-DskipTests", "-DskipITs"])
    if not os.path.exists(CLASSPATH_FILE):
        sh(["./mvnw", "-q", "-B", "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH_FILE,
            "-Dmdep.includeScope=test"])


def python_with_boto3():
    try:
        import boto3  # noqa: F401
        return sys.executable
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        log("installing boto3 into target/bench-venv")
        sh([sys.executable, "-m", "venv", VENV])
        sh([python, "-m", "pip", "install", "-q", "boto3"])
    return python


def rclone():
    path = shutil.which("rclone")
    if path:
        return path
    log("installing Debian's rclone")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-q", "rclone"]
    if subprocess.run(install, env=env).returncode != 0:
        sh(sudo + ["apt-get", "update", "-q"], env=env)  # a fresh machine may have no package lists yet
        sh(install, env=env)
    return shutil.which("rclone")


class Servers:
    """s3proxy's filesystem store and the model proxy in front of it, in one JVM (bench/BenchServers)."""

    def __init__(self, storage):
        with open(CLASSPATH_FILE) as f:
            classpath = ":".join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"),
                                  f.read().strip()])
        self.process = subprocess.Popen(
            ["java", "-Xmx4g", "-cp", classpath, "io.github.s3sweeper.bench.BenchServers", storage,
             str(ROUND_TRIP_MS), str(LIST_SERVICE_MS), str(DELETE_RATE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.path.join(storage, "..", "servers.log"), "w"),
            text=True)
        endpoints = json.loads(self.process.stdout.readline())
        self.direct = endpoints["s3"]
        self.model = endpoints["model"]

    def stats(self, reset=False):
        with urllib.request.urlopen(self.model + ("/__model/reset" if reset else "/__model/stats")) as answer:
            return json.loads(answer.read())

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


# ---------------------------------------------------------------------------------------------------- data


class Layout:
    """Objects as files: half of them older than the threshold (even numbers), plus old neighbours outside it."""

    def __init__(self, storage, bucket, prefix, objects, sub_prefixes, body=b"x" * 100):
        self.dir = os.path.join(storage, bucket)
        self.bucket = bucket
        self.prefix = prefix
        self.objects = objects
        self.sub_prefixes = sub_prefixes
        self.body = body
        now = time.time()
        self.old = now - 60 * 86400
        self.young = now - 86400

    def key(self, i):
        if self.sub_prefixes:
            per = math.ceil(self.objects / self.sub_prefixes)
            return f"{self.prefix}d{i // per:04d}/{i:07d}.bak"
        return f"{self.prefix}{i:07d}.bak"

    def outside(self):
        return [f"other/{i:02d}.bak" for i in range(10)] + [self.prefix.rstrip("/") + "-old/x.bak"]

    def expired(self):
        return self.objects // 2 + self.objects % 2

    def fill(self):
        """Writes every missing object with its age; returns how many it wrote."""
        written = 0
        entries = [(self.key(i), self.old if i % 2 == 0 else self.young) for i in range(self.objects)]
        entries += [(key, self.old) for key in self.outside()]
        made = set()
        for key, mtime in entries:
            path = os.path.join(self.dir, key)
            if os.path.exists(path):
                continue
            parent = os.path.dirname(path)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            with open(path, "wb") as f:
                f.write(self.body)
            os.utime(path, (mtime, mtime))
            written += 1
        return written

    def check(self, deleted_expected):
        """True when exactly the expired objects under the prefix are gone (or none, for a dry run)."""
        for i in range(self.objects):
            exists = os.path.exists(os.path.join(self.dir, self.key(i)))
            if exists == (deleted_expected and i % 2 == 0):
                return False
        return all(os.path.exists(os.path.join(self.dir, key)) for key in self.outside())


# ---------------------------------------------------------------------------------------------------- tools


def timed(args, env):
    """Runs a tool; returns seconds, peak RSS in MiB (the process and what it waited for) and its stdout."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.monotonic()
    process = subprocess.Popen(args, env=env, stdout=out, stderr=err, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode()
    if process.returncode not in (0,):
        raise RuntimeError(f"{args[0]} exited {process.returncode}: {err.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout


def aws_env(endpoint):
    # The servers speak plain HTTP on loopback; a machine-wide CA bundle setting only trips rclone's HTTP client.
    env = {name: value for name, value in os.environ.items() if name != "AWS_CA_BUNDLE"}
    env.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1",
               AWS_ENDPOINT_URL_S3=endpoint, AWS_EC2_METADATA_DISABLED="true")
    return env


def run_sweeper(layout, endpoint, dry_run, gc_log=None, heap=None):
    env = aws_env(endpoint)
    env.update(BUCKET_NAME=layout.bucket, PREFIX=layout.prefix, RETENTION_DAYS=str(DAYS))
    logging = [f"-Xlog:gc,gc+heap+exit:file={gc_log}"] if gc_log else []
    limit = [f"-Xmx{heap}"] if heap else []
    args = ["java"] + SWEEPER_JVM + limit + logging + ["-jar", JAR] + (["--dry-run"] if dry_run else [])
    seconds, rss, stdout = timed(args, env)
    summary = json.loads(stdout.strip().splitlines()[-1])
    result = {"deleted": summary["deleted"], "expired": summary["expired"],
              "listRequests": summary["listRequests"], "deleteRequests": summary["deleteRequests"]}
    if gc_log:
        result.update(heap_figures(gc_log))
    return seconds, rss, result


def heap_figures(gc_log):
    """The most heap any collection left in use (the live set, at most), the collections, and the heap's size."""
    with open(gc_log) as f:
        text = f.read()
    after = [int(m) for m in re.findall(r"Pause[^\n]*?\d+M->(\d+)M\(\d+M\)", text)]
    committed = [int(m) for m in re.findall(r"Pause[^\n]*?\d+M->\d+M\((\d+)M\)", text)]
    return {"gcs": len(after), "maxHeapAfterGcMiB": max(after, default=0),
            "maxHeapCommittedMiB": max(committed, default=0)}


def run_original(python, layout, endpoint):
    seconds, rss, stdout = timed([python, os.path.join(ROOT, "bench", "original.py"), endpoint, layout.bucket,
                                  layout.prefix, str(DAYS)], aws_env(endpoint))
    result = json.loads(stdout.strip().splitlines()[-1])
    return seconds, rss, {"deleted": result["deleted"], "expired": result["toDelete"]}


def run_rclone(binary, layout, endpoint):
    env = aws_env(endpoint)
    env.update(RCLONE_CONFIG_BENCH_TYPE="s3", RCLONE_CONFIG_BENCH_PROVIDER="Other",
               RCLONE_CONFIG_BENCH_ENDPOINT=endpoint, RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="bench",
               RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="bench", RCLONE_CONFIG_BENCH_REGION="us-east-1",
               RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE="true", RCLONE_CONFIG_BENCH_LIST_VERSION="2")
    seconds, rss, _ = timed([binary, "delete", f"bench:{layout.bucket}/{layout.prefix}", "--min-age", f"{DAYS}d",
                             "--use-server-modtime"], env)
    return seconds, rss, {}


# ---------------------------------------------------------------------------------------------------- the run


def measure(servers, layout, mode, tool, run):
    endpoint = servers.model if mode == "model" else servers.direct
    written = layout.fill()
    if written:
        log(f"{layout.bucket}: wrote {written} objects")
    if mode == "model":
        servers.stats(reset=True)
    log(f"{layout.bucket} {mode:6} {tool} ...")
    seconds, rss, result = run(endpoint)
    stats = servers.stats() if mode == "model" else {}
    dry = tool.endswith("dry run")
    row = {"case": layout.bucket, "mode": mode, "tool": tool, "seconds": round(seconds, 2),
           "objectsPerSecond": round(layout.objects / seconds), "peakRssMiB": round(rss),
           "correct": layout.check(deleted_expected=not dry)}
    row.update(result)
    if stats:
        row["LIST"] = stats["list"]
        row["DELETE"] = stats["deleteBatch"] + stats["deleteOne"]
        # From the tool's start: its first request (start-up), its first delete, the last answer it got.
        row["timeline"] = {"firstRequest": stats["firstRequestMs"] / 1000, "firstDelete": stats["firstDeleteMs"] / 1000,
                           "lastAnswer": stats["lastAnswerMs"] / 1000}
    log(f"  {row}")
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000, help="objects per case (default 100000)")
    parser.add_argument("--sub-prefixes", type=int, default=100, help="sub-prefixes of the tree case (default 100)")
    parser.add_argument("--rss-small", type=int, default=10_000, help="objects of the small RSS listing")
    parser.add_argument("--rss-mid", type=int, default=100_000, help="objects of the middle RSS listing (0: skip)")
    parser.add_argument("--rss-large", type=int, default=1_000_000, help="objects of the large RSS listing (0: skip)")
    parser.add_argument("--rss-only", action="store_true",
                        help="measure only the RSS listings and keep the other rows of bench/results.json")
    parser.add_argument("--skip-rclone", action="store_true", help="leave rclone out")
    parser.add_argument("--cases", default="flat,tree", help="which cases: flat,tree")
    parser.add_argument("--modes", default="model,direct", help="which modes: model,direct")
    parser.add_argument("--tools", default="dry,sweeper,original,rclone", help="which tools: dry,sweeper,original,rclone")
    parser.add_argument("--write", action="store_true", help="save the table to bench/results.md and .json")
    args = parser.parse_args()

    build()
    python = python_with_boto3()
    rclone_binary = None if args.skip_rclone or "rclone" not in args.tools else rclone()
    work = tempfile.mkdtemp(prefix="s3-sweeper-bench-")
    storage = os.path.join(work, "store")
    os.makedirs(storage)
    servers = Servers(storage)
    rows = []
    try:
        layouts = [Layout(storage, "flat", "backups/", args.objects, 0),
                   Layout(storage, "tree", "backups/", args.objects, args.sub_prefixes)]
        tools = args.tools.split(",")
        if args.rss_only:
            with open(os.path.join(ROOT, "bench", "results.json")) as f:
                rows = json.load(f)["rows"]
        for layout in (l for l in layouts if l.bucket in args.cases.split(",") and not args.rss_only):
            for mode in args.modes.split(","):
                if "dry" in tools:
                    rows.append(measure(servers, layout, mode, "s3-sweeper dry run",
                                        lambda ep: run_sweeper(layout, ep, True)))
                if "sweeper" in tools:
                    rows.append(measure(servers, layout, mode, "s3-sweeper",
                                        lambda ep: run_sweeper(layout, ep, False)))
                if "original" in tools:
                    rows.append(measure(servers, layout, mode, "original (boto3)",
                                        lambda ep: run_original(python, layout, ep)))
                if rclone_binary and "rclone" in tools:
                    rows.append(measure(servers, layout, mode, "rclone delete",
                                        lambda ep: run_rclone(rclone_binary, layout, ep)))
        rss = []
        if args.rss_large:
            for count in (c for c in (args.rss_small, args.rss_mid, args.rss_large) if c):
                layout = Layout(storage, f"rss-{count}", "backups/", count, max(1, count // 1000), body=b"")
                gc_log = os.path.join(work, f"gc-{count}.log")
                rss.append(measure(servers, layout, "direct", "s3-sweeper dry run",
                                   lambda ep: run_sweeper(layout, ep, True, gc_log)))
            # The proof that nothing grows with the listing: the largest one again, in a heap far too small to
            # hold it (a listed object costs hundreds of bytes); it fails with OutOfMemoryError if anything does.
            row = measure(servers, layout, "direct", "s3-sweeper dry run",
                          lambda ep: run_sweeper(layout, ep, True, os.path.join(work, "gc-small-heap.log"),
                                                 SMALL_HEAP))
            row["heap"] = SMALL_HEAP
            rss.append(row)
    finally:
        servers.close()
        shutil.rmtree(work, ignore_errors=True)

    report = render(rows, rss, args)
    print(report)
    if args.write:
        with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
            f.write(report)
        with open(os.path.join(ROOT, "bench", "results.json"), "w") as f:
            json.dump({"rows": rows, "rss": rss}, f, indent=1)
            f.write("\n")
    failed = [row for row in rows + rss if not row["correct"]]
    if failed:
        print(f"WRONG RESULT in {len(failed)} run(s): see the 'correct' column", file=sys.stderr)
        sys.exit(1)


def find(rows, case, mode, tool):
    return next((r for r in rows if r["case"] == case and r["mode"] == mode and r["tool"] == tool), None)


def verdict(ok):
    return "met" if ok else "MISSED"


def render(rows, rss, args):
    lines = [f"# Throughput benchmark results", "",
             f"`python3 bench/throughput.py` on {datetime.now(timezone.utc).strftime('%Y-%m-%d')}: "
             f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
             f"{subprocess.run(['java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]}. "
             f"{args.objects:,} objects per case, half of them expired; the tree case spreads them over "
             f"{args.sub_prefixes} sub-prefixes. Model: {ROUND_TRIP_MS} ms round trip per request, "
             f"{LIST_SERVICE_MS} ms per listing page, {DELETE_RATE:,.0f} deleted keys/s shared. "
             f"s3-sweeper runs with `{' '.join(SWEEPER_JVM)}` (as deployed: 512 MB, the template's "
             f"JAVA_TOOL_OPTIONS).", "",
             "| case | mode | tool | seconds | objects/s | vs s3-sweeper | LIST | DELETE | peak RSS MiB | result |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for row in rows:
        ours = find(rows, row["case"], row["mode"], "s3-sweeper")
        ratio = "" if row["tool"] == "s3-sweeper" or not ours else f"{row['seconds'] / ours['seconds']:.2f}×"
        lines.append(f"| {row['case']} | {row['mode']} | {row['tool']} | {row['seconds']:.2f} | "
                     f"{row['objectsPerSecond']:,} | {ratio} | {row.get('LIST', '')} | {row.get('DELETE', '')} | "
                     f"{row['peakRssMiB']} | {'correct' if row['correct'] else 'WRONG'} |")
    lines += ["", "`vs s3-sweeper`: the tool's time divided by s3-sweeper's in the same case and mode (above 1: "
              "s3-sweeper is faster). LIST and DELETE are the requests the model proxy saw. `correct`: exactly the "
              "expired objects under the prefix are gone (none for a dry run), and the old neighbours outside it "
              "stay.", "", "## Targets", ""]
    for case in ("flat", "tree"):
        ours = find(rows, case, "model", "s3-sweeper")
        dry = find(rows, case, "model", "s3-sweeper dry run")
        if not ours or not dry:
            continue
        expired = ours["expired"]
        bound = max(dry["seconds"], expired / DELETE_RATE)
        lines.append(f"- {case}, model: {ours['seconds']:.2f} s against the bound max(dry run {dry['seconds']:.2f} s,"
                     f" {expired:,} ÷ {DELETE_RATE:,.0f}/s = {expired / DELETE_RATE:.2f} s) = {bound:.2f} s: "
                     f"{ours['seconds'] / bound:.2f}× (target ≤ 1.15×) — {verdict(ours['seconds'] <= 1.15 * bound)}")
        pages = math.ceil(args.objects / 1000)
        discovery = 0 if case == "flat" else 1
        if case == "tree":
            per = math.ceil(args.objects / args.sub_prefixes)
            pages = args.sub_prefixes * math.ceil(per / 1000)
        lines.append(f"- {case}, LIST requests: {ours['LIST']} (⌈objects ÷ 1,000⌉ = {math.ceil(args.objects / 1000)}"
                     f", pages per sub-prefix {pages} + discovery {discovery}) — "
                     f"{verdict(ours['LIST'] == pages + discovery)}")
        for tool in ("original (boto3)", "rclone delete"):
            for mode in ("model", "direct"):
                other = find(rows, case, mode, tool)
                mine = find(rows, case, mode, "s3-sweeper")
                if other and mine:
                    lines.append(f"- {case}, {mode}: ahead of {tool}: {other['seconds'] / mine['seconds']:.2f}× — "
                                 f"{verdict(mine['seconds'] < other['seconds'])}")
    tree_model = find(rows, "tree", "model", "s3-sweeper dry run")
    tree_direct = find(rows, "tree", "direct", "s3-sweeper dry run")
    if tree_model and tree_direct:
        ratio = tree_model["seconds"] / tree_direct["seconds"]
        lines.append(f"- parallel listing: tree dry run in the model {tree_model['seconds']:.2f} s vs with no proxy "
                     f"{tree_direct['seconds']:.2f} s: {ratio:.2f}× (target ≤ 1.2×) — {verdict(ratio <= 1.2)}")
    sized = [row for row in rss if "heap" not in row]
    if len(sized) >= 2:
        small, large = sized[0], sized[-1]
        ratio = large["peakRssMiB"] / small["peakRssMiB"]
        lines.append(f"- memory: peak RSS of a dry run over {large['case'][4:]} objects {large['peakRssMiB']} MiB "
                     f"({large['seconds']:.0f} s) vs {small['case'][4:]} objects {small['peakRssMiB']} MiB: "
                     f"{ratio:.2f}× (target ≤ 1.10×) — {verdict(ratio <= 1.10)}")
        lines += ["", "| objects listed (dry run, direct) | heap | seconds | peak RSS MiB | GCs | "
                  "most heap in use after a GC MiB | heap committed MiB |", "|---:|---|---:|---:|---:|---:|---:|"]
        for row in rss:
            lines.append(f"| {int(row['case'][4:]):,} | {'-Xmx' + row['heap'] if 'heap' in row else 'as deployed'} | "
                         f"{row['seconds']:.1f} | {row['peakRssMiB']} | {row.get('gcs', '')} | "
                         f"{row.get('maxHeapAfterGcMiB', '')} | {row.get('maxHeapCommittedMiB', '')} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
