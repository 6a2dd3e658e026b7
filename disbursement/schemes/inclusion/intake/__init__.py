"""Inclusion housing's files (namespace urn:disbursement:intake:1, schemas/intake.xsd; docs/intake.md): the
register, estimates and actuals, grant events, loss claims and the authority's decisions. XSD validation first (intake/xml.py), then the
rules no schema can express; all or nothing."""
from datetime import date
from pathlib import Path

from lxml import etree
from sqlmodel import Session

from ....config import Config
from ....intake.errors import Problem
from ....intake.xml import local
from .decisions import stage_decisions
from .events import stage_events, stage_loss_claim
from .register import stage_register
from .reports import stage_report

NS = "urn:disbursement:intake:1"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "intake.xsd"


def stage(session: Session, name: str, root: etree._Element, file_id: int, config: Config,
          today: date) -> list[Problem]:
    """Add the file's rows to the session by its root element; the problems found (the caller rolls back)."""
    kind = local(root)
    if kind == "register":
        return stage_register(session, name, root, file_id, config)
    if kind == "events":
        return stage_events(session, name, root, file_id, today=today)
    if kind == "decisions":
        return stage_decisions(session, name, root, file_id, config, today)
    if kind == "loss-claim":
        return stage_loss_claim(session, name, root, file_id, today=today)
    return stage_report(session, name, root, file_id, today=today)
