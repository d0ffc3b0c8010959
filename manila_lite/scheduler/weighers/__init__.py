"""Scheduler weighers: each a function ``(pool, spec) -> float``.

Higher is better. ``order`` normalizes every weigher's raw values over
the candidate pools to 0..1 (as upstream does, so no single weigher
dominates by scale), multiplies them by their multiplier and sorts the
pools best first. Ties keep a stable, host-name order, so the same
input always picks the same pool.
"""

import math

from manila_lite.scheduler.weighers import capacity
from manila_lite.scheduler.weighers import host_affinity

WEIGHERS = {
    'CapacityWeigher': capacity.weigh,
    'HostAffinityWeigher': host_affinity.weigh,
}

#: Weighers applied when the caller names none (upstream's defaults that
#: manila_lite has).
DEFAULT_WEIGHERS = ('CapacityWeigher', 'HostAffinityWeigher')


def _normalized(values):
    """Scale to 0..1; infinities become the ends of the scale."""
    finite = [v for v in values if not math.isinf(v)] or [0.0]
    low, high = min(finite), max(finite)
    values = [high + 1 if v == math.inf else low - 1 if v == -math.inf
              else v for v in values]
    low, high = min(values), max(values)
    if high == low:
        return [0.0 for _v in values]
    return [(v - low) / (high - low) for v in values]


def order(pools, spec, weighers=DEFAULT_WEIGHERS, multipliers=None):
    """``pools`` sorted best first.

    :param weighers: names from ``WEIGHERS``.
    :param multipliers: optional ``{name: float}``; a negative multiplier
        turns a weigher around (e.g. spread instead of stack).
    """
    pools = sorted(pools, key=lambda p: p.host)
    if len(pools) < 2:
        return pools
    totals = [0.0] * len(pools)
    for name in weighers:
        weigh = WEIGHERS[name]
        factor = float((multipliers or {}).get(name, 1.0))
        raw = [weigh(p, spec) for p in pools]
        for i, value in enumerate(_normalized(raw)):
            totals[i] += factor * value
    ranked = sorted(range(len(pools)), key=lambda i: -totals[i])
    return [pools[i] for i in ranked]
