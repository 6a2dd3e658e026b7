"""Bar charts as inline SVG, drawn here so the report needs no script, font or file from anywhere else.

Plain horizontal bars: one row per bar (label, bar, value), an optional dashed threshold line. Deterministic text
output (coordinates rounded to one decimal) so an identical report is byte-identical.
"""
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH = 680
LABEL_WIDTH = 250
BAR_AREA = 330
ROW = 24
TOP = 30


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None
    kind: str = "neutral"  # css class: neutral, positive, negative, entry, exit


def _number(value) -> str:
    return "–" if value is None else str(value).replace(".", ",")


def _x(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(chart_id: str, title: str, bars: list[Bar], unit: str, scale_max=None,
              threshold: tuple[float, str] | None = None) -> str:
    """An SVG element; `scale_max` fixes the axis (e.g. 100 for shares), else the largest value sets it."""
    values = [float(b.value) for b in bars if b.value is not None]
    top = float(scale_max) if scale_max is not None else max(values + [threshold[0] if threshold else 0, 1])
    height = TOP + ROW * len(bars) + 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{escape(chart_id)}" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<text class="chart-title" x="0" y="18">{escape(title)}</text>',
    ]
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        length = 0.0 if bar.value is None or top == 0 else BAR_AREA * float(bar.value) / top
        parts += [
            f'<g class="bar {escape(bar.kind)}" data-label="{escape(bar.label)}" data-value="{_number(bar.value)}">',
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(bar.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{_x(length)}" height="{ROW - 6}"/>',
            f'<text class="value" x="{_x(LABEL_WIDTH + length + 6)}" y="{y + 15}">'
            f'{escape(_number(bar.value))}{" " + escape(unit) if bar.value is not None and unit else ""}</text>',
            '</g>',
        ]
    if threshold is not None:
        x = LABEL_WIDTH + BAR_AREA * threshold[0] / top
        parts += [f'<line class="threshold" x1="{_x(x)}" x2="{_x(x)}" y1="{TOP - 4}" y2="{height - 6}"/>',
                  f'<text class="threshold-label" x="{_x(x + 4)}" y="{height - 2}">{escape(threshold[1])}</text>']
    parts.append("</svg>")
    return "\n".join(parts)
