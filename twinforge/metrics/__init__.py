"""Scores for predicted FlexScript: SVR, PMR, ESR and BLEU-4, textual and executed."""
