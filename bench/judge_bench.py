#!/usr/bin/env python3
"""Judge throughput benchmark (issue "The LLM judge"): 2,000 judge calls against the scripted local
server (tests/app/fake_llm_server.py) answering each request after 100 ms, with concurrency 32.

The floor is 2,000 x 0.1 s / 32 = 6.25 s of wall time. Prints every run's wall time, their median,
the ratio to that floor with PASS or FAIL against the target of 1.05, the reply time the client
measured (from the call manifest, so a slow server shows apart from a slow client), the client's CPU
time (user + system, of the concord process alone) and CPU per call, and the machine's load
average; then a second run on the same project, which must send no request at all (every task
already judged). --strict exits with status 1 on FAIL.
The calls are full judge calls: prompt rendering, request hashing, the cache lookup, HTTP through
libcurl's multi interface on one worker thread, reply validation and batched SQLite writes
(`--tasks no_info`: one call per item, so 2,000 items make 2,000 calls).

Usage: judge_bench.py BUILD_DIR SOURCE_DIR [--runs N] [--calls N] [--concurrency N] [--delay S] [--strict]
"""
import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("build")
    p.add_argument("source")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--calls", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--delay", type=float, default=0.1)
    p.add_argument("--strict", action="store_true", help="exit with status 1 when the target is missed")
    a = p.parse_args()
    target = 1.05
    load_before = os.getloadavg()
    concord = os.path.join(a.build, "app", "concord")
    server_script = os.path.join(a.source, "tests", "app", "fake_llm_server.py")
    floor = a.calls * a.delay / a.concurrency

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "items.jsonl")
        with open(data, "w", encoding="utf-8") as f:
            for d in range(20):
                text = " ".join("Clause %d.%d of the lease: the tenant pays rent of %d pounds monthly." % (d, k, 1000 + k)
                                for k in range(30))
                f.write(json.dumps({"kind": "document", "id": "d%d" % d, "text": text}) + "\n")
            for i in range(a.calls):
                f.write(json.dumps({"kind": "item", "id": "q%05d" % i, "document": "d%d" % (i % 20),
                                    "question": "What rent does clause %d set?" % i, "question_type": "fact_recall",
                                    "answers": {"A": {"system": "s1", "text": "%d pounds." % (1000 + i % 30)},
                                                "B": {"system": "s2", "text": "It is not stated."}}}) + "\n")
        server = subprocess.Popen([sys.executable, server_script, "--delay", str(a.delay)], stdout=subprocess.PIPE,
                                  text=True)
        try:
            port = int(server.stdout.readline().split()[1])
            walls, cpus, latencies = [], [], []
            for run in range(a.runs):
                project = os.path.join(tmp, "bench%d.concord" % run)
                subprocess.run([concord, "new", project], check=True, stdout=subprocess.DEVNULL)
                subprocess.run([concord, "import", project, data], check=True, stdout=subprocess.DEVNULL)
                args = [concord, "judge", project, "--base-url", "http://127.0.0.1:%d" % port, "--model", "bench-%d" % run,
                        "--tasks", "no_info", "--concurrency", str(a.concurrency), "--json"]
                t0 = time.monotonic()
                child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                out = child.stdout.read()
                _, status, usage = os.wait4(child.pid, 0)
                wall = time.monotonic() - t0
                summary = json.loads(out)
                if status != 0 or summary["judged"] != a.calls or summary["requests"] != a.calls:
                    sys.exit("judge_bench: unexpected run: status %d, %s" % (status, out.strip()))
                walls.append(wall)
                cpus.append(usage.ru_utime + usage.ru_stime)
                with sqlite3.connect(project) as db:
                    latencies.append(statistics.mean(r[0] for r in db.execute(
                        "SELECT latency_ms FROM judge_calls WHERE latency_ms IS NOT NULL")))
            again = subprocess.run(args, check=True, capture_output=True, text=True)
            rerun = json.loads(again.stdout)
        finally:
            server.terminate()
            server.wait()

    load_after = os.getloadavg()
    wall = statistics.median(walls)
    cpu = statistics.median(cpus)
    ratio = wall / floor
    print("judge    %d calls, concurrency %d, server latency %.0f ms: %.2f s wall (median of %d runs: %s)"
          % (a.calls, a.concurrency, a.delay * 1000, wall, a.runs, ", ".join("%.2f" % w for w in walls)))
    print("         floor %d x %.1f s / %d = %.2f s: wall / floor = %.3f: %s (target %.2f)"
          % (a.calls, a.delay, a.concurrency, floor, ratio, "PASS" if ratio <= target else "FAIL", target))
    print("         replies took %.1f ms on average, as the client measured them" % statistics.mean(latencies))
    print("         client CPU %.2f s (%.2f ms per call, %.0f%% of one core over the run)"
          % (cpu, cpu * 1000 / a.calls, 100 * cpu / wall))
    print("         load average %.1f before, %.1f after (%d cores)"
          % (load_before[0], load_after[0], os.cpu_count() or 0))
    print("rerun    %d requests sent, %d tasks skipped as already judged" % (rerun["requests"], rerun["already_judged"]))
    if a.strict and ratio > target:
        sys.exit(1)


if __name__ == "__main__":
    main()
