"""Charts as inline SVG drawn on the server. A few polylines need no charting library, and a page that
draws its own charts fetches nothing from another site (the UI serves every asset it uses)."""

# ruff: noqa: E501  (SVG elements read best one a line)
from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = {"seconds": "#294172", "passed": "#1a6b32", "failed": "#9b1c1c", "errors": "#b07800"}
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 12, 22, 22


def line_chart(
    series: dict[str, list[float]],
    labels: list[str],
    title: str,
    unit: str = "",
    width: int = 720,
    height: int = 180,
) -> Markup:
    """One line per series over the same points (labels: what each point is, shown on hover)."""
    count = max((len(v) for v in series.values()), default=0)
    top = max((max(v) for v in series.values() if v), default=0.0) or 1.0
    inner_w, inner_h = width - PAD_LEFT - PAD_RIGHT, height - PAD_TOP - PAD_BOTTOM

    def x(n: int) -> float:
        return PAD_LEFT + (inner_w * n / (count - 1) if count > 1 else inner_w / 2)

    def y(value: float) -> float:
        return PAD_TOP + inner_h * (1 - value / top)

    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<text x="{PAD_LEFT}" y="14" font-size="12" font-weight="600">{escape(title)}</text>',
        f'<line x1="{PAD_LEFT}" y1="{PAD_TOP + inner_h}" x2="{width - PAD_RIGHT}" y2="{PAD_TOP + inner_h}" stroke="#c8ced6"/>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" font-size="11" text-anchor="end">{top:g}{escape(unit)}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{PAD_TOP + inner_h}" font-size="11" text-anchor="end">0</text>',
    ]
    for key, (name, values) in enumerate(series.items()):
        colour = COLOURS.get(name, "#555")
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in enumerate(values))
        parts.append(
            f'<polyline class="series-{escape(name)}" fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        for n, value in enumerate(values):
            label = labels[n] if n < len(labels) else str(n)
            parts.append(
                f'<circle cx="{x(n):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(label)}: {escape(name)} {value:g}{escape(unit)}</title></circle>"
            )
        parts.append(
            f'<text x="{width - PAD_RIGHT - 90 * (key + 1)}" y="14" font-size="11" fill="{colour}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape() above
