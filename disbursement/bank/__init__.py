"""The bank's side of payment: its answers (pain.002 status reports, camt.054 notifications) to our pain.001 files."""
