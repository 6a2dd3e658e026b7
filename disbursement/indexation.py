"""Indexation on 1 January (V 2.2.2, 2.2.3; SPEC 2.2).

Amount in year Y = base amount x index(Y) / index(price year of the base amount). An index table maps a year to
the value applying from 1 January of that year; a missing year is an error, never a guess.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping


class MissingIndexValue(LookupError):
    """The index table has no value for a year a computation needs; the operator must add it to config/."""


@dataclass(frozen=True)
class IndexTable:
    name: str
    values: Mapping[int, Decimal]
    file: str = "config/"  # where the operator adds a missing value
    source: str = ""  # where the values are published
    # factor() memoised per (year, base year): a national run asks it once per dwelling
    _factors: dict[tuple[int, int], Decimal] = field(default_factory=dict, init=False, repr=False, compare=False)

    def value(self, year: int) -> Decimal:
        try:
            return self.values[year]
        except KeyError:
            where = f" (source: {self.source})" if self.source else ""
            raise MissingIndexValue(
                f"{self.file}: the {self.name} has no value for {year} (the value applying from 1 January {year}); "
                f"add it under [values]{where}"
            ) from None

    def factor(self, year: int, base_year: int) -> Decimal:
        """Index(year) / index(base_year), unrounded: callers round the amount a person sees."""
        key = (year, base_year)
        if key not in self._factors:
            self._factors[key] = self.value(year) / self.value(base_year)
        return self._factors[key]
