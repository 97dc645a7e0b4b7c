"""Randomness owned by the run: named streams derived from one seed, and the draws we use.

Each purpose (arrivals, customers, service, failures, jitter) gets its own stream derived
from the run's seed by SHA-256, so turning one knob (say a failure rate) does not reshuffle
every other draw: sweeps compare like with like (common random numbers).  Streams are
``random.Random`` (Mersenne Twister, integer-exact on every platform).  Continuous draws use
``math.log`` only, once per draw: the Erlang sampler multiplies uniforms and takes a single
log, and the browser's libm (musl) and glibc share the same correctly-rounded ``log``.
"""

from __future__ import annotations

import hashlib
import math
import random


class Streams:
    """Independent, reproducible random streams for one run."""

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


def erlang(rnd: random.Random, mean: float, shape: int) -> float:
    """Erlang(k) with the given mean: a gamma with integer shape, one log per draw."""
    if shape == 1:
        return -mean * math.log(1.0 - rnd.random())
    r = rnd.random
    prod = 1.0
    for _ in range(shape):
        prod *= 1.0 - r()
    return -(mean / shape) * math.log(prod)
