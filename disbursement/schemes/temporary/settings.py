"""The temporary-housing scheme's parameters (config/schemes/temporary.toml): the trial period, target groups and
their affordable rents, destinations on moving out, education/work statuses, the evaluation thresholds and the
alternative cost the business case compares with.

Read once into this model; intake, the monthly job and the evaluation take it from `Config` with `settings_of`.
"""
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import Field, PositiveInt, model_validator

from ...config import Config, ConfigError, Kroner, Parameters
from .rules.business_case import AlternativeCost
from .rules.evaluation import Destination, EvaluationRules

NAME = "temporary"


def _keyed(section) -> dict:
    """Each entry of a keyed table knows its own key (tenancies name a target group, a destination, a status)."""
    if not isinstance(section, dict):
        return section
    return {key: {**entry, "key": key} if isinstance(entry, dict) else entry for key, entry in section.items()}


class AffordableRent(Parameters):
    default: Kroner  # T 1: about 2,800 kr. a month on the lowest cash benefit


class TargetGroup(Parameters):
    key: str
    name: str
    affordable_rent: Kroner


class DestinationEntry(Parameters):
    """Where a tenant moves on moving out (T 5, Fastholdelse): a positive or negative development."""

    key: str
    name: str
    outcome: Literal["positive", "negative"]
    permanent: bool

    @property
    def positive(self) -> bool:
        return self.outcome == "positive"


class EducationWorkStatus(Parameters):
    key: str
    name: str
    active: bool


class Evaluation(Parameters):
    permanent_within_months: PositiveInt  # T 2: a permanent home within 2 years
    kept_permanent_months: PositiveInt  # T 2: kept for at least 2 years
    max_dwellings_per_site: PositiveInt  # T 1: no concentration in larger estates
    max_area_share: Decimal = Field(gt=0, le=1)


class AlternativeCostEntry(Parameters):
    """T 2, "Økonomiske mål": what a place in a municipal botilbud or forsorgshjem costs a day per person, the
    business case's alternative; a municipality may state its own rate."""

    name: str
    daily_rate: Kroner
    municipalities: dict[str, Kroner] = {}

    @property
    def rates(self) -> AlternativeCost:
        return AlternativeCost(self.daily_rate, dict(self.municipalities))


class TemporarySettings(Parameters):
    period_from: date | None = None
    period_to: date | None = None
    affordable_rent: AffordableRent
    target_groups: dict[str, TargetGroup] = Field(min_length=1)
    destinations: dict[str, DestinationEntry] = Field(min_length=1)
    education_work: dict[str, EducationWorkStatus] = Field(min_length=1)
    evaluation: Evaluation
    alternative_cost: AlternativeCostEntry

    @model_validator(mode="before")
    @classmethod
    def _keys_and_default_rent(cls, data):
        if not isinstance(data, dict):
            return data
        default = (data.get("affordable_rent") or {}).get("default") if isinstance(data.get("affordable_rent"), dict) else None
        groups = _keyed(data.get("target_groups", {}))
        if isinstance(groups, dict):
            groups = {key: {"affordable_rent": default, **entry} if isinstance(entry, dict) else entry
                      for key, entry in groups.items()}
        return {**data, "target_groups": groups, "destinations": _keyed(data.get("destinations", {})),
                "education_work": _keyed(data.get("education_work", {}))}

    @property
    def statuses(self) -> dict[str, EducationWorkStatus]:
        return self.education_work

    @property
    def rules(self) -> EvaluationRules:
        """The evaluation's rules as the pure functions take them (rules/evaluation.py)."""
        return EvaluationRules(
            destinations={key: Destination(key, d.name, d.positive, d.permanent) for key, d in self.destinations.items()},
            active_statuses=frozenset(key for key, status in self.education_work.items() if status.active),
            permanent_within_months=self.evaluation.permanent_within_months,
            kept_permanent_months=self.evaluation.kept_permanent_months,
            max_dwellings_per_site=self.evaluation.max_dwellings_per_site,
            max_area_share=self.evaluation.max_area_share,
        )

    def rent_affordable_by(self, target_group: str) -> Decimal:
        if target_group not in self.target_groups:
            raise ConfigError(f"target group {target_group!r} is not configured (config/schemes/temporary.toml "
                              f"[target_groups]); configured: {', '.join(self.target_groups)}")
        return self.target_groups[target_group].affordable_rent


def settings_of(config: Config) -> TemporarySettings:
    return config.settings_of(NAME)
