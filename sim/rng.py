"""Randomness owned by the run: one stream for arrival times, keyed draws for everything else.

Common random numbers (CRN): two runs that differ in one knob (capacity, the breaker, the
autoscaler, a rental budget, an outage) should meet the same customers with the same luck,
so their difference is the change and not the dice.  A shared stream cannot give that: who
draws next depends on what happened before.  So every draw that belongs to an *entity* is a
pure function of ``(seed, purpose, entity id, attempt, index)``:

* a purpose key ``p`` is SHA-256 of ``river:<seed>:<purpose>`` (once per purpose and run,
  never ``hash()`` of a string: ``PYTHONHASHSEED`` must not matter);
* draw ``i`` of attempt ``a`` of entity ``e`` is output number ``n = (e, a, i)`` (packed into
  one integer, :func:`entity`) of SplitMix64 seeded with ``p``: the finaliser applied to
  ``p + n * gamma``.  Counter-based: any draw is a few integer operations, no state, no object
  per draw, no order between draws.  Its top 53 bits make a double in [0, 1).

:class:`KeyedDraws` is one entity's sequence (a key and a counter, two plain ints: a forked
simulation copies it like any value); it has ``random()``, so the same Erlang and inverse-CDF
code reads it as it read a ``random.Random``.  Cost (``bench/bench_core.py``): one
function call and a dozen integer operations per uniform.

Arrival *times* keep a :class:`Streams` stream (``random.Random``, Mersenne Twister): a change
of spawn rate may change them, nothing else does.  Continuous draws use ``math.log`` only, once
per draw: the Erlang sampler multiplies uniforms and takes a single log, and the browser's libm
(musl) and glibc share the same correctly-rounded ``log``.
"""

from __future__ import annotations

import hashlib
import math
import random

MASK64 = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15        # SplitMix64's increment (the golden ratio in 64 bits)
TWO_POW_M53 = 2.0 ** -53


ATTEMPT_BITS = 7                  # attempts 0..127 (retry.max_attempts is at most 100)
INDEX_BITS = 11                   # draws 0..2047 per entity and attempt (a customer takes
                                  # 5 + one per order, at most 1000 orders)


def entity(key: int, entity_id: int, attempt: int = 0) -> int:
    """The SplitMix64 state just before draw 0 of attempt ``attempt`` of entity
    ``entity_id`` under the purpose key ``key`` (ids and attempts are non-negative)."""
    n = ((entity_id << ATTEMPT_BITS) | attempt) << INDEX_BITS
    return (key + n * GAMMA) & MASK64


def draw(state: int, i: int) -> float:
    """Uniform draw ``i`` in [0, 1) of an :func:`entity` state: the SplitMix64 output at
    counter ``i + 1`` from it, its top 53 bits."""
    return at(state + (i + 1) * GAMMA)


def at(z: int) -> float:
    """SplitMix64's output, as a double in [0, 1) (its top 53 bits), for the counter value
    ``z`` -- a key plus a multiple of :data:`GAMMA`, masked here.  What :func:`draw` computes;
    a hot caller that knows its counter values (a customer's draws are ``cid * (GAMMA <<
    18)`` plus a constant per draw) calls it directly, one call a uniform."""
    z &= MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return ((z ^ (z >> 31)) >> 11) * TWO_POW_M53


def purpose_key(seed: int, purpose: str) -> int:
    """The 64-bit key of one purpose (``customers``, ``jitter``, ``upstream:<model>``) in the
    run of ``seed``: SHA-256, so it is the same on every platform and interpreter."""
    digest = hashlib.sha256(f"river:{seed}:{purpose}:keyed".encode()).digest()
    return int.from_bytes(digest[:8], "big")


class KeyedDraws:
    """One entity's uniforms: ``u(i)`` is draw ``i``, ``random()`` the next one from ``start``.

    ``KeyedDraws(entity(purpose_key, order_id, attempt))`` is the luck of one attempt of one
    order, whatever else the run did before it."""

    __slots__ = ("state", "i")

    def __init__(self, state: int, start: int = 0) -> None:
        self.state = state
        self.i = start

    def u(self, i: int) -> float:
        return draw(self.state, i)

    def random(self) -> float:
        """The next draw (``draw`` inlined: it is called once per uniform)."""
        i = self.i = self.i + 1
        z = (self.state + i * GAMMA) & MASK64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return ((z ^ (z >> 31)) >> 11) * TWO_POW_M53


class Streams:
    """Independent, reproducible random streams for one run (arrival times), and the purpose
    keys of its keyed draws."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._streams: dict[str, random.Random] = {}

    def __getitem__(self, name: str) -> random.Random:
        s = self._streams.get(name)
        if s is None:
            digest = hashlib.sha256(f"river:{self.seed}:{name}".encode()).digest()
            s = random.Random(int.from_bytes(digest[:16], "big"))
            self._streams[name] = s
        return s

    def key(self, purpose: str) -> int:
        """The key of a purpose's keyed draws (see :func:`purpose_key`)."""
        return purpose_key(self.seed, purpose)


def erlang(rnd, mean: float, shape: int) -> float:
    """Erlang(k) with the given mean: a gamma with integer shape, one log per draw.  ``rnd``
    is anything with ``random()``: a :class:`KeyedDraws` or a ``random.Random``."""
    if shape == 1:
        return -mean * math.log(1.0 - rnd.random())
    r = rnd.random
    prod = 1.0
    for _ in range(shape):
        prod *= 1.0 - r()
    return -(mean / shape) * math.log(prod)
