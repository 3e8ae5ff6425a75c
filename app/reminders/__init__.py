"""Reminders that arrive: settings, the due-time schedule, the sweep, and delivery."""
