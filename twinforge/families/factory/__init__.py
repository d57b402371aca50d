"""The factory family: GDT-120K-style (prompt, layout sketch, FlexScript) triplets.

Its slice of the code: ``cells`` (the five-layer design), ``sampler``/``draws``/``assembly``/
``layout``/``vocabulary`` (drawing a ``FactorySpec``), ``settings`` (its recipe keys), ``stages``
(its random streams), ``spec_files`` (reading specs users bring) and ``family`` (records).
"""

from twinforge.families.factory.family import DECLARATION, FactoryFamily

FAMILY = FactoryFamily
"""What the registry instantiates for ``family = "factory"``."""

__all__ = ["DECLARATION", "FAMILY", "FactoryFamily"]
