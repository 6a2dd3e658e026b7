"""The temporary-housing scheme's own settings (config/schemes/temporary.toml, beside its registry entries): target
groups and their affordable rents, destinations on moving out, education/work statuses, evaluation thresholds.

Read once from `Config.schemes`; intake, the monthly job and the evaluation get this plain object.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .config import Config, ConfigError
from .rules.evaluation import Destination, EvaluationRules

SCHEME = "temporary"


@dataclass(frozen=True)
class TargetGroup:
    key: str
    name: str
    affordable_rent: Decimal


@dataclass(frozen=True)
class EducationWorkStatus:
    key: str
    name: str
    active: bool


@dataclass(frozen=True)
class TemporarySettings:
    target_groups: dict[str, TargetGroup]
    destinations: dict[str, Destination]
    statuses: dict[str, EducationWorkStatus]
    evaluation: EvaluationRules

    def affordable_rent(self, target_group: str) -> Decimal:
        if target_group not in self.target_groups:
            raise ConfigError(f"target group {target_group!r} is not configured (config/schemes/temporary.toml "
                              f"[target_groups]); configured: {', '.join(self.target_groups)}")
        return self.target_groups[target_group].affordable_rent


def _amount(value, where: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ConfigError(f"{where}: {value!r} is not an amount like '2800.00'") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ConfigError(f"{where}: {value!r} must be kroner >= 0 with at most two decimals")
    return amount


def temporary_settings(config: Config) -> TemporarySettings:
    """The settings, or ConfigError naming the file and key when the scheme is off or a setting is wrong."""
    if config.schemes is None:
        raise ConfigError("the scheme registry is not loaded")
    scheme = config.schemes.scheme(SCHEME)
    where, data = str(scheme.path), scheme.settings
    try:
        default = _amount(data["affordable_rent"]["default"], f"{where} [affordable_rent] default")
        groups = {
            key: TargetGroup(key, section["name"], _amount(section["affordable_rent"], f"{where} [target_groups.{key}]")
                             if "affordable_rent" in section else default)
            for key, section in data["target_groups"].items()
        }
        destinations = {}
        for key, section in data["destinations"].items():
            if section["outcome"] not in ("positive", "negative"):
                raise ConfigError(f"{where} [destinations.{key}]: outcome must be 'positive' or 'negative', "
                                  f"not {section['outcome']!r}")
            destinations[key] = Destination(key, section["name"], section["outcome"] == "positive",
                                            bool(section["permanent"]))
        statuses = {key: EducationWorkStatus(key, section["name"], bool(section["active"]))
                    for key, section in data["education_work"].items()}
        ev = data["evaluation"]
        share = Decimal(str(ev["max_area_share"]))
        if not 0 < share <= 1:
            raise ConfigError(f"{where} [evaluation] max_area_share must be a share in (0, 1], not {share}")
        rules = EvaluationRules(
            destinations=destinations,
            active_statuses=frozenset(key for key, status in statuses.items() if status.active),
            permanent_within_months=int(ev["permanent_within_months"]),
            kept_permanent_months=int(ev["kept_permanent_months"]),
            max_dwellings_per_site=int(ev["max_dwellings_per_site"]),
            max_area_share=share,
        )
    except KeyError as exc:
        raise ConfigError(f"{where}: missing setting {exc}") from None
    if not groups or not destinations or not statuses:
        raise ConfigError(f"{where}: target_groups, destinations and education_work each need at least one entry")
    return TemporarySettings(groups, destinations, statuses, rules)
