"""Translation engines, one package each, behind the registry in `registry.py`."""
