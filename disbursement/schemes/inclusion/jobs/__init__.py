"""Scheduled jobs: each gathers its inputs, calls the rules and books the difference from what is already booked."""
