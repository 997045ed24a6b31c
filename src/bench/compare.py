#!/usr/bin/env python3
"""Paired comparison of commands' wall times: src/bench/compare.py ROUNDS 'CMD_A' 'CMD_B' ['CMD_C' ...]

Each round runs every command once, in a fresh random order; per command it prints the median wall time and,
for all but the first, the median of its per-round differences against the first command with a 95% bootstrap
interval. On a VM whose speed drifts by tens of percent within minutes, only differences taken in the same
round mean much; and an interval from one run does not cover the drift between runs: repeat a comparison
before believing a few milliseconds. Commands run through /bin/sh with their output discarded.
"""
import random
import statistics
import subprocess
import sys
import time


def bootstrap_interval(differences, resamples=2000):
    medians = sorted(statistics.median(random.choices(differences, k=len(differences))) for _ in range(resamples))
    return medians[int(resamples * 0.025)], medians[int(resamples * 0.975)]


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit():
        sys.exit(__doc__.strip().splitlines()[0])
    rounds, commands = int(argv[1]), argv[2:]
    times = [[] for _ in commands]
    for _ in range(rounds):
        order = list(range(len(commands)))
        random.shuffle(order)
        for i in order:
            start = time.perf_counter_ns()
            subprocess.run(commands[i], shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[i].append((time.perf_counter_ns() - start) / 1e6)
    for i, command in enumerate(commands):
        median = statistics.median(times[i])
        if i == 0:
            print(f"{median:8.1f} ms                            {command}")
            continue
        differences = [b - a for a, b in zip(times[0], times[i])]
        low, high = bootstrap_interval(differences)
        print(f"{median:8.1f} ms  diff {statistics.median(differences):+6.1f} [{low:+6.1f}, {high:+6.1f}]  {command}")


if __name__ == "__main__":
    main(sys.argv)
