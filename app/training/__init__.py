"""Training: strength sessions, the entry test and walk–runs, judged by the progression engine."""
