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
"""

from __future__ import annotations

import warnings


def _token_linear_class():
    import torch
    from torch import nn

    class TokenInt8Linear(nn.Module):
        """``nn.Linear`` with int8 weights (per output channel) and int8 activations (per
        token)."""

        def __init__(self, linear: nn.Linear):
            super().__init__()
            weight = linear.weight.detach().float()
            scale = weight.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
            self.register_buffer(
                "weight_t", torch.round(weight / scale).to(torch.int8).t().contiguous()
            )
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
            quantised = torch.round(rows * (127.0 / scale)).to(torch.int8)
            out = torch._int_mm(quantised, self.weight_t).to(torch.float32)
            out.mul_(scale * (1.0 / 127.0)).mul_(self.weight_scale)
            if self.bias is not None:
                out.add_(self.bias)
            return out.reshape(*shape[:-1], self.out_features)

    return TokenInt8Linear


def quantize_linears(model) -> bool:
    """Replace every ``nn.Linear`` inside ``model`` by a per-token int8 one, in place.

    False (and ``model`` unchanged) when this torch build cannot multiply int8 matrices on
    this CPU: the model then runs in float32, slower but the same grades.
    """
    import torch
    from torch import nn

    cls = _token_linear_class()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            probe = torch.ones((3, 64), dtype=torch.int8)
            if int(torch._int_mm(probe, probe.t().contiguous())[0, 0]) != 64:
                return False
    except (RuntimeError, AttributeError):
        return False
    targets = [
        (parent, name, child)
        for parent in model.modules()
        for name, child in parent.named_children()
        # A head of a few outputs costs nothing in float32 and decides the label.
        if isinstance(child, nn.Linear) and min(child.in_features, child.out_features) >= 64
    ]
    for parent, name, child in targets:
        setattr(parent, name, cls(child))
    return True
