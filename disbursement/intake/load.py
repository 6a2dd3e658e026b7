"""Load one file in one transaction: archive the original, validate, stage rows; any problem loads nothing.

The root element's namespace says which scheme's reader takes the file (engine/scheme.py `IntakeReader`)."""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config
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


def register_first(named_contents: list[tuple[str, bytes]], config: Config) -> list[tuple[str, bytes]]:
    """The files every scheme loads first (its registers, which the others refer to) before everything else;
    otherwise the order given is kept."""
    first = [f"<{root}".encode() for scheme in config.schemes for reader in scheme.intake for root in reader.first]
    return sorted(named_contents, key=lambda item: not any(tag in item[1][:4096] for tag in first))


def _reader(name: str, root: etree._Element, config: Config) -> IntakeReader:
    namespace = etree.QName(root).namespace
    for scheme in config.schemes:
        for reader in scheme.intake:
            if reader.namespace == namespace:
                return reader
    known = ", ".join(reader.namespace for scheme in config.schemes for reader in scheme.intake)
    raise RejectedFile([Problem(name, root.sourceline, local(root), f"the root element's namespace {namespace!r} "
                                f"is not one of a registered scheme ({known})")])


def load_file(engine: Engine, name: str, content: bytes, config: Config, now: datetime) -> LoadOutcome:
    """Loading the same bytes twice is a no-op that says so; RejectedFile when anything is wrong."""
    digest = hashlib.sha256(content).hexdigest()
    with Session(engine) as session:
        existing = session.exec(select(IntakeFile).where(IntakeFile.sha256 == digest)).first()
        if existing is not None:
            return LoadOutcome(name, existing.id, existing.doc_type, already_loaded=True)
        root = parse(name, content)
        reader = _reader(name, root, config)
        validate(name, root, reader.schema, reader.namespace)
        doc_type = local(root)
        archived = IntakeFile(name=name, sha256=digest, doc_type=doc_type, loaded_at=now, content=content)
        session.add(archived)
        session.flush()
        problems = reader.stage(session, name, root, archived.id, config, now.date())
        if problems:
            session.rollback()
            raise RejectedFile(problems)
        session.commit()
        return LoadOutcome(name, archived.id, doc_type, already_loaded=False)
