"""The shared engine: the scheme interface and registry, the calendar, the runner, booking and status."""
