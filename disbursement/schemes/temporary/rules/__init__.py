"""Temporary housing's pure rules: the monthly rent subsidy and the evaluation figures; no database, no clock, no I/O."""
