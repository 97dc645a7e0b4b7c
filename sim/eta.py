"""The wait estimate: when will a waiting order start, as a median and an 80% range.

A real-time delay predictor in the spirit of Whitt's and Ibrahim & Whitt's: it reads only
what a gateway knows at the instant -- the orders in the lanes and when each was submitted,
each slot's state (a running call's elapsed time, a rented slot's promised arrival), how long
calls have lately taken, the VIP arrival rate lately observed, how long the circuit has been
down -- never an outage's scheduled end, the scenario's future arrival profile or a drawn
task time.

Two parts:

* :class:`StartCurve` -- ``mu(t)``, the expected number of calls that will start within
  ``t`` seconds: an idle slot starts one now; a busy slot starts one when its call ends (the
  residual of an Erlang task given its elapsed time), then one at every ``k``-th phase of
  the fresh tasks after it (counted exactly: :func:`_completions`); a provisioning slot
  starts one when it arrives.  A down circuit starts nothing until it comes
  back; how long that takes is not known, so it is predicted from how long it has been down
  (a scale-free prior, Gott's: the median remaining time equals the time already down, the
  80% range a ninth to nine times it), never less than the cool-down still to run.  The
  ``n``-th start comes at ``mu^-1(G)`` with ``G`` gamma-distributed around ``n`` (a
  time-changed Poisson process, less dispersed once the slots settle into renewal cycles
  of an Erlang task); its quantiles come from the Wilson-Hilferty cube-root formula.

* :func:`walk` -- which start takes which order: the lanes are played forward at the
  predicted start instants with :class:`sim.lanes.Lanes`' rule (VIP first; a normal order
  aged past ``aging_s`` counts as VIP by its submission time), VIPs arriving at the
  observed rate taking their turn ahead of normal orders not yet aged.  So a VIP counts the
  normal orders that will have aged before it, and a normal order the VIPs that will pass it.
  (:class:`SpreadCurve`: how many pass is spread as a clumped count -- VIP customers submit
  several orders -- at a rate known only from the few lately seen.)

Pure arithmetic on floats (no ``statistics``: the browser rules).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

NO_ESTIMATE_S = 30 * 86400.0  # "nobody is serving": shown as a very long wait
Z80 = 1.2815515655446004      # the standard normal's 90% quantile: an 80% two-sided range
GRID = 32                     # points of the start curve before it runs straight
MAX_OVERTAKERS = 5000         # VIPs-to-come a walk plays before it calls a wait endless
VIRTUAL_VIP = 2.0 / 3.0       # expected arrivals at which a Poisson count's median reaches 1
LONG_PHASES = 500.0          # phases past which _completions counts by its asymptote (e^-y ~ 0)
_GRID_FRACTIONS = tuple(g / GRID for g in range(GRID + 1))   # the curve's grid, g / GRID


class StartCurve:
    """Expected starts of one station's calls over the time to come, and its inverse."""

    __slots__ = ("t", "mu", "mu0", "slope", "cv2", "slots", "shift", "down_lo", "down_hi",
                 "rate_cv", "dead")

    def __init__(self, *, now: float, mean_s: float, shape: int, idle: int,
                 busy_elapsed: list[float], arrivals: list[float], down_s: float,
                 cooldown_left_s: float, samples: int) -> None:
        """``idle`` slots free now, ``busy_elapsed`` the elapsed seconds of the calls
        running on slots that will take more work, ``arrivals`` the seconds until each
        provisioning slot arrives; ``down_s`` how long the circuit has been down (negative:
        it is closed), ``cooldown_left_s`` the cool-down still to run; ``samples`` how many
        successful calls the measured ``mean_s`` rests on (its own uncertainty)."""
        k = max(1, shape)
        self.cv2 = 1.0 / k
        self.rate_cv = math.sqrt(self.cv2 / samples) if samples > 0 else 0.0
        self.slots = idle + len(busy_elapsed) + len(arrivals)
        self.dead = self.slots == 0 or mean_s <= 0
        self.shift = 0.0
        self.down_lo = self.down_hi = 0.0
        self.mu0 = 0.0
        self.slope = 0.0
        self.t = [0.0]
        self.mu = [0.0]
        if self.dead:
            return
        fresh = [1.0] * k                  # a call just started: in its first phase
        steps: dict[float, int] = {}       # start offset -> slots that start a call then
        # start offset -> [the calls' phase weights summed, how many calls]: the curve
        # is linear in the weights, so the calls that start alike are summed once
        running: dict[float, list] = {}
        if down_s >= 0.0:
            self._down_steps(steps, idle + len(busy_elapsed), arrivals, down_s,
                             cooldown_left_s)
        else:
            self.mu0 = float(idle)
            self.slope = self.slots / mean_s
            if k == 1 and not arrivals:
                # exponential tasks, every slot here: memoryless, each slot starts one
                # call per mean task time from now on -- the curve is a straight line
                # (what the grid below would sum to, without summing it)
                self.mu = [self.mu0]
                return
            if idle:
                _run(running, k, 0.0, fresh, idle)
            lam = k / mean_s
            if busy_elapsed:
                _run_busy(running, k, lam, busy_elapsed)
            for a in arrivals:
                steps[a] = steps.get(a, 0) + 1
        for a, n in steps.items():
            if n:
                _run(running, k, a, fresh, n)
        self.t, self.mu = _curve(steps, running, self.mu0, mean_s, k)
        self.slope = self.slots / mean_s

    def _down_steps(self, steps: dict[float, int], serving: int, arrivals: list[float],
                    down_s: float, cooldown_left_s: float) -> None:
        """Down: nothing starts before the circuit is back; then every ``serving`` slot is
        free (an outage fails calls within seconds) and rentals join as they arrive."""
        self.shift = med = max(cooldown_left_s, down_s)
        self.down_lo = med - max(cooldown_left_s, down_s / 9.0)
        self.down_hi = max(cooldown_left_s, 9.0 * down_s) - med
        steps[med] = serving
        for a in arrivals:
            a = max(a, med)
            steps[a] = steps.get(a, 0) + 1

    def inverse(self, target: float) -> float:
        """The time (from now) at which ``target`` starts are expected."""
        mu = self.mu
        if target <= mu[-1]:
            i = bisect_left(mu, target)
            if i == 0:
                return self.t[0]
            m0, m1 = mu[i - 1], mu[i]
            t0, t1 = self.t[i - 1], self.t[i]
            return t1 if m1 <= m0 else t0 + (t1 - t0) * (target - m0) / (m1 - m0)
        if self.slope <= 0.0:
            return NO_ESTIMATE_S
        return self.t[-1] + (target - mu[-1]) / self.slope

    def median_time(self, n: int) -> float:
        """When the ``n``-th start from now (1-based) comes, at the median (for the walk)."""
        if self.dead:
            return NO_ESTIMATE_S
        extra = n - self.mu0
        if extra <= 0.0:
            return self.shift
        return self.inverse(self.mu0 + extra - self._dispersion(extra) / 3.0)

    def _dispersion(self, extra: float) -> float:
        """Variance per start: a Poisson's 1 for the first few (residuals of running
        calls), falling to the renewal's CV^2 over cycles of every slot."""
        c = self.slots
        return self.cv2 + (1.0 - self.cv2) * c / (c + extra)

    def range(self, n: int, overtakers: float) -> tuple[float, float, float]:
        """``(median, lo, hi)`` seconds until the ``n``-th start, ``overtakers`` of the
        starts before it going to VIPs not yet arrived (a Poisson count: more spread)."""
        if self.dead:
            return NO_ESTIMATE_S, NO_ESTIMATE_S, NO_ESTIMATE_S
        extra = n - self.mu0
        if extra <= 0.0:
            med = self.shift
            return round(med, 3), round(med - self.down_lo, 3), round(med + self.down_hi, 3)
        # _dispersion(extra) written out; max(0.0, x) is ``x if x > 0.0 else 0.0`` (max
        # keeps the first of equals), min(x, NO_ESTIMATE_S) ``never if never < x else x``
        c = self.slots
        cv2 = self.cv2
        var = (cv2 + (1.0 - cv2) * c / (c + extra)) * extra + overtakers
        shape = extra * extra / var
        spread = shape * (var / extra)                  # shape * scale
        c = 1.0 - 1.0 / (9.0 * shape)
        d = Z80 / (3.0 * math.sqrt(shape))
        inv, mu0, never = self.inverse, self.mu0, NO_ESTIMATE_S
        x = c if c > 0.0 else 0.0
        med = inv(mu0 + spread * (x * x * x))
        if med >= never:
            return never, never, never
        x = c - d
        x = x if x > 0.0 else 0.0
        lo = inv(mu0 + spread * (x * x * x))
        x = c + d
        x = x if x > 0.0 else 0.0
        hi = inv(mu0 + spread * (x * x * x))
        x = med - self.shift
        rate = Z80 * self.rate_cv * (x if x > 0.0 else 0.0)
        below, above = med - lo, hi - med
        rate *= rate
        x = self.down_lo
        lo = med - math.sqrt(below * below + rate + x * x)
        x = self.down_hi
        hi = med + math.sqrt(above * above + rate + x * x)
        # to the millisecond: exp() may differ in its last bit between C libraries (the
        # browser's and the desktop's), and the records and the 3x question must not
        lo = never if never < lo else lo
        return (round(med, 3), round(lo if lo > 0.0 else 0.0, 3),
                round(never if never < hi else hi, 3))


def _run(running: dict, k: int, start: float, weights: list[float], n: int = 1) -> None:
    """Add ``n`` calls starting at offset ``start`` with phase ``weights`` to ``running``."""
    entry = running.get(start)
    if entry is None:
        running[start] = entry = [[0.0] * k, 0]
    acc = entry[0]
    for j in range(k):
        acc[j] += n * weights[j]
    entry[1] += n


def _run_busy(running: dict, k: int, lam: float, busy_elapsed: list[float]) -> None:
    """Add the calls running now, each ``busy_elapsed`` seconds in, to ``running``'s entry
    at offset 0: what ``_run(running, k, 0.0, _phase_weights(lam * e, k))`` for each would
    add, in the same float operations (so the same bits), without a list per call."""
    entry = running.get(0.0)
    if entry is None:
        running[0.0] = entry = [[0.0] * k, 0]
    acc = entry[0]
    if k == 1:
        w0 = acc[0]
        for _ in busy_elapsed:
            w0 += 1.0
        acc[0] = w0
    elif k == 2:
        w0, w1 = acc
        for e in busy_elapsed:
            x = lam * e
            total = 1.0 + x
            p0 = 1.0 / total
            w0 += p0 + x / total
            w1 += p0
        acc[0] = w0
        acc[1] = w1
    else:
        for e in busy_elapsed:
            weights = _phase_weights(lam * e, k)
            for j in range(k):
                acc[j] += weights[j]
    entry[1] += len(busy_elapsed)


def _curve(steps: dict[float, int], running: dict, mu0: float, mean_s: float,
           k: int) -> tuple[list[float], list[float]]:
    """``(times, expected starts by each)``: the steps (slots that start a call at a
    known instant) and the running calls (each ends, then its slot cycles through fresh
    tasks).  A slot's calls end at every ``k``-th phase of a Poisson stream of phases (rate
    ``k / mean``), counted from the phases its running call has still to go: the expected
    count is exact (:func:`_completions`), where a renewal approximation ran early by a few
    per cent for the first starts after a burst (the slots that end first are the ones
    that cycle first -- an average over them misses that)."""
    lam = k / mean_s
    # time points: dense near now (the first starts), plus both sides of every step
    horizon = max(steps, default=0.0) + 3.0 * mean_s
    if not steps and 1e-200 < horizon < 1e200:
        # the grid alone, of normal floats: horizon * f * f rises strictly with f (each
        # step at least 6%, the rounding 1e-16), so it is sorted and without repeats
        t_sorted = [horizon * f * f for f in _GRID_FRACTIONS]
        mu = [mu0] * (GRID + 1)
    else:
        t_sorted, mu = _points(steps, horizon, mu0)
    # every call that starts at the same offset is summed by its phase weights: the count
    # is linear in them, so each (offset, point) is worked out once
    exp = math.exp
    size = len(t_sorted)
    for start, (weights, _calls) in running.items():
        # calls with r phases to go, r = 1..k: weights[j] counts those with more than j
        to_go = [weights[j] - (weights[j + 1] if j + 1 < k else 0.0) for j in range(k)]
        # the points after the start (t - start > 0 exactly when t > start)
        first = bisect_right(t_sorted, start)
        if k == 2:      # _completions(lam * s, to_go, 2), written into the loop
            a, b = to_go
            if start == 0.0:                         # t - 0.0 is t
                for g in range(first, size):
                    y = lam * t_sorted[g]
                    odd = 0.5 * (1.0 - exp(-2.0 * y))
                    mu[g] += 0.5 * (a * (y + odd) + b * (y - odd))
            else:
                for g in range(first, size):
                    y = lam * (t_sorted[g] - start)
                    odd = 0.5 * (1.0 - exp(-2.0 * y))
                    mu[g] += 0.5 * (a * (y + odd) + b * (y - odd))
        elif k == 1:
            a = to_go[0]
            for g in range(first, size):
                mu[g] += a * (lam * (t_sorted[g] - start))
        else:
            for g in range(first, size):
                mu[g] += _completions(lam * (t_sorted[g] - start), to_go, k)
    return t_sorted, mu


def _points(steps: dict[float, int], horizon: float, mu0: float) -> tuple[list, list]:
    """The curve's time points, the grid and both sides of every step, sorted, and the
    starts the steps make by each."""
    ts = {horizon * f * f for f in _GRID_FRACTIONS}
    for a in steps:
        ts.add(a)
        if a > 0:
            ts.add(a * (1.0 - 1e-9))
    t_sorted = sorted(ts)
    base = mu0
    mu = []
    for t in t_sorted:
        total = base
        for a, n in steps.items():
            if a <= t and a > 0.0:
                total += n
        mu.append(total)
    return t_sorted, mu


def _completions(y: float, to_go: list[float], k: int) -> float:
    """Expected calls ended within ``y`` phase-times by slots whose running call has
    ``r`` phases to go (``to_go[r - 1]`` of them), each slot taking a fresh ``k``-phase
    task as soon as one ends: a slot ends calls at the phase counts ``r, r + k, r + 2k,
    ...`` of a Poisson stream of mean ``y``, so it ends ``sum_m P(N >= r + m k)``."""
    if k == 1:
        return to_go[0] * y
    exp = math.exp
    if k == 2:
        # N >= 1, 3, 5, ...: (y + P(N odd)) / 2; N >= 2, 4, ...: (y - P(N odd)) / 2
        odd = 0.5 * (1.0 - exp(-2.0 * y))
        return 0.5 * (to_go[0] * (y + odd) + to_go[1] * (y - odd))
    if y > LONG_PHASES:
        # e^-y would underflow: so far out the phase count modulo k is even, and each
        # slot has ended (y - r) / k + (k + 1) / (2 k) calls (to e^-y(1 - cos 2pi/k))
        return sum(n * ((y - r) / k + (k + 1) / (2.0 * k))
                   for r, n in enumerate(to_go, 1))
    pmf = exp(-y)
    below = pmf                    # P(N < n), n = 1 on
    total = 0.0
    n = 1
    while True:
        tail = 1.0 - below         # P(N >= n)
        if tail < 1e-12 and n > y:
            return total
        total += tail * to_go[(n - 1) % k]
        pmf *= y / n
        below += pmf
        n += 1


def _cube(x: float) -> float:
    """x^3 by multiplication (``pow`` may round differently from one C library to the next)."""
    return x * x * x


def _phase_weights(x: float, k: int) -> list[float]:
    """Erlang-``k`` task running ``x`` phase-means: P(phases done = i), i < k, as the
    cumulative weights ``W_j = P(done <= k-1-j)`` the survival formula reads."""
    p = [1.0]
    for i in range(1, k):
        p.append(p[-1] * x / i)
    total = 0.0          # a plain loop: sum() of floats is compensated from Python 3.12
    for v in p:
        total += v
    p = [v / total for v in p]
    # W_j: the call needs more than j further phases' worth: done <= k-1-j
    out = []
    acc = 0.0
    cum = []
    for v in p:
        acc += v
        cum.append(acc)
    for j in range(k):
        out.append(cum[k - 1 - j])
    return out


def walk(vip: list, normal: list, now: float, aging_s: float, batch: int,
         vip_rate_per_s: float, curve: StartCurve, want: object = None,
         newcomer: bool = False, only_newcomer: bool = False) -> dict:
    """Play the lanes forward: ``{order: (median, lo, hi)}`` seconds to its start, for
    every order in ``vip`` and ``normal`` (lists in lane order), or only up to ``want``.

    ``newcomer``: also the estimate of a normal order submitted now at the back, under the
    key ``None`` (the autoscaler's signal); ``only_newcomer``: that one alone (the others'
    ranges are not worked out)."""
    out: dict = {}
    if curve.dead:
        return _endless(out, vip, normal, newcomer)
    if batch == 1:
        return _walk1(vip, normal, now, aging_s, vip_rate_per_s, curve, want, newcomer,
                      only_newcomer, out)
    return _walk_batched(vip, normal, now, aging_s, batch, vip_rate_per_s, curve, want,
                         newcomer, only_newcomer, out)


def _walk_batched(vip: list, normal: list, now: float, aging_s: float, batch: int,
                  vip_rate_per_s: float, curve: StartCurve, want: object, newcomer: bool,
                  only_newcomer: bool, out: dict) -> dict:
    """:func:`walk` for calls that take up to ``batch`` orders: one :func:`_take` a start."""
    i = j = 0
    nv, nn = len(vip), len(normal)
    virtual = 0            # VIPs not yet arrived that took a start
    n = 0                  # starts so far
    newcomer_sub = now
    left_newcomer = newcomer
    most = nv + nn + 1 + MAX_OVERTAKERS
    # curve.median_time(n), inlined (a walk asks it once per start: the walk's cost)
    mu0, shift, cv2, c, inverse = curve.mu0, curve.shift, curve.cv2, curve.slots, curve.inverse
    while i < nv or j < nn or left_newcomer:
        n += 1            # past ``most``, VIPs would pass for ever (no aging within reach)
        if n > most:
            t = NO_ESTIMATE_S
        else:
            extra = n - mu0
            t = shift if extra <= 0.0 else inverse(
                mu0 + extra - (cv2 + (1.0 - cv2) * c / (c + extra)) / 3.0)
        if t >= NO_ESTIMATE_S:
            return _endless(out, vip[i:], normal[j:], left_newcomer)
        taken, i, j, virtual, left_newcomer = _take(
            vip, normal, i, j, virtual, left_newcomer, newcomer_sub, now + t, t, aging_s,
            batch, vip_rate_per_s)
        if want is not None:      # one order's estimate: only its own range is worked out
            if any(o is want for o in taken):
                out[want] = curve.range(n, float(virtual))
                return out
        elif only_newcomer:
            if any(o is None for o in taken):
                out[None] = curve.range(n, float(virtual))
                return out
        elif taken:
            est = curve.range(n, float(virtual))
            for o in taken:
                out[o] = est
    return out


_EVERY = object()   # _walk1's "every order's range", as against one order's (or None's)


def _walk1(vip: list, normal: list, now: float, aging_s: float, vip_rate_per_s: float,
           curve: StartCurve, want: object, newcomer: bool, only_newcomer: bool,
           out: dict) -> dict:
    """:func:`walk` for one order a call (``batch == 1``): the same starts, the same
    choices and the same ranges, :meth:`StartCurve.median_time` written into the loop.  A
    walk runs at each enqueue, over the orders ahead; a start's time is worked out only
    where a choice turns on it.  Times never fall as starts go on (:func:`_endless_from`):
    the last one worked out, a hair lower, is a floor -- a head of the normal lane aged by
    it is aged, and a VIP submitted before that head goes first whatever the time."""
    i = j = n = virtual = 0
    nv, nn, left_newcomer = len(vip), len(normal), newcomer
    endless_from = _endless_from(curve, nv + nn + 1 + MAX_OVERTAKERS)
    mu0, shift, cv2, c = curve.mu0, curve.shift, curve.cv2, curve.slots
    settle = (1.0 - cv2) * c      # the dispersion's (1 - cv2) * c / (c + extra), its product
    mu, ts, slope, mu_last, t_last = curve.mu, curve.t, curve.slope, curve.mu[-1], curve.t[-1]
    rate, make_range, pass_at, floor = vip_rate_per_s, curve.range, VIRTUAL_VIP, 0.0
    only = want if want is not None else (None if only_newcomer else _EVERY)
    every = only is _EVERY
    while i < nv or j < nn or left_newcomer:
        n += 1
        if n >= endless_from:
            return _endless(out, vip[i:], normal[j:], left_newcomer)
        # _take(..., batch=1); with i >= nv there is a head (the loop's own condition)
        head = normal[j] if j < nn else None
        head_sub = head.submitted_s if head is not None else (now if left_newcomer else None)
        if i < nv and (head_sub is None or head_sub >= vip[i].submitted_s):
            o = vip[i]                 # the VIP came first: aged or not, the head waits
            i += 1
        elif now + floor - head_sub >= aging_s:
            o = head                   # aged at the floor: aged now
        else:
            extra = n - mu0            # curve.median_time(n), written out
            if extra <= 0.0:
                t = shift
            elif (target := mu0 + extra - (cv2 + settle / (c + extra)) / 3.0) > mu_last:
                t = NO_ESTIMATE_S if slope <= 0.0 else t_last + (target - mu_last) / slope
            elif (g := bisect_left(mu, target)) == 0:
                t = ts[0]
            else:
                m0, m1, t0, t1 = mu[g - 1], mu[g], ts[g - 1], ts[g]
                t = t1 if m1 <= m0 else t0 + (t1 - t0) * (target - m0) / (m1 - m0)
            floor = t - t * 1e-12      # below any rounding of a later, later-or-equal start
            if now + t - head_sub >= aging_s:
                o = head
            elif i < nv:
                o = vip[i]
                i += 1
            elif rate * t - virtual >= pass_at:
                virtual += 1           # a VIP to come goes ahead of a normal order not aged
                continue
            else:
                o = head
        if o is head:
            left_newcomer, j = (False, j) if head is None else (left_newcomer, j + 1)
        if every or o is only:    # every order, or the one asked for (None: the newcomer)
            out[o] = make_range(n, float(virtual))
            if not every:
                return out
    return out


def _endless_from(curve: StartCurve, most: int) -> int:
    """The first start ``n`` of a walk that never comes: past ``most`` (VIPs would pass for
    ever), or at or past :data:`NO_ESTIMATE_S` -- by bisection, for a start's time never
    falls as ``n`` rises: the target rises (the dispersion's part falls, ``cv2 <= 1``) and
    the curve's inverse follows it (its points rise), short of a rounding at a point of
    the curve -- which is why the walk keeps its floor a hair below the last start."""
    slope = curve.slope
    if slope > 0.0 and curve.t[-1] + max(0.0, most - curve.mu[-1]) / slope < 0.999 * NO_ESTIMATE_S:
        return most + 1           # a bound on the last start's time (its target is below
    median = curve.median_time    # ``most``; the curve's last point is past every step)
    if median(most) < NO_ESTIMATE_S:
        return most + 1
    lo, hi = 1, most
    while lo < hi:
        mid = (lo + hi) // 2
        if median(mid) >= NO_ESTIMATE_S:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _take(vip: list, normal: list, i: int, j: int, virtual: int, left_newcomer: bool,
          newcomer_sub: float, at: float, t: float, aging_s: float, batch: int,
          vip_rate_per_s: float) -> tuple[list, int, int, int, bool]:
    """One start of the walk, ``t`` seconds from now (at ``at``): which orders its batch
    takes by the lanes' rule, from the VIP lane's ``i``-th and the normal lane's ``j``-th
    order on (``None`` for the newcomer).  Returns ``(taken, i, j, virtual,
    left_newcomer)``, the walk's state moved on past them."""
    nv, nn = len(vip), len(normal)
    taken = []
    for _ in range(batch):
        head = normal[j] if j < nn else None
        head_sub = head.submitted_s if head is not None else (
            newcomer_sub if left_newcomer else None)
        aged = head_sub is not None and at - head_sub >= aging_s
        if i < nv and not (aged and head_sub < vip[i].submitted_s):
            taken.append(vip[i])
            i += 1
        elif not aged and i >= nv and vip_rate_per_s * t - virtual >= VIRTUAL_VIP:
            virtual += 1          # a VIP to come goes ahead of a normal order not yet aged
        elif head_sub is None:
            break
        else:                     # the normal lane's head (or the newcomer behind it)
            taken.append(head)
            if head is None:
                left_newcomer = False
            else:
                j += 1
    return taken, i, j, virtual, left_newcomer


class SpreadCurve:
    """A :class:`StartCurve` whose ranges spread the VIPs to come as much as what was seen
    of them allows: VIP orders come in clumps (a customer submits several at once, and
    more as each is delivered), and their rate is known only from the few seen lately.
    :func:`walk` reads it as it reads the curve."""

    __slots__ = ("curve", "dead", "mu0", "shift", "cv2", "slots", "inverse", "mu", "t",
                 "slope", "disp", "seen", "drift")

    def __init__(self, curve: StartCurve, disp: float, seen: int, drift: float = 0.0) -> None:
        self.curve = curve
        self.dead, self.mu0, self.shift = curve.dead, curve.mu0, curve.shift
        self.cv2, self.slots, self.inverse = curve.cv2, curve.slots, curve.inverse
        self.mu, self.t, self.slope = curve.mu, curve.t, curve.slope
        self.disp = disp
        self.seen = seen
        self.drift = drift

    def median_time(self, n: int) -> float:
        return self.curve.median_time(n)

    def range(self, n: int, overtakers: float) -> tuple[float, float, float]:
        return self.curve.range(n, overtaker_variance(overtakers, self.disp, self.seen,
                                                      self.drift))


def overtaker_variance(count: float, disp: float, seen: int, drift: float = 0.0) -> float:
    """The variance of how many VIPs to come pass an order, ``count`` expected: a Poisson
    count of clumps (``disp``: orders per clump, E[X^2]/E[X]) at a rate measured from
    ``seen`` orders -- the rate's own error grows with the count (``count^2 disp / seen``,
    a negative binomial's excess) -- and, where the rate was seen moving (``drift``, see
    :func:`rate_drift`), by as much again as it moved (``count^2 drift``)."""
    if count <= 0.0:
        return 0.0
    if seen <= 0:
        return count * disp
    return count * disp * (1.0 + count / seen) + count * count * drift


def rate_drift(times, now: float, span: float, disp: float) -> float:
    """How far a rate measured over the last ``span`` seconds was seen to move: the squared
    relative change between the window's older and newer halves, less what counting alone
    explains.  ``times``: the arrival instants in the window, oldest first; ``disp``: the
    clumping, E[X^2]/E[X] (a clumped count's variance per arrival).

    Two halves of a steady stream differ by chance: E[(n_new - n_old)^2] = disp (n_old +
    n_new).  Beyond that the rate changed -- the flash crowd's VIPs come five times as fast
    as the lunch's -- and the rate the walk plays forward (the window's mean) may be as far
    from the one to come as the halves were from each other.  0 where the excess is not
    positive (a steady rate, or too few seen to tell)."""
    seen = len(times)
    if seen < 2 or span <= 0.0:
        return 0.0
    n_old = bisect_left(times, now - span / 2.0)
    n_new = seen - n_old
    excess = (n_new - n_old) * (n_new - n_old) - disp * seen
    if excess <= 0.0:
        return 0.0
    half = seen / 2.0
    return excess / (half * half)


def erlang_residual(elapsed: float, mean_s: float, shape: int) -> tuple[float, float, float]:
    """``(median, lo, hi)``: the 50%, 10% and 90% quantiles of the time still to run of an
    Erlang-``shape`` task of mean ``mean_s`` that has run ``elapsed`` seconds (a running
    call whose end matters alone: the half-open circuit's probe).  By bisection on the
    survival ratio ``S(elapsed + r) / S(elapsed)``: a few dozen exp() calls, made once per
    curve."""
    k = max(1, shape)
    if mean_s <= 0.0:
        return 0.0, 0.0, 0.0
    lam = k / mean_s

    def survive(t: float) -> float:
        x = lam * t
        term = math.exp(-x)
        total = 0.0
        for j in range(k):
            total += term
            term *= x / (j + 1)
        return total

    base = survive(elapsed)
    if base <= 0.0:
        return 0.0, 0.0, 0.0
    out = []
    for p in (0.5, 0.9, 0.1):        # P(residual > r) = p: the median, the 10%, the 90%
        lo, hi = 0.0, mean_s
        while survive(elapsed + hi) / base > p:
            hi *= 2.0
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if survive(elapsed + mid) / base > p:
                lo = mid
            else:
                hi = mid
        out.append(round(0.5 * (lo + hi), 3))
    return out[0], out[1], out[2]


def fifo_range(curve: StartCurve, place: int, batch: int) -> tuple[float, float, float]:
    """The range of the order at ``place`` (0-based) of a first-come-first-served queue
    that no VIP will pass: :func:`walk`'s answer without the walk (its ``n``-th start is
    its own, ``n = place // batch + 1``; past a start no slot will make, endless)."""
    n = place // batch + 1
    if curve.dead or curve.median_time(n) >= NO_ESTIMATE_S:
        return NO_ESTIMATE_S, NO_ESTIMATE_S, NO_ESTIMATE_S
    return curve.range(n, 0.0)


def line_fifo_range(idle: float, slots: int, mean_s: float, samples: int,
                    n: int) -> tuple[float, float, float]:
    """``fifo_range(StartCurve(...), place, batch)``, ``n = place // batch + 1``, for the
    curve that is a straight line: exponential tasks (``shape`` 1), the circuit closed, no
    slot on its way -- ``idle`` starts now (``mu0``), then ``slots / mean_s`` a second.
    The same float operations in the same order as :meth:`StartCurve.median_time`,
    :meth:`StartCurve.range` and :meth:`StartCurve.inverse` on ``t = [0.0]``,
    ``mu = [mu0]`` (shift, down_lo and down_hi 0), without making the curve: the
    enqueue's estimate on an M/M/c station (tests/test_core_eta_fast.py holds them equal
    bit for bit)."""
    never = NO_ESTIMATE_S
    if slots == 0 or mean_s <= 0:                      # StartCurve.dead
        return never, never, never
    mu0 = float(idle)
    slope = slots / mean_s
    extra = n - mu0
    if extra <= 0.0:                                   # the n-th start is now (shift 0)
        return 0.0, 0.0, 0.0
    # _dispersion(extra), cv2 = 1.0 / 1
    disp = 1.0 + (1.0 - 1.0) * slots / (slots + extra)
    # median_time(n): inverse(mu0 + extra - disp / 3.0) against NO_ESTIMATE_S
    target = mu0 + extra - disp / 3.0
    if target > mu0:
        if slope <= 0.0:
            return never, never, never
        if (target - mu0) / slope >= never:
            return never, never, never
    # range(n, 0.0); max(0.0, x) is ``x if x > 0.0 else 0.0`` (max keeps the first of
    # equals), min(x, never) ``never if never < x else x``, _cube written out
    var = disp * extra + 0.0
    shape = extra * extra / var
    scale = var / extra
    c = 1.0 - 1.0 / (9.0 * shape)
    d = Z80 / (3.0 * math.sqrt(shape))
    spread = shape * scale
    x = c if c > 0.0 else 0.0
    x = mu0 + spread * (x * x * x)
    med = 0.0 if x <= mu0 else (never if slope <= 0.0 else (x - mu0) / slope)
    if med >= never:
        return never, never, never
    x = c - d
    x = x if x > 0.0 else 0.0
    x = mu0 + spread * (x * x * x)
    lo = 0.0 if x <= mu0 else (never if slope <= 0.0 else (x - mu0) / slope)
    x = c + d
    x = x if x > 0.0 else 0.0
    x = mu0 + spread * (x * x * x)
    hi = 0.0 if x <= mu0 else (never if slope <= 0.0 else (x - mu0) / slope)
    rate = Z80 * (math.sqrt(1.0 / samples) if samples > 0 else 0.0) * (
        med - 0.0 if med - 0.0 > 0.0 else 0.0)
    below, above = med - lo, hi - med
    lo = med - math.sqrt(below * below + rate * rate + 0.0 * 0.0)
    hi = med + math.sqrt(above * above + rate * rate + 0.0 * 0.0)
    lo = never if never < lo else lo
    return (round(med, 3), round(lo if lo > 0.0 else 0.0, 3),
            round(never if never < hi else hi, 3))


def _endless(out: dict, vip: list, normal: list, newcomer: bool) -> dict:
    """Orders no start is expected for (nobody serves, or VIPs would pass for ever)."""
    never = (NO_ESTIMATE_S, NO_ESTIMATE_S, NO_ESTIMATE_S)
    for o in (*vip, *normal):
        out[o] = never
    if newcomer:
        out[None] = never
    return out


def censored_mean(done_s: float, n_ok: int, elapsed: list[float], shape: int) -> float:
    """The mean ``theta`` of an Erlang-``shape`` task time from a sample of calls chosen by
    their *start*: ``done_s`` the seconds the finished ones took (failed calls too: their
    slot-seconds count, their number does not), ``n_ok`` how many finished successfully,
    ``elapsed`` how long each one still running has run so far (right-censored: it will
    take longer).  The maximum-likelihood mean, i.e. the fixed point of the EM step

        theta = (done_s + sum_i E_theta[D | D > e_i]) / (n_ok + len(elapsed))

    with ``E[D | D > e] = e + theta / k * (k - m)``, ``m`` the phases already done given
    ``e`` (posterior weights ``x^j / j!``, ``j < k``, ``x = k e / theta``).  Solved by
    Newton's method: EM's own steps crawl (each closes only ``n_ok / (n_ok + running)`` of
    the gap -- a quarter, just after a burst), Newton lands in two or three.  The root is
    bracketed -- a call's residual is between ``theta / k`` and ``theta`` -- so the
    steps stay inside ``[lo, hi]``; ``hi`` is the exponential's closed form, exact for
    ``shape`` 1.  ``n_ok`` must be positive (no finished call: no estimate)."""
    k = max(1, shape)
    r = len(elapsed)
    ran = 0.0
    for e in elapsed:
        ran += e
    total = done_s + ran
    hi = total / n_ok
    if k == 1 or r == 0 or hi <= 0.0:
        return hi
    lo = total / (n_ok + r - r / k)
    theta = hi
    count = n_ok + r
    for _ in range(12):
        left, slope = _residuals(theta, k, elapsed)
        # min(hi, max(lo, x)), written out (each keeps the first of equals)
        nxt = theta - (theta * count - total - left) / (count - slope)
        nxt = nxt if nxt > lo else lo
        nxt = nxt if nxt < hi else hi
        if abs(nxt - theta) <= 1e-9 * theta:
            return nxt
        theta = nxt
    return theta


def _residuals(theta: float, k: int, elapsed: list[float]) -> tuple[float, float]:
    """Summed over the running calls: the time each has still to run, expected, as an
    Erlang-``k`` task of mean ``theta`` (``theta / k`` per phase still to run), and its
    derivative in ``theta`` (``(k - m + v) / k``: ``m`` and ``v`` the mean and variance of
    the phases done, ``x d m / dx = v``)."""
    left = slope = 0.0
    c = k / theta
    if k == 2:                            # the loop below for two phases, unrolled
        for e in elapsed:
            x = c * e
            m = x / (1.0 + x)
            left += 2.0 - m
            slope += 2.0 - m * m
        return theta * left * 0.5, slope * 0.5
    for e in elapsed:
        x = c * e
        w = 1.0
        b = m1 = m2 = 0.0
        for j in range(k):
            b += w
            m1 += j * w
            m2 += j * j * w
            w *= x / (j + 1)
        m = m1 / b
        left += k - m
        slope += k - m + m2 / b - m * m
    return theta * left / k, slope / k
