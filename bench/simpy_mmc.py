"""SimPy peer of Brownout's `mm10` benchmark (crates/sim/benches/scenarios/mm10.toml).

M/M/10 at 90% load: Poisson arrivals at 90/s into one queue served by ten
workers, exponential service with mean 100 ms, 2222 simulated seconds, fixed
seed. Written the idiomatic SimPy way: a `simpy.Resource` of capacity 10, a
generator process for arrivals and one process per request, each recording
its latency (arrival to completion) so the work matches Brownout's.

Runs the model a few times, timing each run with `time.perf_counter`, and
prints one JSON line on stdout: requests simulated, best and median seconds,
requests per second (from the best run), and mean / p99 latency beside the
Erlang C value for the mean, so both simulators can be seen to agree.

Usage: python simpy_mmc.py [--reps N]
"""

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time

import simpy

RATE_RPS = 90.0
WORKERS = 10
SERVICE_MEAN_S = 0.100
DURATION_S = 2222.0
SEED = 1


def arrivals(env, workers, rng, latencies, counter):
    """Poisson arrivals: one new request process per arrival."""
    while True:
        yield env.timeout(rng.expovariate(RATE_RPS))
        counter[0] += 1
        env.process(request(env, workers, rng, latencies))


def request(env, workers, rng, latencies):
    """Queue for a worker, hold it for an exponential service time."""
    arrived = env.now
    with workers.request() as slot:
        yield slot
        yield env.timeout(rng.expovariate(1.0 / SERVICE_MEAN_S))
    latencies.append(env.now - arrived)


def simulate():
    """One full run; returns (arrivals, completed, mean_ms, p99_ms)."""
    rng = random.Random(SEED)
    env = simpy.Environment()
    workers = simpy.Resource(env, capacity=WORKERS)
    latencies = []
    counter = [0]
    env.process(arrivals(env, workers, rng, latencies, counter))
    env.run(until=DURATION_S)
    latencies.sort()
    mean_ms = 1e3 * math.fsum(latencies) / len(latencies)
    p99_ms = 1e3 * latencies[min(len(latencies) - 1, math.ceil(0.99 * len(latencies)) - 1)]
    return counter[0], len(latencies), mean_ms, p99_ms


def erlang_c_mean_ms():
    """Mean latency of M/M/c by Erlang C: service time plus mean wait."""
    a = RATE_RPS * SERVICE_MEAN_S  # offered load in erlangs
    c = WORKERS
    top = a**c / math.factorial(c) * c / (c - a)
    below = sum(a**k / math.factorial(k) for k in range(c)) + top
    wait_s = (top / below) / (c / SERVICE_MEAN_S - RATE_RPS)
    return 1e3 * (SERVICE_MEAN_S + wait_s)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="timed runs (default 5)")
    reps = parser.parse_args().reps
    times, result = [], None
    for rep in range(reps):
        start = time.perf_counter()
        this = simulate()
        times.append(time.perf_counter() - start)
        if result is not None and this != result:
            sys.exit("simpy_mmc: runs with the same seed disagree")
        result = this
        print(f"simpy_mmc: run {rep + 1}/{reps}: {times[-1]:.3f} s", file=sys.stderr)
    requests, completed, mean_ms, p99_ms = result
    best = min(times)
    print(json.dumps({
        "simpy_version": simpy.__version__,
        "python_version": platform.python_version(),
        "requests": requests,
        "completed": completed,
        "reps": reps,
        "seconds": best,
        "median_seconds": statistics.median(times),
        "requests_per_s": requests / best,
        "mean_latency_ms": mean_ms,
        "p99_latency_ms": p99_ms,
        "theory_mean_latency_ms": erlang_c_mean_ms(),
    }))


if __name__ == "__main__":
    main()
