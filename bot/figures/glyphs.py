"""An Agg renderer that remembers text work between figures, drawing the same pixels.

Three things come back in every figure and cost far more than drawing them:

- shaping a string (FreeType and libraqm, `FT2Font._layout`: glyphs and their offsets);
- rasterising a glyph (`FT2Font._render_glyph`): the bitmap depends only on the font,
  size, rotation and where the glyph's origin falls *inside* a pixel (1/64 steps), so
  it is kept per sub-pixel phase and moved by whole pixels, which FreeType does exactly;
- a font's ascent, descent and line gap, which `Text._get_layout` looks up through the
  font manager and the font's tables for every text it measures;
- a text's layout (`Text._get_layout`: its box and line offsets around the anchor),
  asked for many times per text and figure (the tick labels, by the layout, the axis
  label and the title placement). It depends only on the string, the font, the
  alignment, the rotation and the dpi, so texts measured by these renderers share one
  table; texts that wrap or turn with their transform, and every other renderer, are
  laid out by matplotlib as before.

Glyphs are then composited exactly as `RendererAgg._draw_text_glyphs_and_boxes` does.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import RenderMode
from matplotlib.text import Text

MAX_STRINGS = 4096  # shaped strings and text layouts, each table
MAX_GLYPHS = 8192  # bitmaps with their keys: about 400 bytes each, ~3 MB at most
# One table each per worker process, shared by its renderers (every key holds the dpi):
# bounded, so a long-running worker's memory stays flat.
_SHAPED: dict[tuple, list] = {}
_GLYPHS: dict[tuple, tuple] = {}
_HEIGHTS: dict[tuple, tuple] = {}
_TEXT_LAYOUTS: dict[tuple, tuple] = {}


class TextCachingRenderer(RendererAgg):
    """RendererAgg with per-string shaping, per-glyph bitmap and per-font metric caches."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        flags = get_hinting_flag()
        key = (s, font_key(prop), self.dpi, flags, _frozen(features), _frozen(language))
        items = _SHAPED.get(key)
        if items is None:
            font = self._prepare_font(prop)
            items = font._layout(s, flags=flags, features=features, language=language)
            if len(_SHAPED) >= MAX_STRINGS:
                _SHAPED.clear()
            _SHAPED[key] = items
        size = prop.get_size_in_points()
        self._draw_glyphs(
            gc, x, y, angle, [(i.ft_object, size, i.glyph_index, i.x, i.y) for i in items]
        )

    def _draw_glyphs(self, gc, x, y, angle, glyphs) -> None:
        """`_draw_text_glyphs_and_boxes` without boxes, each bitmap rendered once per phase."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        flags = get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)  # (2, 2)
        turn = tuple(matrix.ravel())
        for font, size, index, dx, dy in glyphs:  # dy is upwards
            tx = round(0x40 * (x + dx * cos - dy * sin))  # 26.6 fixed point, as Agg's renderer
            ty = round(0x40 * (self.height - y + dx * sin + dy * cos))  # FreeType's y is up
            key = (id(font), size, self.dpi, index, turn, tx % 64, ty % 64, flags, mode)
            hit = _GLYPHS.get(key)
            if hit is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [tx % 64, ty % 64])
                bitmap = font._render_glyph(index, flags, mode)
                buffer = bitmap.buffer
                if mode is RenderMode.MONO:
                    buffer = buffer * 0xFF
                if len(_GLYPHS) >= MAX_GLYPHS:
                    _GLYPHS.clear()
                hit = _GLYPHS[key] = (buffer, bitmap.left, bitmap.top, font)  # font: id stays
            buffer, left, top, _ = hit
            left += tx // 64
            top += ty // 64
            # draw_text_image's y is downwards & the bitmap's bottom side
            self._renderer.draw_text_image(
                buffer, left, int(self.height) - top + buffer.shape[0], 0, gc
            )

    def _get_font_height_metrics(self, prop):
        """Ascent, descent and line gap in pixels, as `Text._get_layout` computes them."""
        key = (font_key(prop), self.dpi)
        hit = _HEIGHTS.get(key)
        if hit is None:
            if len(_HEIGHTS) >= MAX_STRINGS:
                _HEIGHTS.clear()
            hit = _HEIGHTS[key] = _height_metrics(prop, self.dpi)
        return hit


_matplotlib_layout = Text._get_layout


def _remembered_layout(text: Text, renderer):
    """`Text._get_layout`, from the renderer's table when it is a TextCachingRenderer."""
    if (
        not isinstance(renderer, TextCachingRenderer)
        or text.get_wrap()
        or text.get_usetex()
        or text.get_transform_rotates_text()
    ):
        return _matplotlib_layout(text, renderer)
    key = (
        text._text,
        font_key(text._fontproperties),
        text._parse_math,
        text._linespacing,
        text._multialignment,
        text._rotation,
        text._rotation_mode,
        text._horizontalalignment,
        text._verticalalignment,
        text.get_figure(root=True).dpi,
        renderer.dpi,
    )
    hit = _TEXT_LAYOUTS.get(key)
    if hit is None:
        if len(_TEXT_LAYOUTS) >= MAX_STRINGS:
            _TEXT_LAYOUTS.clear()
        hit = _TEXT_LAYOUTS[key] = _matplotlib_layout(text, renderer)
    box, lines, corner = hit
    return box.frozen(), list(lines), corner  # copies: callers may not share our entry


Text._get_layout = _remembered_layout  # other renderers still get matplotlib's own


def _height_metrics(prop, dpi: float) -> tuple:
    """The font-table branch of matplotlib's `Text._get_layout`, the same arithmetic."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    possible = [
        ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
        ("hhea", "lineGap", "ascent", "descent"),
    ]
    for table_name, linegap_key, ascent_key, descent_key in possible:
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return (
            table[ascent_key] * scale,
            -table[descent_key] * scale,
            table[linegap_key] * scale,
        )
    return None, None, None  # matplotlib then measures "lp"


def font_key(prop) -> tuple:
    """The font properties as plain values (a FontProperties object can change later)."""
    return (
        tuple(prop.get_family()),
        prop.get_style(),
        prop.get_variant(),
        prop.get_weight(),
        prop.get_stretch(),
        prop.get_size_in_points(),
        str(prop.get_file()),
        prop.get_math_fontfamily(),
    )


def _frozen(v):
    return tuple(v) if isinstance(v, list) else v
