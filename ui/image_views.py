"""Drawing what an image model sees: the 64 x 64 input, enlarged, with boxes on it."""

from html import escape

from PIL import Image, ImageDraw

from ui import palette

ENLARGED_SIDE = 256


def enlarged(preview: Image.Image, side: int = ENLARGED_SIDE) -> Image.Image:
    """The model's input blown up with hard pixel edges, so the learner sees its coarseness."""
    return preview.convert("RGB").resize((side, side), Image.Resampling.NEAREST)


def draw_boxes(picture: Image.Image, boxes: list[tuple], width: int = 3) -> Image.Image:
    """Draw normalised (x0, y0, x1, y1) boxes, each as (box, colour, dashed)."""
    canvas = picture.copy()
    pen = ImageDraw.Draw(canvas)
    side_x, side_y = canvas.size
    for box, colour, dashed in boxes:
        x0, y0, x1, y1 = (float(v) for v in box)
        corners = (x0 * side_x, y0 * side_y, x1 * side_x - 1, y1 * side_y - 1)
        if dashed:
            _dashed_rectangle(pen, corners, colour, width)
        else:
            pen.rectangle(corners, outline=colour, width=width)
    return canvas


def _dashed_rectangle(pen: ImageDraw.ImageDraw, corners, colour: str, width: int) -> None:
    left, top, right, bottom = corners
    dash = 8
    for start in range(int(left), int(right), dash * 2):
        end = min(start + dash, right)
        pen.line([(start, top), (end, top)], fill=colour, width=width)
        pen.line([(start, bottom), (end, bottom)], fill=colour, width=width)
    for start in range(int(top), int(bottom), dash * 2):
        end = min(start + dash, bottom)
        pen.line([(left, start), (left, end)], fill=colour, width=width)
        pen.line([(right, start), (right, end)], fill=colour, width=width)


PREDICTED_BOX_COLOUR = palette.VERMILLION


def markdown_safe(text: str) -> str:
    """Text from a learner (a file name) made inert for st.markdown: no HTML, no formatting."""
    escaped = escape(text, quote=False)
    for character in "\\`*_{}[]()#+-.!|~>$:":
        escaped = escaped.replace(character, "\\" + character)
    return escaped
