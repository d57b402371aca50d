"""Paper and grid painted straight into the pixels, before Skia draws the rest of a sketch.

Skia took about a millisecond per 768x768 sketch to stroke the grid: some sixty hairlines across
the whole canvas. Each of them (a ``crispEdges`` stroke under a pixel wide, on a pixel centre, as
``sketch._grid_paths`` writes it) tints exactly one pixel column or row, by the same amount all
along, so every grid pixel takes one of a few colours: paper under a line of one path, under a
column of one path and a row of another, and so on. Skia draws those few colours once on a tiny
canvas (cached per process and grid style), and numpy copies them into the grid's columns and
rows: the same pixels as Skia's, in a fraction of the time. The paper rectangle under the grid is
the colour the pixels start with. Only the grid that follows the paper rectangle is taken, and
only when the picture is drawn at the SVG's own size (one user unit per pixel); anything else
stays in the SVG for Skia to draw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np

_PAPER_RECT = re.compile(r'<rect x="0" y="0" width="(\d+)" height="(\d+)" fill="(#[0-9a-f]{6})" />\n')
_GRID_PATH = re.compile(r'<path d="([^"]*)"( stroke="#[0-9a-f]{6}" stroke-width="0?\.\d+" fill="none" '
                        r'shape-rendering="crispEdges" />)\n')
_LINE = re.compile(r"M(\d+)\.5 0V(\d+)|M0 (\d+)\.5H(\d+)")
_VIEW_BOX = re.compile(r'<svg\b[^>]*\sviewBox="0 0 (\d+) (\d+)"')

Draw = Callable[[str, np.ndarray], np.ndarray]
"""Skia's drawing of an SVG onto opaque BGRA pixels (``sketch_raster.rasterise``)."""


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#fbfaf4"`` -> (251, 250, 244)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def blank(width: int, height: int, colour: str) -> np.ndarray:
    """Opaque BGRA pixels (height x width x 4, Skia's order) of one colour, as Skia's ``clear`` leaves them."""
    pixels = np.empty((height, width, 4), dtype=np.uint8)
    pixels.view(np.uint32).fill(np.array([*rgb(colour)[::-1], 255], dtype=np.uint8).view(np.uint32)[0])
    return pixels


def paper_pixels(svg: str, width: int, height: int, paper: str, draw: Draw) -> tuple[np.ndarray, str]:
    """Opaque BGRA pixels (height x width x 4) of ``paper`` with the sketch's grid painted in, and
    the SVG left for Skia to draw on them (without its paper and grid). When the paper and grid
    are not the first things drawn at one unit per pixel: plain paper and ``svg`` as it was."""
    view_box, rect = _VIEW_BOX.search(svg), _PAPER_RECT.search(svg)
    if (view_box is None or rect is None or view_box.groups() != (str(width), str(height))
            or rect.groups() != (str(width), str(height), paper) or "<path" in svg[:rect.start()]):
        return blank(width, height, paper), svg
    styles, lines, done = [], [], rect.end()
    while (path := _GRID_PATH.match(svg, done)) is not None and (found := _lines(path.group(1), width, height)):
        styles.append(path.group(2))
        lines.append(found)
        done = path.end()
    column_style, row_style = np.zeros(width, dtype=np.intp), np.zeros(height, dtype=np.intp)
    for number, (columns, rows) in enumerate(lines, start=1):
        if column_style[columns].any() or row_style[rows].any():
            return blank(width, height, paper), svg  # a column or row of two paths: Skia draws the grid
        column_style[columns], row_style[rows] = number, number
    colours = _grid_colours(paper, tuple(styles), draw)
    row_kinds = colours[:, column_style].view(np.uint32)[:, :, 0]  # one row of pixels per row style
    pixels = np.take(row_kinds, row_style, axis=0)  # twice as fast as row_kinds[row_style]
    return pixels.view(np.uint8).reshape(height, width, 4), svg[:rect.start()] + svg[done:]


def _lines(d: str, width: int, height: int) -> tuple[list[int], list[int]] | None:
    """Columns and rows of path data made only of full-length lines on pixel centres; None otherwise."""
    lines = list(_LINE.finditer(d))
    if not lines or "".join(line.group(0) for line in lines) != d:
        return None
    columns = [int(line.group(1)) for line in lines if line.group(1) is not None and int(line.group(2)) == height]
    rows = [int(line.group(3)) for line in lines if line.group(3) is not None and int(line.group(4)) == width]
    if len(columns) + len(rows) != len(lines) or max(columns, default=0) >= width or max(rows, default=0) >= height:
        return None
    if len(set(columns)) != len(columns) or len(set(rows)) != len(rows):
        return None
    return columns, rows


@lru_cache(maxsize=16)
def _grid_colours(paper: str, styles: tuple[str, ...], draw: Draw) -> np.ndarray:
    """``colours[row style, column style]`` (0 for none, else the path's number): the BGRA Skia gives a
    pixel under those lines, read from a tiny canvas where column and row ``k`` are path ``k``'s."""
    side = len(styles) + 1
    paths = "".join(f'<path d="M{k}.5 0V{side}M0 {k}.5H{side}"{style}\n' for k, style in enumerate(styles, start=1))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" '
           f'viewBox="0 0 {side} {side}">\n{paths}</svg>')
    colours = draw(svg, blank(side, side, paper)).copy()
    colours.flags.writeable = False
    return colours
