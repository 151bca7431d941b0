"""Turn any file a learner uploads into the input the image models expect, or a clear error.

`read_image(data)` takes the raw bytes of an upload and returns a `PreparedImage`: a float32
array (IMAGE_SIZE, IMAGE_SIZE, 3) in [0, 1] for the model, and the same square as an RGB
PIL image for the page to show. Every way a file can fail raises a subclass of
`ImageInputError` (itself a ValueError) whose message tells the learner what went wrong and
what to upload instead; nothing else escapes.

The steps, in order, and why:
1. Size: empty input and files over MAX_FILE_BYTES are refused before decoding.
2. Decode with a whitelist (ACCEPTED_FORMATS): the bytes decide the format, never the file
   name. Known formats we do not read (TIFF, SVG, HEIC, PDF, ...) get their own message.
3. Decompression bombs: Pillow checks the pixel count from the header alone, at open. This
   module lowers Pillow's process-wide limit to MAX_IMAGE_PIXELS (40 megapixels: a 12 MP
   phone photo passes, a 20000 x 20000 trap does not) and turns Pillow's warning into an
   error, so no huge image is ever decoded.
4. Speed: big JPEGs are decoded at 1/2, 1/4 or 1/8 scale straight from the file
   (`Image.draft`), which is several times faster than decoding every pixel and then
   throwing most of them away.
5. Damage: a truncated file opens but fails while loading; that and any other decoder
   failure becomes DamagedImageError.
6. Orientation: phone photos are turned upright from their EXIF tag.
7. Colours: the first frame of an animation; transparency composited on white (converting
   RGBA straight to RGB would turn transparent pixels black); 16-bit and floating-point
   images rescaled to 0-255 (a plain conversion clips them to white); CMYK, palette and
   greyscale converted to RGB.
8. Shape: the image is shrunk so its longer side is IMAGE_SIZE and then padded to a square,
   never stretched, so a 4000 x 10 strip stays a strip. The padding takes the average
   colour of the image's outermost pixels, because the shapes world draws shapes on
   backgrounds that run to the edge: extending the picture's own border reads as more
   background, where a white band could read as an extra edge or shape.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from lessons.shapes import IMAGE_SIZE

ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
# The same limit as Streamlit's upload limit (server.maxUploadSize in .streamlit/config.toml),
# so the command line refuses exactly what the app refuses.
MAX_FILE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
# Big JPEGs are decoded at a reduced scale that still leaves at least this many pixels on
# each side, so that shrinking to IMAGE_SIZE afterwards can average away the noise.
DRAFT_SIDE = 4 * IMAGE_SIZE

# Pillow reads this process-wide limit at open(); lowering it protects every caller.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

WHAT_TO_UPLOAD = "Upload a PNG, JPEG, WebP, GIF or BMP file."


class ImageInputError(ValueError):
    """A file could not be turned into model input. The message is meant for the learner."""


class EmptyFileError(ImageInputError):
    def __init__(self) -> None:
        super().__init__(f"The file is empty: there is no picture in it. {WHAT_TO_UPLOAD}")


class FileTooLargeError(ImageInputError):
    def __init__(self, size_bytes: int) -> None:
        super().__init__(
            f"The file is {size_bytes / 2**20:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 2**20} MB. Upload a smaller picture, for example a "
            "screenshot or a photo saved at a lower resolution."
        )


class ImageTooLargeError(ImageInputError):
    def __init__(self, size: tuple[int, int] | None = None) -> None:
        dimensions = f" ({size[0]} x {size[1]} pixels)" if size else ""
        super().__init__(
            f"The picture is too large to open safely{dimensions}; the limit is "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels. Upload a smaller picture, "
            "for example a phone photo or a screenshot."
        )


class NotAnImageError(ImageInputError):
    def __init__(self) -> None:
        super().__init__(f"This file is not an image we can read. {WHAT_TO_UPLOAD}")


class UnsupportedFormatError(ImageInputError):
    def __init__(self, format_name: str) -> None:
        super().__init__(
            f"This looks like a {format_name} file, which this course does not read. "
            f"Save or export it as PNG or JPEG and upload that. {WHAT_TO_UPLOAD}"
        )


class DamagedImageError(ImageInputError):
    def __init__(self) -> None:
        super().__init__(
            "The image file is damaged or cut short, so it cannot be decoded. Save the "
            f"picture again, or try another one. {WHAT_TO_UPLOAD}"
        )


@dataclass(frozen=True)
class PreparedImage:
    """An upload made ready for the models.

    model_input: float32 (IMAGE_SIZE, IMAGE_SIZE, 3) in [0, 1].
    preview: the same square as an RGB PIL image: exactly what the model sees.
    original_size: (width, height) of the upload, upright (after EXIF orientation).
    format: the format Pillow found in the bytes, e.g. "PNG".
    """

    model_input: np.ndarray
    preview: Image.Image
    original_size: tuple[int, int]
    format: str


# The first bytes of the formats we read: a file that starts like one of them but will not
# open is a damaged image, not "not an image".
ACCEPTED_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")

# Formats people often try that we deliberately do not decode, recognised by their first
# bytes so the learner hears "that is a TIFF" rather than "that is not an image".
KNOWN_OTHER_FORMATS = (
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"\x00\x00\x01\x00", "Windows icon (ICO)"),
)
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def read_image(data: bytes) -> PreparedImage:
    """Decode an uploaded file and prepare it for the models. Raises ImageInputError."""
    if not data:
        raise EmptyFileError()
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(len(data))
    image = _open_safely(data)
    file_format = image.format or "unknown"
    stored_size = image.size  # before draft() shrinks a JPEG
    decoded_size, upright = _decode(image)
    # EXIF orientation may have turned the picture a quarter: report its upright size.
    turned = upright.size != decoded_size
    original_size = stored_size[::-1] if turned else stored_size
    square = _shrink_and_pad(_to_rgb(upright))
    model_input = np.asarray(square, dtype=np.float32) / 255.0
    return PreparedImage(
        model_input=model_input,
        preview=square,
        original_size=original_size,
        format=file_format,
    )


def _open_safely(data: bytes) -> Image.Image:
    """Open with the format whitelist and the decompression-bomb check as an error."""
    # catch_warnings swaps the process-wide filter list, so with several learners' threads
    # another thread may briefly see this filter too; that only makes it stricter. The
    # explicit size check below protects even if the filter is lost in such a race.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ImageTooLargeError() from error
        except UnidentifiedImageError as error:
            raise _why_unreadable(data) from error
        except Exception as error:
            # A header can be broken in many ways, and Pillow's plugins report them with
            # many exception types; to the learner each one means the same thing.
            raise DamagedImageError() from error
    # The same limit again, in case anyone loosened Pillow's global setting after import.
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageTooLargeError(image.size)
    return image


def _why_unreadable(data: bytes) -> ImageInputError:
    """Tell a damaged image, a format we do not read, and something else apart."""
    if data.startswith(ACCEPTED_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return DamagedImageError()
    for signature, name in KNOWN_OTHER_FORMATS:
        if data.startswith(signature):
            return UnsupportedFormatError(name)
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return UnsupportedFormatError("HEIC or AVIF")
    start = data[:1024].lstrip().lower()
    if start.startswith(b"<svg") or (start.startswith(b"<?xml") and b"<svg" in start):
        return UnsupportedFormatError("SVG (vector drawing)")
    return NotAnImageError()


def _decode(image: Image.Image) -> tuple[tuple[int, int], Image.Image]:
    """Load the pixels (reduced for big JPEGs), first frame only, turned upright.

    Returns the size as decoded (before turning) and the upright image.
    """
    try:
        if image.format == "JPEG":
            image.draft(None, (DRAFT_SIDE, DRAFT_SIDE))
        # An animation opens on its first frame; load() decodes only that one.
        image.load()
        return image.size, ImageOps.exif_transpose(image)
    except Exception as error:
        # Truncated files raise OSError here; malformed ones raise ValueError, SyntaxError,
        # struct.error and more. To the learner all of them mean the file is damaged.
        raise DamagedImageError() from error


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to 8-bit RGB, with transparency composited on white."""
    if image.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        image = _rescale_to_8_bit(image)
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def _rescale_to_8_bit(image: Image.Image) -> Image.Image:
    """16-bit and 32-bit integer or float pixels mapped to 0-255 greyscale.

    16-bit images use their full 0-65535 range, so a dark photo stays dark. Other integer
    and float images are mapped from their own darkest to brightest pixel, because their
    range depends on whoever made the file (floats in 0-1, counts in the thousands, ...).
    """
    values = np.asarray(image, dtype=np.float64)
    if image.mode.startswith("I;16") or (
        image.mode == "I" and values.min() >= 0 and values.max() <= 65535
    ):
        low, high = 0.0, 65535.0
    elif image.mode == "F" and values.min() >= 0 and values.max() <= 1:
        low, high = 0.0, 1.0
    else:
        low, high = float(values.min()), float(values.max())
    scaled = (values - low) / max(high - low, 1e-12) * 255
    return Image.fromarray(np.clip(np.round(scaled), 0, 255).astype(np.uint8), mode="L")


def _shrink_and_pad(image: Image.Image) -> Image.Image:
    """Shrink so the longer side is IMAGE_SIZE, then pad to a square with the border colour."""
    width, height = image.size
    scale = IMAGE_SIZE / max(width, height)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # reducing_gap shrinks in a fast integer step first; the result is visually the same.
    shrunk = image.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    square = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), _border_colour(shrunk))
    corner = ((IMAGE_SIZE - new_size[0]) // 2, (IMAGE_SIZE - new_size[1]) // 2)
    square.paste(shrunk, corner)
    return square


def _border_colour(image: Image.Image) -> tuple[int, int, int]:
    """The average colour of the outermost ring of pixels."""
    pixels = np.asarray(image, dtype=np.float64)
    ring = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    return tuple(int(round(channel)) for channel in ring.mean(axis=0))
