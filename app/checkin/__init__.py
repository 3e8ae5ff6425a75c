"""The daily symptom check-in."""
