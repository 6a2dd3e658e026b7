"""The schemes the engine pays under, one package each (docs/architecture.md); engine/registry.py lists them."""
