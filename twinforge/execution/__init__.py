"""twinforge's own executable check (not FlexSim): parse, build a ModelGraph, simulate."""
