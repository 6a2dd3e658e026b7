"""Computes, pays, reconciles and books the Danish state subsidies for inclusion housing (VEJ 9305/2017)."""
