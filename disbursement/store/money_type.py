"""Money columns hold whole øre as integers, so every database sums them exactly (SQLite has no decimal type)."""
from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator


class Money(TypeDecorator):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        ore = Decimal(value) * 100
        if ore != ore.to_integral_value():
            raise ValueError(f"{value} has fractions of an øre")
        return int(ore)

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))
