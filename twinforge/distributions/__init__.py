"""The nine distribution families: sampling, moments, FlexScript form, prose form, fitting.

``fit`` and ``fit_file`` live in ``twinforge.distributions.fitting`` (imported on use: scipy is slow to load).
"""

from twinforge.distributions.families import (
    FLEXSIM_PARAMETERS,
    describe,
    flexsim_call,
    from_flexsim_call,
    mean,
    sample,
    sampler,
    variance,
)

__all__ = ["FLEXSIM_PARAMETERS", "describe", "flexsim_call", "from_flexsim_call", "mean", "sample", "sampler", "variance"]
