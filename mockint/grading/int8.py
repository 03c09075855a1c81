"""Int8 linear layers whose output for a token depends on that token alone.

torch's dynamic quantisation (``quantize_dynamic``) picks one activation scale for the whole
input tensor: every row of a batch, padding included. A clause judged next to a long sentence
then reads differently from the same clause judged alone. Measured on the judge, one pair's
probabilities moved by up to 0.47 with its batch-mates, and the argmax agreed with the float32
model's on 88% of pairs. A grade must not depend on what else was graded with it, nor on which
pairs the recent-pairs cache happened to hold.

Here each row (token) gets its own scale, and each output channel of the weight its own: int8
times int8 into int32 (``torch._int_mm``), then both scales back. Measured on the same pairs:
argmax agreement with float32 98%, mean absolute error 0.012 (was 0.06), at about the speed of
``quantize_dynamic`` (the int8 product is 4-6x faster than float; the scaling passes around it
are what cost).

That speed needs the CPU's int8 dot-product instructions. Without them torch's int8 kernel is
slow: on a 2-core AMD EPYC with AVX2 only, a (64x384)·(384x1536) product took 27 ms against
0.64 ms in float32, and grading one answer two minutes instead of a tenth of a second. There the
same int8 values are multiplied as float32 (``int8_pays``). Products of int8 values and their
sums are integers, exact in float32 below 2**24: a sum over 384 inputs stays below it however
large the values, and one over 1536 (the widest layer) unless most activations and weights sit
near ±127 with matching signs. Measured: the same vectors and judge readings, bit for bit, so
the grades do not depend on the machine.
"""

from __future__ import annotations

import functools
import statistics
import time
import warnings


def _token_linear_class():
    import torch
    from torch import nn

    class TokenInt8Linear(nn.Module):
        """``nn.Linear`` with int8 weights (per output channel) and int8 activations (per
        token)."""

        def __init__(self, linear: nn.Linear, int_mm: bool = True):
            super().__init__()
            weight = linear.weight.detach().float()
            scale = weight.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
            weight_t = torch.round(weight / scale).to(torch.int8).t().contiguous()
            self.register_buffer("weight_t", weight_t if int_mm else weight_t.float())
            self.int_mm = int_mm
            self.register_buffer("weight_scale", scale.t().contiguous())
            # A copy: the float layer's storage (a mapped file for the sentence model) is let go.
            bias = linear.bias.detach().float().clone() if linear.bias is not None else None
            self.register_buffer("bias", bias)
            self.out_features = linear.out_features

        def forward(self, x):
            shape = x.shape
            rows = x.reshape(-1, shape[-1])
            # abs().amax() is 2.5x faster here than vector_norm(inf), and round_() before the
            # cast (a cast truncates).
            scale = rows.abs().amax(dim=1, keepdim=True).clamp_min_(1e-12)
            quantised = torch.round(rows * (127.0 / scale))
            if self.int_mm:
                out = torch._int_mm(quantised.to(torch.int8), self.weight_t).to(torch.float32)
            else:
                out = quantised @ self.weight_t
            out.mul_(scale * (1.0 / 127.0)).mul_(self.weight_scale)
            if self.bias is not None:
                out.add_(self.bias)
            return out.reshape(*shape[:-1], self.out_features)

    return TokenInt8Linear


@functools.cache
def int8_pays() -> bool:
    """Whether this torch build multiplies int8 matrices on this CPU, right, and clearly faster
    than float32 ones: in half the time at most, in the median of five products of a layer's
    shape each, one thread, int8 and float32 taken in turns (a few ms where int8 is fast, about
    0.1 s where it is not; once per process).

    Both the margin and the turns are there because a wrong "yes" costs far more than a wrong
    "no" (int8 products 40x slower than float32, against float32 about 1.7x slower than int8
    where int8 is fast; the numbers are the same either way), and a loaded machine skews one-off
    timings: with two threads and the other core busy, best-of-five timings once found int8
    faster on this AVX2-only CPU.
    """
    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            probe = torch.ones((3, 64), dtype=torch.int8)
            if int(torch._int_mm(probe, probe.t().contiguous())[0, 0]) != 64:
                return False
            rows = torch.ones((64, 384), dtype=torch.int8)
            weight = torch.ones((384, 384), dtype=torch.int8)
            rows_f, weight_f = rows.float(), weight.float()
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                ratio = _time_ratio(
                    lambda: torch._int_mm(rows, weight),
                    lambda: rows_f @ weight_f,
                )
            finally:
                torch.set_num_threads(threads)
    except (RuntimeError, AttributeError):
        return False
    return ratio <= 0.5


def _time_ratio(run, baseline, rounds: int = 5) -> float:
    """The median over ``rounds`` of ``run``'s time over ``baseline``'s, the two taken in turns
    so that both see the same load."""
    run(), baseline()  # the first calls allocate and pick a kernel
    ratios = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        middle = time.perf_counter()
        baseline()
        ratios.append((middle - start) / max(time.perf_counter() - middle, 1e-9))
    return statistics.median(ratios)


def quantize_linears(model, int_mm: bool | None = None) -> None:
    """Replace every ``nn.Linear`` inside ``model`` by a per-token int8 one, in place, whose
    products run in torch's int8 kernel where it pays (``int_mm``: None asks ``int8_pays``) and
    as float32 elsewhere, with the same result: it works on every CPU."""
    from torch import nn

    cls = _token_linear_class()
    int_mm = int8_pays() if int_mm is None else int_mm
    targets = [
        (parent, name, child)
        for parent in model.modules()
        for name, child in parent.named_children()
        # A head of a few outputs costs nothing in float32 and decides the label.
        if isinstance(child, nn.Linear) and min(child.in_features, child.out_features) >= 64
    ]
    for parent, name, child in targets:
        setattr(parent, name, cls(child, int_mm))
