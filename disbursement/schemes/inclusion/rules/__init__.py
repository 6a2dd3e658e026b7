"""Pure subsidy rules: plain functions over plain data, no database, no clock, no I/O."""
