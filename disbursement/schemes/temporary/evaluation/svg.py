"""Bar charts as inline SVG, drawn here so the report needs no script, font or file from anywhere else.

Plain horizontal bars: one row per bar (label, bar, value), an optional dashed threshold line. No text may be cut
off whatever its length or language, and the browser's font is unknown here: every text is measured at a generous
glyph width (wider than DejaVu Sans, the widest common sans-serif), wrapped onto as many lines as it needs, and the
drawing is made wide enough for the longest value. Deterministic output (coordinates to one decimal), so an
identical report is byte-identical.
"""
from dataclasses import dataclass
from decimal import Decimal
from html import escape

FONT, TITLE_FONT = 12, 13  # px, as the report's CSS sets them
GLYPH, TITLE_GLYPH = 0.66 * FONT, 0.74 * TITLE_FONT  # assumed width of a character, generously
LINE, TITLE_LINE = 15, 17  # line heights
WIDTH = 680  # at least; wider when a value needs it
LABEL_WIDTH = 250  # the labels' column, right-aligned to LABEL_WIDTH - GAP
BAR_AREA = 330
GAP = 8
ROW = 24  # a bar's row with a one-line label


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | Decimal | None
    text: str  # the value as shown, formatted by the caller (exports/language.py)
    kind: str = "neutral"  # css class: neutral, positive, negative, entry, exit


def _x(value: float) -> str:
    return f"{value:.1f}"


def wrap(text: str, width: float, glyph: float) -> list[str]:
    """`text` as lines no wider than `width` at `glyph` pixels a character: broken between words, and inside a
    word only when the word alone is wider."""
    fits = max(1, int(width // glyph))
    lines: list[str] = []
    for word in text.split():
        while len(word) > fits:
            lines.append(word[:fits])
            word = word[fits:]
        if lines and len(lines[-1]) + 1 + len(word) <= fits:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _text(css: str, x: float, y: float, lines: list[str], line_height: int, anchor: str = "start") -> str:
    """A text element of one or more lines, the first line's baseline at y."""
    spans = "".join(f'<tspan x="{_x(x)}" dy="{0 if i == 0 else line_height}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    anchored = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text class="{css}" x="{_x(x)}" y="{_x(y)}"{anchored}>{spans}</text>'


def bar_chart(chart_id: str, title: str, bars: list[Bar], scale_max=None,
              threshold: tuple[float, str] | None = None) -> str:
    """An SVG element; `scale_max` fixes the axis (e.g. 100 for shares), else the largest value sets it."""
    values = [float(b.value) for b in bars if b.value is not None]
    top = float(scale_max) if scale_max is not None else max(values + [threshold[0] if threshold else 0, 1])
    width = max(WIDTH, LABEL_WIDTH + BAR_AREA + 6 + max((len(b.text) for b in bars), default=0) * GLYPH + GAP)
    title_lines = wrap(title, width, TITLE_GLYPH)
    y = TITLE_LINE * len(title_lines) + 10  # the top of the first row
    rows = []
    for bar in bars:
        label_lines = wrap(bar.label, LABEL_WIDTH - GAP, GLYPH)
        height = max(ROW, LINE * len(label_lines) + 9)
        length = 0.0 if bar.value is None or top == 0 else max(0.0, BAR_AREA * float(bar.value) / top)
        middle = y + height / 2
        rows += [
            f'<g class="bar {escape(bar.kind)}" data-label="{escape(bar.label)}" '
            f'data-value="{"" if bar.value is None else bar.value}">',
            _text("label", LABEL_WIDTH - GAP, middle + 4 - LINE * (len(label_lines) - 1) / 2, label_lines, LINE, "end"),
            f'<rect x="{LABEL_WIDTH}" y="{_x(middle - (ROW - 6) / 2)}" width="{_x(length)}" height="{ROW - 6}"/>',
            _text("value", LABEL_WIDTH + length + 6, middle + 4, [bar.text], LINE),
            "</g>",
        ]
        y += height
    bars_top, bars_bottom = TITLE_LINE * len(title_lines) + 6, y + 2
    if threshold is not None:
        x = LABEL_WIDTH + BAR_AREA * threshold[0] / top
        note = wrap(threshold[1], width - 24, GLYPH)  # below the bars, after a sample of the dashed line
        rows += [f'<line class="threshold" x1="{_x(x)}" x2="{_x(x)}" y1="{_x(bars_top)}" y2="{_x(bars_bottom)}"/>',
                 f'<line class="threshold" x1="0" x2="18" y1="{_x(y + 10)}" y2="{_x(y + 10)}"/>',
                 _text("threshold-label", 24, y + 14, note, LINE)]
        y += LINE * len(note) + 10
    height = y + 8
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{escape(chart_id)}" role="img" '
        f'width="{_x(width)}" height="{_x(height)}" viewBox="0 0 {_x(width)} {_x(height)}" '
        f'aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        _text("chart-title", 0, TITLE_LINE - 3, title_lines, TITLE_LINE),
        *rows,
        "</svg>",
    ])
