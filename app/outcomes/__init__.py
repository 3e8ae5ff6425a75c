"""Outcome measures: questionnaires, progress charts and the physio report (PDF, FHIR)."""
