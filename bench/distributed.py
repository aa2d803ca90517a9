"""Distributed Map benchmark: a run of template-distributed.yaml simulated on the model S3 server.

One command from the project root:  python3 bench/distributed.py
It reuses bench/throughput.py (the build, the model server in its own JVM, its fill, check and stats endpoints):
for each case and each --max-concurrency it fills a bucket, runs bench/DistributedBench (test scope, its own JVM),
which lists the prefix as the Map's ItemReader does (ListObjectsV2 pages, no delimiter), batches the listing as the
ItemBatcher does (1,000 items, BatchInput.runStartedAt) and runs BatchHandler on the batches with at most
MaxConcurrency at once, then adds their outputs up with the report step's code; then it asks the server whether
exactly the expired keys under the prefix are gone and prints one table. See bench/README.md.
"""
import argparse
import json
import math
import os
import platform
import sys
import tempfile
import shutil
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import throughput as tp  # noqa: E402  (the same model, build and checks as the throughput benchmark)

# The cases: the throughput benchmark's 10,000,000-object tree with a partition per sub-prefix, and its
# 1,000,000-object tree in one partition (smaller: a single partition's 3,500 deletes/s make it the slow one).
CASE_NAMES = ("tree-10m-partitions", "tree-1m")
BATCH_SECONDS_README = 1.0  # the README's time estimate: about 1 s per batch
LAMBDA_SECONDS_README = 1.5  # the README's cost estimate: 1.5 s of a 512 MB function per batch


def cases(scale, names):
    by_name = {c.name: c for c in tp.CASES}
    return [by_name[n].scaled(scale) for n in names]


def readme_minutes(objects, concurrency):
    """The README's arithmetic: ⌈N ÷ 1,000⌉ batches × about 1 s ÷ MaxConcurrency."""
    return math.ceil(objects / 1000) * BATCH_SECONDS_README / concurrency / 60


def model_bound(case):
    """What the model allows: the ItemReader's one listing chain (50 ms a page), and the deletes at 3,500/s per
    partition. The batches follow the listing's key order, so the batches in flight are neighbours: with more than
    MaxConcurrency × 1,000 keys per sub-prefix they fall in one partition, and the run gets one partition's rate."""
    listing = math.ceil(case.objects / 1000) * (tp.ROUND_TRIP_MS + tp.PAGE_MS) / 1000
    deletes = case.expired() / tp.DELETE_RATE
    return listing, deletes


def run_case(model, case, concurrency, classpath, limit):
    model.call("restore", bucket=case.name)
    model.call("reset", batch=min(1000, case.expired()))
    load = tp.load_average()[0]
    tp.log(f"{case.name} ({case.objects:,}): MaxConcurrency {concurrency} ...")
    args = ["java", "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath,
            "io.github.s3sweeper.bench.DistributedBench", "--endpoint", model.endpoint, "--bucket", case.name,
            "--prefix", tp.PREFIX, "--max-concurrency", str(concurrency), "--retention-days", str(tp.DAYS)]
    run = tp.timed(args, tp.clean_env(model.endpoint), limit)
    out = tp.last_json(run.stdout)
    stats = model.call("stats")
    check = model.call("check", bucket=case.name, prefix=tp.PREFIX)
    correct, result = tp.judge(case, False, check, run)
    if correct and (out.get("deleted") != case.expired() or out.get("failed") or not out.get("complete")):
        correct, result = False, f"WRONG totals: deleted {out.get('deleted')}, failed {out.get('failed')}"
    requests = stats["requests"]
    listing, deletes = model_bound(case)
    row = {
        "case": case.name, "caseLabel": case.label, "objects": case.objects, "expired": case.expired(),
        "partitions": case.partitions_used(), "maxConcurrency": concurrency, "seconds": round(run.seconds, 2),
        "harness": out, "cpuSeconds": round(run.cpu, 2), "peakRssMiB": round(run.rss_mib),
        "LIST": requests.get("ListObjectsV2", 0) + requests.get("ListObjects", 0),
        "DELETE": requests.get("DeleteObjects", 0) + requests.get("DeleteObject", 0),
        "requests": requests, "maxInFlight": stats["maxInFlight"], "deletedObjects": stats["deletedObjects"],
        "serverCpuSeconds": stats["cpuSeconds"], "listingBound": round(listing, 2),
        "deleteBoundOnePartition": round(deletes, 2), "readmeMinutes": round(readme_minutes(case.objects,
                                                                                            concurrency), 2),
        "check": check, "exit": run.exit, "correct": correct, "result": result, "load1": load,
    }
    if not correct:
        row["stderrTail"] = run.stderr_tail[-1500:]
        tp.log("  its last words: " + run.stderr_tail[-600:].replace("\n", " | "))
    tp.log(f"  {out.get('wallSeconds')} s in the harness ({run.seconds:.1f} s with its JVM), LIST {row['LIST']}, "
           f"DELETE {row['DELETE']}, batches {out.get('batches')}, median {out.get('batchSecondsMedian')} s, "
           f"p95 {out.get('batchSecondsP95')} s: {result}")
    return row


def render(rows, meta):
    lines = [
        "# Distributed Map benchmark results", "",
        f"`{meta['command'].strip()}`, started {meta['started']} ({meta['minutes']} minutes). {meta['cores']} cores, "
        f"{meta['machine']}, {meta['java']}; load average at the start {' / '.join(meta['loadStart'])}, at the end "
        f"{' / '.join(meta['loadEnd'])} (1, 5, 15 minutes: other work shared the machine). Model: "
        f"{tp.ROUND_TRIP_MS} ms round trip, {tp.PAGE_MS} ms per listing page, {tp.DELETE_RATE:,.0f} deleted keys/s "
        f"per partition (a queue); half the objects {tp.OLD_DAYS} days old (expired at {tp.DAYS} days). The Map is "
        "played by bench/DistributedBench: one ListObjectsV2 chain as the ItemReader, batches of 1,000 as the "
        "ItemBatcher, BatchHandler on at most MaxConcurrency batches at once, the report step's Totals.",
    ]
    if meta["scale"] != 1:
        lines += ["", f"**Scaled by {meta['scale']}**: every case has that fraction of its objects (the labels keep "
                  "the full sizes)."]
    lines += ["", "| case | MaxConcurrency | wall s | listing s | LIST | DeleteObjects | deleted | batches | batch s "
              "median / p95 / max | GB-s at 512 MB | transitions | README's minutes | harness CPU s | result |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        h = r["harness"]
        label = f"{r['caseLabel']} ({r['objects']:,})" if meta["scale"] != 1 else r["caseLabel"]
        lines.append(
            f"| {label} | {r['maxConcurrency']} | {h.get('wallSeconds', 0):.1f} | {h.get('listingSeconds', 0):.1f} | "
            f"{r['LIST']:,} | {r['DELETE']:,} | {h.get('deleted', 0):,} | {h.get('batches', 0):,} | "
            f"{h.get('batchSecondsMedian', 0):.3f} / {h.get('batchSecondsP95', 0):.3f} / "
            f"{h.get('batchSecondsMax', 0):.3f} | {h.get('gbSeconds', 0):,.1f} | {h.get('transitions', 0):,} | "
            f"{r['readmeMinutes']:.2f} | {r['cpuSeconds']:.1f} | {r['result']} |")
    first = {r["case"]: r for r in reversed(rows)}
    lines += ["", "Bounds of the model (seconds): " + "; ".join(
        f"{r['caseLabel']} ({r['objects']:,}): listing chain {r['listingBound']:.1f}, deletes at one partition's "
        f"rate {r['deleteBoundOnePartition']:.1f}" for r in first.values()) + ".", "",
        "Columns: wall: the harness's own time from its first LIST to the last batch's end (its JVM's start "
        "excluded); listing: until the last page was read (the listing waits when it is twice MaxConcurrency "
        "batches ahead); LIST and DeleteObjects: what the model server saw; deleted: the report's total; batch s: "
        "BatchHandler.handleRequest's time per batch; GB-s: the batches' total time × 0.5 GB (the template's "
        "BatchMemorySize); transitions: 2 per batch + 3 (the README's counting); README's minutes: ⌈N ÷ 1,000⌉ × "
        "1 s ÷ MaxConcurrency; result: `correct` when exactly the expired keys under the prefix are gone, the "
        "neighbours are kept and the totals say so.", "",
        "| case | MaxConcurrency | requests by operation | most in flight (all / LIST / DELETE) | server CPU s | "
        "load (1 min) at start |", "|---|---:|---|---|---:|---:|"]
    for r in rows:
        ops = ", ".join(f"{op} {n:,}" for op, n in sorted(r["requests"].items(), key=lambda kv: -kv[1]))
        f = r["maxInFlight"]
        lines.append(f"| {r['case']} | {r['maxConcurrency']} | {ops} | {f['all']} / {f['list']} / {f['delete']} | "
                     f"{r['serverCpuSeconds']:.2f} | {r['load1']} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's objects (e.g. 0.03 for CI)")
    parser.add_argument("--max-concurrency", default="10,40", help="MaxConcurrency values, comma-separated")
    parser.add_argument("--cases", default=",".join(CASE_NAMES), help="which cases: " + ", ".join(CASE_NAMES))
    parser.add_argument("--time-limit", type=float, default=3600, help="seconds a run may take (default 3600)")
    parser.add_argument("--require-correct", action="store_true", help="exit 1 unless every run is correct")
    parser.add_argument("--write", action="store_true",
                        help="save bench/results-distributed.md and bench/results-distributed.json")
    parser.add_argument("--write-to", metavar="PATH", help="save PATH.md and PATH.json instead")
    args = parser.parse_args()
    names = args.cases.split(",")
    if set(names) - set(CASE_NAMES):
        sys.exit(f"unknown cases {sorted(set(names) - set(CASE_NAMES))}")
    concurrencies = [int(c) for c in args.max_concurrency.split(",")]

    tp.build()
    with open(tp.CLASSPATH_FILE) as f:
        classpath = ":".join([os.path.join(tp.ROOT, "target", "test-classes"),
                              os.path.join(tp.ROOT, "target", "classes"), f.read().strip()])
    command = "python3 bench/distributed.py " + " ".join(sys.argv[1:])
    started = datetime.now(timezone.utc)
    load_start = tp.load_average()
    work = tempfile.mkdtemp(prefix="s3-sweeper-dmap-")
    model = tp.Model(work)
    tp.log(f"model server at {model.endpoint}; load average {' '.join(load_start)}")
    rows = []
    try:
        for case in cases(args.scale, names):
            filled = model.call("fill", bucket=case.name, prefix=tp.PREFIX, objects=case.objects,
                                subPrefixes=case.sub_prefixes, partitions=case.partitions, throttle=case.throttle,
                                oldDays=tp.OLD_DAYS, youngDays=tp.YOUNG_DAYS, size=100)
            tp.log(f"{case.name}: filled {filled['objects']:,} objects in {filled['millis']} ms")
            for concurrency in concurrencies:
                rows.append(run_case(model, case, concurrency, classpath, args.time_limit))
            model.call("drop", bucket=case.name)
    finally:
        model.close()
    meta = {"command": command, "started": started.isoformat(timespec="seconds"),
            "minutes": round((datetime.now(timezone.utc) - started).total_seconds() / 60, 1),
            "loadStart": load_start, "loadEnd": tp.load_average(), "cores": os.cpu_count(),
            "machine": f"{platform.system()} {platform.machine()}", "java": tp.version(["java", "-version"]),
            "scale": args.scale}
    report = render(rows, meta)
    print(report)
    target = os.path.join(tp.ROOT, "bench", "results-distributed") if args.write else args.write_to
    if target:
        with open(target + ".md", "w") as f:
            f.write(report)
        with open(target + ".json", "w") as f:
            json.dump({"meta": meta, "rows": rows}, f, indent=1)
            f.write("\n")
    shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in rows if not r["correct"]]
    if failed and args.require_correct:
        print(f"NOT CORRECT: {len(failed)} run(s): " + "; ".join(
            f"{r['case']} at {r['maxConcurrency']}: {r['result']}" for r in failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
