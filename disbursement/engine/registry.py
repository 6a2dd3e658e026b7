"""The schemes the engine runs, in code (STYLE.md: the registry is a tuple, checked at import, never dotted paths
read from config). The only module of the engine that imports a scheme."""
from pathlib import Path

from ..config import Config, read_config
from ..schemes import inclusion, temporary
from .scheme import RECIPIENT_KINDS, Scheme

SCHEMES: tuple[Scheme, ...] = (inclusion.SCHEME, temporary.SCHEME)


def check_schemes(schemes: tuple[Scheme, ...]) -> tuple[Scheme, ...]:
    """Refuse duplicate scheme, job or support-type names, a support type paid by a job of no scheme, an unknown
    recipient kind, and two schemes reading one XML namespace: each would make a job or a file ambiguous."""
    seen: dict[str, set[str]] = {"scheme": set(), "job": set(), "support type": set(), "namespace": set()}

    def once(kind: str, name: str, scheme: Scheme) -> None:
        if name in seen[kind]:
            raise ValueError(f"scheme {scheme.name!r}: {kind} {name!r} is already registered by another scheme")
        seen[kind].add(name)

    for scheme in schemes:
        once("scheme", scheme.name, scheme)
        for job in scheme.jobs:
            once("job", job.name, scheme)
        for support in scheme.supports:
            once("support type", support.name, scheme)
            if support.recipient not in RECIPIENT_KINDS:
                raise ValueError(f"scheme {scheme.name!r}: support type {support.name!r}: recipient "
                                 f"{support.recipient!r} is not one of {', '.join(RECIPIENT_KINDS)}")
        for reader in scheme.intake:
            once("namespace", reader.namespace, scheme)
    for scheme in schemes:
        for support in scheme.supports:
            unknown = [job for job in support.jobs if job not in seen["job"]]
            if unknown:
                raise ValueError(f"scheme {scheme.name!r}: support type {support.name!r} is paid by jobs {unknown} "
                                 "that no scheme registers")
    return schemes


check_schemes(SCHEMES)


def load_config(directory: Path | str | None = None) -> Config:
    """The shipped config/ (or a directory overriding it file by file) for the registered schemes."""
    return read_config(directory, SCHEMES)
