"""The nine distribution families: sampling, moments, FlexScript form, prose form, fitting."""
