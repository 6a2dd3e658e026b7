"""Temporary housing's job: the monthly rent subsidy to the landlords, from the facts reported by its date."""
