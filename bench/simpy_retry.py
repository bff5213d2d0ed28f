"""SimPy peer of Brownout's `storm` benchmark (crates/sim/benches/scenarios/storm.toml).

A retry storm: Poisson arrivals at 550/s (2500/s from 60 s to 65 s) into one
server of 80 workers with a queue of at most 4000, exponential work with mean
80 ms that takes (1 + 0.005 x other requests in service) times longer, and
clients with a 1 s timeout per attempt and 2 retries, no backoff; 650
simulated seconds, fixed seed. Written the idiomatic SimPy way:

- the server is a `simpy.Resource` of capacity 80; an attempt that finds
  every worker busy and 4000 attempts waiting is rejected at once;
- one process per logical request sends an attempt (a process of its own,
  holding a worker for its service time) and waits for the first of its
  reply and a timeout (`reply | env.timeout(...)`, an AnyOf). On a timeout it
  abandons the attempt, which still runs to the end on the server, and
  retries at once; a rejected attempt is retried too; after the third
  attempt it gives up.

As in Brownout, a logical request's work is drawn once (from its own seed
there), so every retry of it costs the same work, and arrivals and work come
from separate random streams. A new Poisson gap is drawn where the rate
changes (the process is memoryless, so this is exact).

Runs the model a few times, timing each run with `time.perf_counter`, and
prints one JSON line on stdout: attempts simulated, best and median seconds,
attempts per second (from the best run), and the model's outcome (logical
requests, amplification = attempts per logical request, goodput = logical
requests succeeded per simulated second) to compare with Brownout's.

Usage: python simpy_retry.py [--reps N]
"""

import argparse
import json
import platform
import random
import statistics
import sys
import time

import simpy

BASE_RATE_RPS = 550.0
SPIKE_RATE_RPS = 2500.0
SPIKE_AT_S = 60.0
SPIKE_FOR_S = 5.0
WORKERS = 80
QUEUE_CAPACITY = 4000
SLOWDOWN_PER_ACTIVE = 0.005
WORK_MEAN_S = 0.080
TIMEOUT_S = 1.0
RETRIES = 2
DURATION_S = 650.0
SEED = 1

# Piecewise-constant arrival rate: (start in seconds, requests per second).
RATES = [
    (0.0, BASE_RATE_RPS),
    (SPIKE_AT_S, SPIKE_RATE_RPS),
    (SPIKE_AT_S + SPIKE_FOR_S, BASE_RATE_RPS),
]

OK, REJECTED = "ok", "rejected"


class Stats:
    """Counts of one run, for logical requests and their attempts."""

    def __init__(self):
        self.arrived = 0
        self.succeeded = 0
        self.failed = 0
        self.attempts = 0
        self.retries = 0
        self.timeouts = 0
        self.rejected = 0
        self.completed = 0


def arrivals(env, server, stats, arrival_rng, work_rng):
    """Poisson arrivals under the rate schedule: one process per logical request."""
    for i, (_, rate) in enumerate(RATES):
        end = RATES[i + 1][0] if i + 1 < len(RATES) else DURATION_S
        while True:
            gap = arrival_rng.expovariate(rate)
            if env.now + gap >= end:
                yield env.timeout(end - env.now)  # redraw at the new rate
                break
            yield env.timeout(gap)
            stats.arrived += 1
            work = work_rng.expovariate(1.0 / WORK_MEAN_S)
            env.process(logical_request(env, server, stats, work))


def logical_request(env, server, stats, work):
    """Send up to 1 + RETRIES attempts, each until its reply or its timeout."""
    for attempt in range(1 + RETRIES):
        if attempt > 0:
            stats.retries += 1
        stats.attempts += 1
        reply = env.event()
        env.process(serve(env, server, stats, work, reply))
        outcome = yield reply | env.timeout(TIMEOUT_S)
        if reply not in outcome:
            stats.timeouts += 1  # abandoned: the server still does the work
        elif reply.value == OK:
            stats.succeeded += 1
            return
    stats.failed += 1


def serve(env, server, stats, work, reply):
    """One attempt on the server: rejected if the queue is full, else queued
    for a worker and served for work x (1 + x * others in service)."""
    if server.count >= server.capacity and len(server.queue) >= QUEUE_CAPACITY:
        stats.rejected += 1
        reply.succeed(REJECTED)
        return
    with server.request() as slot:
        yield slot
        others = server.count - 1
        yield env.timeout(work * (1.0 + SLOWDOWN_PER_ACTIVE * others))
    stats.completed += 1
    reply.succeed(OK)


def simulate():
    """One full run; returns its Stats."""
    arrival_rng = random.Random(SEED)
    work_rng = random.Random(SEED + 1)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=WORKERS)
    stats = Stats()
    env.process(arrivals(env, server, stats, arrival_rng, work_rng))
    env.run(until=DURATION_S)
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="timed runs (default 3)")
    reps = parser.parse_args().reps
    times, result = [], None
    for rep in range(reps):
        start = time.perf_counter()
        this = vars(simulate())
        times.append(time.perf_counter() - start)
        if result is not None and this != result:
            sys.exit("simpy_retry: runs with the same seed disagree")
        result = this
        print(f"simpy_retry: run {rep + 1}/{reps}: {times[-1]:.3f} s", file=sys.stderr)
    best = min(times)
    arrived = result["arrived"]
    in_flight = arrived - result["succeeded"] - result["failed"]
    print(json.dumps({
        "simpy_version": simpy.__version__,
        "python_version": platform.python_version(),
        "attempts": result["attempts"],
        "reps": reps,
        "seconds": best,
        "median_seconds": statistics.median(times),
        "attempts_per_s": result["attempts"] / best,
        "logical": {
            "arrived": arrived,
            "succeeded": result["succeeded"],
            "failed": result["failed"],
            "in_flight": in_flight,
        },
        "retries": result["retries"],
        "timeouts": result["timeouts"],
        "rejected": result["rejected"],
        "completed": result["completed"],
        "amplification": result["attempts"] / arrived if arrived else 0.0,
        "goodput_rps": result["succeeded"] / DURATION_S,
    }))


if __name__ == "__main__":
    main()
