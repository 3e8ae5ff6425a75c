"""The pre-run warm-up checklist."""
