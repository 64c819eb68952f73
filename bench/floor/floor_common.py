"""Timing shared by the floor scripts: warm-up calls, then the sorted per-call times in ms."""
import time


def time_step(step, warmup, calls):
    """Runs step() warmup times, then calls times; returns (median, min) of the timed calls in ms."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(calls):
        t = time.perf_counter()
        step()
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0]
