"""Load one file in one transaction: archive the original, validate, stage rows; any problem loads nothing.

The root element's namespace says which scheme's reader takes the file (engine/scheme.py `IntakeReader`), or the
engine's own reader of the bank's answers (bank/intake.py)."""
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..config import Config
from ..bank.intake import READERS as BANK_READERS
from ..engine.scheme import IntakeReader
from ..store.tables import IntakeFile
from .errors import Problem, RejectedFile
from .xml import local, parse, validate


@dataclass(frozen=True)
class LoadOutcome:
    name: str
    file_id: int
    doc_type: str
    already_loaded: bool


def read_file(path: Path, config: Config) -> bytes:
    """The file's bytes, or RejectedFile before reading a byte when it is larger than the configured limit
    (engine.toml [intake] max_file_mib): a runaway file costs nothing."""
    limit = config.intake.max_file_mib * 1024 * 1024
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, 2)
            if size > limit:
                raise RejectedFile([Problem(str(path), None, None, f"{size:,} bytes is more than the limit of "
                                            f"{config.intake.max_file_mib} MiB (engine.toml [intake] max_file_mib); "
                                            "split the file or raise the limit")])
            handle.seek(0)
            return handle.read(limit + 1)
    except OSError as exc:
        raise RejectedFile([Problem(str(path), None, None, f"cannot read: {exc.strerror}")]) from None


def register_first(paths: list[Path], config: Config) -> list[Path]:
    """The files every scheme loads first (its registers, which the others refer to) before everything else;
    otherwise the order given is kept. Only the head of each file is read for this."""
    first = [f"<{root}".encode() for scheme in config.schemes for reader in scheme.intake for root in reader.first]

    def head(path: Path) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read(4096)
        except OSError:
            return b""  # reported when the file is loaded

    return sorted(paths, key=lambda path: not any(tag in head(path) for tag in first))


def _reader(name: str, root: etree._Element, config: Config) -> IntakeReader:
    namespace = etree.QName(root).namespace
    readers = [reader for scheme in config.schemes for reader in scheme.intake] + list(BANK_READERS)
    for reader in readers:
        if reader.namespace == namespace:
            return reader
    known = ", ".join(reader.namespace for reader in readers)
    raise RejectedFile([Problem(name, root.sourceline, local(root), f"the root element's namespace {namespace!r} "
                                f"is not one of a registered scheme ({known})")])


def load_file(engine: Engine, name: str, content: bytes, config: Config, now: datetime) -> LoadOutcome:
    """Loading the same bytes twice is a no-op that says so, also when two loads of them run at once (the database
    keeps one: the other finds it); RejectedFile when anything is wrong."""
    digest = hashlib.sha256(content).hexdigest()
    try:
        return _load(engine, name, content, digest, config, now)
    except IntegrityError:
        with Session(engine) as session:
            loaded = _already_loaded(session, name, digest)
        if loaded is None:
            raise RejectedFile([Problem(name, None, None, "conflicts with a file loaded at the same moment; nothing "
                                        "of it was loaded: load it again")]) from None
        return loaded


def _already_loaded(session: Session, name: str, digest: str) -> LoadOutcome | None:
    existing = session.exec(select(IntakeFile).where(IntakeFile.sha256 == digest)).first()
    return None if existing is None else LoadOutcome(name, existing.id, existing.doc_type, already_loaded=True)


def _load(engine: Engine, name: str, content: bytes, digest: str, config: Config, now: datetime) -> LoadOutcome:
    with Session(engine) as session:
        loaded = _already_loaded(session, name, digest)
        if loaded is not None:
            return loaded
        root = parse(name, content)
        reader = _reader(name, root, config)
        validate(name, root, reader.schema, reader.namespace)
        doc_type = local(root) if local(root) != "Document" else reader.namespace.rsplit(":", 1)[-1]  # ISO 20022
        archived = IntakeFile(name=name, sha256=digest, doc_type=doc_type, loaded_at=now, content=content)
        session.add(archived)
        session.flush()
        problems = reader.stage(session, name, root, archived.id, config, now.date())
        if problems:
            session.rollback()
            raise RejectedFile(problems)
        file_id = archived.id  # read before the commit expires it: afterwards it would read the whole row back
        session.commit()
        return LoadOutcome(name, file_id, doc_type, already_loaded=False)
