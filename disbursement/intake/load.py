"""Load one file in one transaction: archive the original, validate, stage rows; any problem loads nothing."""
import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..config import Config
from ..store.tables import IntakeFile
from .errors import RejectedFile
from .events import stage_events, stage_loss_claim
from .register import stage_register
from .reports import stage_report
from .temporary import is_temporary, stage_temporary
from .temporary import parse_validated as parse_temporary
from .xml import local, parse_validated


@dataclass(frozen=True)
class LoadOutcome:
    name: str
    file_id: int
    doc_type: str
    already_loaded: bool


def register_first(named_contents: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Registers (of either scheme) load before everything else (which refers to them); otherwise the order given is
    kept."""
    return sorted(named_contents, key=lambda item: not any(
        tag in item[1][:4096] for tag in (b"<register", b"<temporary-register")))


def load_file(engine: Engine, name: str, content: bytes, config: Config, now: datetime) -> LoadOutcome:
    """Loading the same bytes twice is a no-op that says so; RejectedFile when anything is wrong."""
    digest = hashlib.sha256(content).hexdigest()
    with Session(engine) as session:
        existing = session.exec(select(IntakeFile).where(IntakeFile.sha256 == digest)).first()
        if existing is not None:
            return LoadOutcome(name, existing.id, existing.doc_type, already_loaded=True)
        temporary = is_temporary(content)  # the root element's namespace says which scheme the file belongs to
        root = parse_temporary(name, content) if temporary else parse_validated(name, content)
        doc_type = local(root)
        archived = IntakeFile(name=name, sha256=digest, doc_type=doc_type, loaded_at=now, content=content)
        session.add(archived)
        session.flush()
        if doc_type == "register":
            problems = stage_register(session, name, root, archived.id, config)
        elif doc_type == "events":
            problems = stage_events(session, name, root, archived.id, today=now.date())
        elif temporary:
            problems = stage_temporary(session, name, root, archived.id, config, today=now.date())
        elif doc_type == "loss-claim":
            problems = stage_loss_claim(session, name, root, archived.id, today=now.date())
        else:
            problems = stage_report(session, name, root, archived.id, today=now.date())
        if problems:
            session.rollback()
            raise RejectedFile(problems)
        session.commit()
        return LoadOutcome(name, archived.id, doc_type, already_loaded=False)


