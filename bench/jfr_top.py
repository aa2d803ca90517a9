#!/usr/bin/env python3
"""Top frames of a JFR recording, by self and by total samples, and the top allocation sites by sampled weight.

Usage: python3 bench/jfr_top.py RECORDING.jfr [--top N] [--thread SUBSTRING] [--frames N]

Self: the sample's top frame. Total: every method on the sample's stack, counted once per sample. Allocation: the
weight of jdk.ObjectAllocationSample (bytes the sample stands for) by the allocating frame (the first frame outside
java.* and jdk.*, so a HashMap's arrays count where the map was filled) and by class.
"""
import argparse
import collections
import json
import subprocess


def events(recording, name):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", name, recording],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def method(frame):
    m = frame["method"]
    return f'{m["type"]["name"]}.{m["name"]}'


def table(title, counter, total, top):
    print(f"\n{title} (of {total})")
    for name, count in counter.most_common(top):
        print(f"{100.0 * count / total:6.1f}%  {count:8}  {name}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recording")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--thread", default="")
    parser.add_argument("--skip-wrappers", action="store_true",
                        help="total: leave out the SDK's pipeline stages and handlers, which sit on every stack")
    args = parser.parse_args()

    samples = [e for e in events(args.recording, "jdk.ExecutionSample")
               if args.thread in (e["values"]["sampledThread"] or {}).get("javaName", "")]
    own = collections.Counter()
    total = collections.Counter()
    threads = collections.Counter()
    for e in samples:
        frames = e["values"]["stackTrace"]["frames"] if e["values"]["stackTrace"] else []
        threads[(e["values"]["sampledThread"] or {}).get("javaName", "?")] += 1
        if not frames:
            continue
        own[method(frames[0])] += 1
        for name in {method(f) for f in frames}:
            total[name] += 1
    table("threads", threads, len(samples), args.top)
    table("self", own, len(samples), args.top)
    if args.skip_wrappers:
        wrappers = ("pipeline", "handler", "Lambda$", "ThreadPoolExecutor", "Thread.run", "Retrying",
                    "AmazonSyncHttpClient", "StreamManagingStage", "utils/Either", "FutureTask", "SdkSyncClient")
        total = collections.Counter({k: v for k, v in total.items() if not any(w in k for w in wrappers)})
    table("total", total, len(samples), args.top)

    allocs = events(args.recording, "jdk.ObjectAllocationSample")
    by_site = collections.Counter()
    by_class = collections.Counter()
    weight = 0
    for e in allocs:
        w = e["values"]["weight"]
        weight += w
        by_class[e["values"]["objectClass"]["name"]] += w
        frames = e["values"]["stackTrace"]["frames"] if e["values"]["stackTrace"] else []
        site = next((method(f) for f in frames if not method(f).startswith(("java.", "jdk.", "sun."))),
                    method(frames[0]) if frames else "?")
        by_site[site] += w
    print(f"\nallocation: {weight / 2**20:.0f} MiB sampled weight")
    table("allocation by site (first frame outside the JDK), bytes", by_site, weight, args.top)
    table("allocation by class, bytes", by_class, weight, args.top)


if __name__ == "__main__":
    main()
