"""Chain benchmark: a sweep that Lambda's timeout splits into a chain of runs, against the same sweep in one run.

One command from the project root:  python3 bench/chain.py
It reuses bench/throughput.py (building, the model S3 server, filling buckets, the correctness check) and runs
bench/ChainBench (test classes) in a JVM of its own per mode: "chain", the handler as a warm Lambda environment with
reserved concurrency 1 would run it under a short simulated timeout (the tick's first run, then every event the
local Invoke endpoint received, one at a time), and "unlimited", one run with no time limit on a fresh identical
bucket. After each mode it asks the server whether exactly the expired keys are gone, and how many keys the deletes
named that were already absent. It prints a table and the targets of issue #12 judged. See bench/README.md.
"""
import argparse
import json
import math
import os
import platform
import shutil
import sys
import tempfile
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import throughput as tp  # noqa: E402  (the benchmark's shared pieces)

ROOT = tp.ROOT
WALL_FACTOR = 1.15
CASES = [
    tp.Case("tree-10m-partitions", "10,000,000 in 100 sub-prefixes, a partition each", 10_000_000, 100,
            "sub-prefix", "queue", ()),
    tp.Case("flat-1m", "1,000,000 flat, one partition", 1_000_000, 0, "prefix", "queue", ()),
]
MODES = ("chain", "unlimited")


def chain_bench(model, case, mode, timeout, limit, max_chain_links=None):
    with open(tp.CLASSPATH_FILE) as f:
        classpath = ":".join([os.path.join(ROOT, "target", "test-classes"), os.path.join(ROOT, "target", "classes"),
                              f.read().strip()])
    env = tp.clean_env(model.endpoint)
    # As Lambda starts the function: the template's JAVA_TOOL_OPTIONS, and its memory as the container's.
    env["JAVA_TOOL_OPTIONS"] = tp.template_tool_options()
    args = ["java", "-XX:MaxRAM=512m", "-cp", classpath, "io.github.s3sweeper.bench.ChainBench",
            "--endpoint", model.endpoint, "--bucket", case.name, "--prefix", tp.PREFIX,
            "--retention-days", str(tp.DAYS), "--mode", mode, "--timeout-seconds", str(timeout)]
    if max_chain_links:
        args += ["--max-chain-links", str(max_chain_links)]
    run = tp.timed(args, env, limit)
    return run, tp.last_json(run.stdout)


def fill(model, case):
    filled = model.call("fill", bucket=case.name, prefix=tp.PREFIX, objects=case.objects,
                        subPrefixes=case.sub_prefixes, partitions=case.partitions, throttle=case.throttle,
                        oldDays=tp.OLD_DAYS, youngDays=tp.YOUNG_DAYS, size=100)
    tp.log(f"{case.name}: filled {filled['objects']:,} objects and {filled['neighbours']} neighbours in "
           f"{filled['millis']} ms")


def allowed_lists(case, runs):
    """LIST requests a chain of `runs` runs may make: every page once (⌈objects ÷ 1,000⌉), and the discovery calls:
    per run the delimited listing of the prefix (⌈sub-prefixes ÷ 1,000⌉ pages, resumed runs starting after the
    resume key; for flat keys that listing is the keys' own, so none extra), and per resumed run one page more,
    because the resume key splits a page of the sub-prefix (or flat listing) it falls in."""
    pages = math.ceil(case.objects / 1000)
    discovery = math.ceil(case.sub_prefixes / 1000) if case.sub_prefixes else 0
    return pages, discovery * runs, runs - 1


def measure(model, case, mode, timeout, limit, max_chain_links):
    if mode == "unlimited":
        # A fresh identical bucket: the chain's bucket dropped and filled again the same way.
        model.call("drop", bucket=case.name)
        fill(model, case)
    model.call("reset", batch=min(1000, case.expired()))
    load = tp.load_average()[0]
    tp.log(f"{case.name}: {mode} ...")
    run, result = chain_bench(model, case, mode, timeout, limit, max_chain_links)
    stats = model.call("stats")
    check = model.call("check", bucket=case.name, prefix=tp.PREFIX)
    correct, verdict = tp.judge(case, False, check, run)
    requests = stats["requests"]
    runs = result.get("runDetails", [])
    summary = result.get("chainSummary")
    # A chain of one run logs no chain summary: its own summary is the chain's.
    totals = summary if summary else (runs[0] if len(runs) == 1 else {})
    problems = []
    if not result:
        problems.append("no result line")
    if any("error" in r for r in runs):
        problems.append(f"{sum('error' in r for r in runs)} run(s) threw")
    if totals.get("deleted") != case.expired() or stats["deletedObjects"] != case.expired():
        problems.append(f"deleted: chain totals {totals.get('deleted')}, server {stats['deletedObjects']:,}, "
                        f"expired {case.expired():,}")
    if stats["deleteKeysAbsent"]:
        problems.append(f"{stats['deleteKeysAbsent']:,} keys deleted that were already absent")
    if not runs or not runs[-1].get("complete"):
        problems.append("the last run did not complete the prefix")
    if len(runs) > 1 and (result.get("chainSummaryLines") != 1 or summary.get("links") != len(runs)):
        problems.append(f"{result.get('chainSummaryLines')} chainSummary lines, links "
                        f"{summary.get('links') if summary else None} for {len(runs)} runs")
    if problems:
        correct = False
        verdict = verdict + "; " + "; ".join(problems) if verdict != "correct" else "WRONG: " + "; ".join(problems)
    lists = requests.get("ListObjectsV2", 0) + requests.get("ListObjects", 0)
    pages, discovery, resumes = allowed_lists(case, max(1, len(runs)))
    row = {
        "case": case.name, "caseLabel": case.label, "mode": mode, "objects": case.objects, "expired": case.expired(),
        "timeoutSeconds": timeout if mode == "chain" else None,
        "wallSeconds": round(result.get("wallSeconds", run.seconds), 2), "processSeconds": round(run.seconds, 2),
        "betweenRunsSeconds": round(result.get("betweenRunsSeconds", 0), 3),
        "cpuSeconds": round(run.cpu, 2), "peakRssMiB": round(run.rss_mib), "runs": len(runs),
        "invokes": result.get("invokes"), "LIST": lists,
        "DeleteObjects": requests.get("DeleteObjects", 0), "DeleteObject": requests.get("DeleteObject", 0),
        "requests": requests, "keysDeleted": stats["deletedObjects"], "deleteKeys": stats["deleteKeys"],
        "deleteKeysAbsent": stats["deleteKeysAbsent"], "listedOldKeys": stats["listedOldKeys"],
        "listAllowed": pages + discovery + resumes, "listPages": pages, "listDiscovery": discovery,
        "listResumes": resumes,
        "chainTotals": {k: totals.get(k) for k in ("links", "chainStoppedBy", "scanned", "expired", "deleted",
                                                   "failed", "listRequests", "deleteRequests", "durationMs",
                                                   "complete")},
        "runDurations": [round(r["durationSeconds"], 2) for r in runs],
        "runDetails": runs, "warnings": result.get("warnings", []), "check": check, "exit": run.exit,
        "correct": correct, "result": verdict, "load1": load, "serverCpuSeconds": stats["cpuSeconds"],
    }
    if not correct:
        row["stderrTail"] = run.stderr_tail[-1500:]
        tp.log("  its last words: " + run.stderr_tail[-600:].replace("\n", " | "))
    tp.log(f"  {row['wallSeconds']:.1f} s in {row['runs']} run(s) {row['runDurations']}, LIST {lists:,} "
           f"(allowed {row['listAllowed']:,}), DeleteObjects {row['DeleteObjects']:,}, deleted "
           f"{row['keysDeleted']:,}, already absent {row['deleteKeysAbsent']:,}: {verdict}")
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's objects (e.g. 0.03 for CI)")
    parser.add_argument("--cases", default=",".join(c.name for c in CASES),
                        help="which cases, by name: " + ", ".join(c.name for c in CASES))
    parser.add_argument("--timeout-seconds", type=float, default=60,
                        help="the simulated function timeout of each run of the chain (default 60: short, so that "
                             "the full-size cases take several runs; the handler keeps a margin of max(10 s, a "
                             "tenth) of it)")
    parser.add_argument("--max-chain-links", type=int, help="MAX_CHAIN_LINKS for the function (default: its own, 20)")
    parser.add_argument("--time-limit", type=float, default=1800, help="seconds a mode's JVM may take (default 1800)")
    parser.add_argument("--require-correct", action="store_true",
                        help="exit 1 unless every mode of every case is correct (exact deletions, counts, nothing "
                             "deleted twice); times and LIST counts are judged in the output, not required")
    parser.add_argument("--write", action="store_true", help="save bench/results-chain.md and .json")
    parser.add_argument("--write-to", metavar="PATH", help="save PATH.md and PATH.json instead")
    args = parser.parse_args()
    unknown = set(args.cases.split(",")) - {c.name for c in CASES}
    if unknown:
        sys.exit(f"unknown cases {sorted(unknown)}")
    cases = [c.scaled(args.scale) for c in CASES if c.name in args.cases.split(",")]

    tp.build()
    command = "python3 bench/chain.py " + " ".join(sys.argv[1:])
    started = datetime.now(timezone.utc)
    load_start = tp.load_average()
    work = tempfile.mkdtemp(prefix="s3-sweeper-chain-")
    model = tp.Model(work)
    tp.log(f"model server at {model.endpoint}; load average {' '.join(load_start)}")
    rows = []
    try:
        for case in cases:
            fill(model, case)
            for mode in MODES:
                rows.append(measure(model, case, mode, args.timeout_seconds, args.time_limit, args.max_chain_links))
            model.call("drop", bucket=case.name)
    finally:
        model.close()
    meta = {"command": command.strip(), "started": started.isoformat(timespec="seconds"),
            "minutes": round((datetime.now(timezone.utc) - started).total_seconds() / 60, 1),
            "loadStart": load_start, "loadEnd": tp.load_average(), "cores": os.cpu_count(),
            "machine": f"{platform.system()} {platform.machine()}", "java": tp.version(["java", "-version"]),
            "toolOptions": tp.template_tool_options(), "scale": args.scale, "timeoutSeconds": args.timeout_seconds}
    target = os.path.join(ROOT, "bench", "results-chain") if args.write else args.write_to
    if target:
        with open(target + ".json", "w") as f:
            json.dump({"meta": meta, "rows": rows}, f, indent=1)
            f.write("\n")
    report = render(rows, cases, meta)
    print(report)
    if target:
        with open(target + ".md", "w") as f:
            f.write(report)
    shutil.rmtree(work, ignore_errors=True)
    failed = [r for r in rows if not r["correct"]]
    if failed and args.require_correct:
        print(f"NOT CORRECT: {len(failed)} run(s): " + "; ".join(f"{r['case']} {r['mode']}: {r['result']}"
                                                                for r in failed), file=sys.stderr)
        sys.exit(1)


def find(rows, case, mode):
    return next((r for r in rows if r["case"] == case and r["mode"] == mode), None)


def render(rows, cases, meta):
    margin = min(30.0, max(10.0, meta["timeoutSeconds"] / 10))
    lines = [
        "# Chain benchmark results", "",
        f"`{meta['command']}`, started {meta['started']} ({meta['minutes']} minutes). {meta['cores']} cores, "
        f"{meta['machine']}, {meta['java']}; load average at the start {' / '.join(meta['loadStart'])}, at the end "
        f"{' / '.join(meta['loadEnd'])}. Model: {tp.ROUND_TRIP_MS} ms round trip, {tp.PAGE_MS} ms per listing page, "
        f"{tp.DELETE_RATE:,.0f} deleted keys/s per partition; half of the objects expired. The handler runs in one "
        f"JVM per mode with `JAVA_TOOL_OPTIONS={meta['toolOptions']}` and `-XX:MaxRAM=512m`. Chain: a simulated "
        f"timeout of {meta['timeoutSeconds']:g} s per run (the handler's margin: {margin:g} s, so each run lists "
        f"for up to {meta['timeoutSeconds'] - margin:g} s); unlimited: one run, no time limit, on a fresh "
        f"identical bucket.",
    ]
    if meta["scale"] != 1:
        lines += ["", f"**Scaled by {meta['scale']}**: every case has that fraction of its objects (the names keep the "
                  "full sizes); times at this size prove the script, not the targets."]
    lines += ["", "| case | mode | wall s | runs | run durations s | between runs s | LIST | LIST allowed | "
              "DeleteObjects | keys deleted | already absent | chain totals: deleted / scanned / LIST / DELETE | "
              "CPU s | result |",
              "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|"]
    for r in rows:
        label = f"{r['caseLabel']} ({r['objects']:,})" if meta["scale"] != 1 else r["caseLabel"]
        t = r["chainTotals"]
        lines.append(
            f"| {label} | {r['mode']} | {r['wallSeconds']:.1f} | {r['runs']} | "
            f"{', '.join(f'{d:.1f}' for d in r['runDurations'])} | {r['betweenRunsSeconds']:.2f} | "
            f"{r['LIST']:,} | {r['listAllowed']:,} | "
            f"{r['DeleteObjects']:,} | {r['keysDeleted']:,} | {r['deleteKeysAbsent']:,} | "
            f"{t.get('deleted')} / {t.get('scanned')} / {t.get('listRequests')} / {t.get('deleteRequests')} | "
            f"{r['cpuSeconds']:.1f} | {r['result']} |")
    lines += ["", "Columns: wall: from the first run's start to the last run's end, in the JVM (its start is left "
              "out of both modes alike); runs: the runs of the chain (the tick's first, then each invoked one); "
              "between runs: the wall less the runs' durations (reading each event from the local Invoke "
              "endpoint's queue; Lambda's own delay from an asynchronous invoke to its run is not modelled); "
              "LIST, DeleteObjects, keys deleted: what the model server saw (ListObjectsV2 + ListObjects; keys it "
              "removed); already absent: keys a delete named that were not there (deleted twice); chain totals: "
              "the chainSummary line of the chain's last run (a chain of one run: that run's summary); LIST "
              "allowed: see the targets; CPU: the JVM's user + system CPU.", "", "Per run of each chain:", ""]
    for r in rows:
        if r["runs"] > 1:
            parts = [f"run {i + 1}: {d['durationSeconds']:.1f} s, scanned {d.get('scanned', 0):,}, deleted "
                     f"{d.get('deleted', 0):,}, LIST {d.get('listRequests', 0):,}, stopped by "
                     f"{d.get('stoppedBy') or 'the end'}" for i, d in enumerate(r["runDetails"])]
            lines.append(f"- {r['case']}: " + "; ".join(parts))
    lines += ["", "## Targets", ""]
    for case in cases:
        chain, alone = find(rows, case.name, "chain"), find(rows, case.name, "unlimited")
        if not chain or not alone:
            continue
        lines.append(f"**{case.label}** ({case.objects:,} objects, {case.expired():,} expired):")
        lines.append("")
        limit = WALL_FACTOR * alone["wallSeconds"]
        ok = chain["wallSeconds"] <= limit and chain["correct"]
        lines.append(f"- chain wall ≤ {WALL_FACTOR} × the unlimited run's: {chain['wallSeconds']:.1f} s in "
                     f"{chain['runs']} runs against {WALL_FACTOR} × {alone['wallSeconds']:.1f} = {limit:.1f} s "
                     f"({chain['wallSeconds'] / alone['wallSeconds']:.2f}×) — {tp.verdict(ok)}")
        for r in (chain, alone):
            extra = r["LIST"] - r["listAllowed"]
            lines.append(f"- LIST requests, {r['mode']}: {r['LIST']:,} against {r['listPages']:,} pages + "
                         f"{r['listDiscovery']} delimited listing page(s) ({r['runs']} run(s)) + {r['listResumes']} "
                         f"for resume points = {r['listAllowed']:,}"
                         + (f"; {extra:,} more (listed again)" if extra > 0 else "")
                         + f" — {tp.verdict(r['LIST'] <= r['listAllowed'])}")
        for r in (chain, alone):
            again = r["listedOldKeys"] - case.expired()
            lines.append(f"- nothing deleted twice, {r['mode']}: {r['deleteKeysAbsent']:,} keys already absent; "
                         f"the listing answers carried {r['listedOldKeys']:,} expired keys for {case.expired():,}"
                         + (f" ({again:,} listed again before they were deleted; a page listed again after its "
                            "expired keys were deleted carries only the young ones, so the LIST and scanned "
                            "excess measure the re-listing, not this)" if again > 0 else "")
                         + f" — {tp.verdict(r['deleteKeysAbsent'] == 0)}")
        for r in (chain, alone):
            t = r["chainTotals"]
            exact = t.get("deleted") == case.expired() == r["keysDeleted"] and t.get("failed") == 0
            lines.append(f"- counts exact, {r['mode']}: totals deleted {t.get('deleted')}, expired "
                         f"{case.expired():,}, the server's deletions {r['keysDeleted']:,}; totals expired "
                         f"{t.get('expired')}, scanned {t.get('scanned')} for {case.objects:,} objects"
                         + (f" ({(t.get('scanned') or 0) - case.objects:,} more: keys listed again are counted again)"
                            if (t.get("scanned") or 0) > case.objects else "")
                         + f"; {r['result']} — {tp.verdict(exact and r['correct'])}")
        longest = max(chain["runDurations"] or [0])
        lines.append(f"- every run of the chain within the simulated timeout: longest {longest:.2f} s of "
                     f"{meta['timeoutSeconds']:g} s ({meta['timeoutSeconds'] - longest:.2f} s to spare) — "
                     f"{tp.verdict(longest <= meta['timeoutSeconds'])}")
        lines.append("")
    return "\n".join(lines) + "\n"


def rerender(path):
    """The report of saved results (PATH.json) again, as the current render writes it."""
    with open(path + ".json") as f:
        saved = json.load(f)
    names = {r["case"] for r in saved["rows"]}
    cases = [c.scaled(saved["meta"]["scale"]) for c in CASES if c.name in names]
    return render(saved["rows"], cases, saved["meta"])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        print(rerender(sys.argv[2]), end="")
    else:
        main()
