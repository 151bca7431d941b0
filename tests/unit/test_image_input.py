"""Tests for the upload pipeline: a corpus of good, odd and bad files made right here."""

import contextlib
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from lessons import image_input
from lessons.image_input import (
    DamagedImageError,
    EmptyFileError,
    FileTooLargeError,
    ImageInputError,
    ImageTooLargeError,
    NotAnImageError,
    PreparedImage,
    UnsupportedFormatError,
    read_image,
)
from lessons.shapes import IMAGE_SIZE

RED, GREEN, BLUE, WHITE = (220, 30, 30), (30, 200, 60), (30, 40, 220), (255, 255, 255)

# --- Making files -------------------------------------------------------------------------


def encode(image, file_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def halves(size, left, right, mode="RGB"):
    """An image whose left half is one colour and right half another."""
    image = Image.new(mode, size, left)
    image.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return image


def noisy_photo(size, seed=0):
    """A smooth picture with some texture: compresses like a photo, not like noise."""
    rng = np.random.default_rng(seed)
    width, height = size
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    channels = [x * 200 + 20, y * 200 + 20, (x + y) * 100 + 20]
    picture = np.stack([np.broadcast_to(c, (height, width)) for c in channels], axis=-1)
    picture = picture + rng.integers(0, 8, size=(1, width, 1))
    return Image.fromarray(picture.astype(np.uint8))


def png_chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_only(width, height):
    """A PNG that claims to be width x height: a decompression bomb as far as open() sees.

    Writing the header by hand makes the file in microseconds; the pipeline must refuse
    it from the header alone, before anything is decoded.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def jpeg_with_orientation(image, orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return encode(image, "JPEG", quality=95, exif=exif)


def animated_gif(colours):
    frames = [Image.new("RGB", (32, 32), colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def palette_png_with_transparency():
    """Left half palette index 0 (transparent), right half index 1 (blue)."""
    image = Image.new("P", (40, 20), 0)
    image.putpalette([0, 0, 0, *BLUE] + [0] * (254 * 3))
    image.paste(1, (20, 0, 40, 20))
    return encode(image, "PNG", transparency=0)


def sixteen_bit_png():
    """A left-to-right ramp over the whole 16-bit range."""
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (64, 1))
    return encode(Image.fromarray(ramp), "PNG")


def pixel(prepared, row, column):
    return tuple(np.round(prepared.model_input[row, column] * 255).astype(int))


def assert_close(colour, expected, tolerance=12):
    assert np.abs(np.subtract(colour, expected)).max() <= tolerance, (colour, expected)


# --- The corpus ---------------------------------------------------------------------------
# Each entry: a name, the bytes, and either the expected error class or None (readable).

CORPUS = {
    "empty file": (b"", EmptyFileError),
    "random bytes": (np.random.default_rng(1).bytes(3000), NotAnImageError),
    "text file named .png": (b"Dear learner, this is a text file.\n" * 20, NotAnImageError),
    "truncated PNG": (encode(noisy_photo((120, 90)), "PNG")[:1500], DamagedImageError),
    "truncated JPEG": (encode(noisy_photo((120, 90)), "JPEG")[:1200], DamagedImageError),
    "PNG signature then garbage": (b"\x89PNG\r\n\x1a\n" + b"\x07" * 200, DamagedImageError),
    "bomb PNG 20000 x 20000": (png_header_only(20000, 20000), ImageTooLargeError),
    "bomb PNG 7000 x 7000": (png_header_only(7000, 7000), ImageTooLargeError),
    "SVG": (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', None),
    "bare SVG": (b'<svg width="10" height="10"><circle r="4"/></svg>', None),
    "TIFF": (encode(Image.new("RGB", (16, 16), RED), "TIFF"), UnsupportedFormatError),
    "PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", UnsupportedFormatError),
    "HEIC": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", UnsupportedFormatError),
    "16-bit PNG": (sixteen_bit_png(), None),
    "CMYK JPEG": (encode(Image.new("CMYK", (32, 32), (0, 255, 255, 0)), "JPEG"), None),
    "palette PNG with transparency": (palette_png_with_transparency(), None),
    "RGBA PNG": (encode(halves((40, 20), (0, 0, 0, 0), (*GREEN, 255), "RGBA"), "PNG"), None),
    "LA PNG": (encode(halves((40, 20), (0, 0), (0, 255), "LA"), "PNG"), None),
    "animated GIF": (animated_gif([RED, BLUE, GREEN]), None),
    "EXIF orientation 6": (jpeg_with_orientation(halves((80, 40), RED, BLUE), 6), None),
    "EXIF orientation 8": (jpeg_with_orientation(halves((80, 40), RED, BLUE), 8), None),
    "1 x 1": (encode(Image.new("RGB", (1, 1), GREEN), "PNG"), None),
    "4000 x 10": (encode(noisy_photo((4000, 10)), "PNG"), None),
    "10 x 4000": (encode(noisy_photo((10, 4000)), "PNG"), None),
    "greyscale": (encode(Image.new("L", (30, 30), 90), "PNG"), None),
    "1-bit BMP": (encode(Image.new("1", (30, 30), 1), "BMP"), None),
    "WebP": (encode(Image.new("RGB", (30, 30), BLUE), "WEBP", lossless=True), None),
    "static GIF": (encode(Image.new("RGB", (30, 30), RED), "GIF"), None),
    "JPEG": (encode(noisy_photo((300, 200)), "JPEG"), None),
}
# SVG is refused as an unsupported format; kept apart above only so the table stays short.
CORPUS["SVG"] = (CORPUS["SVG"][0], UnsupportedFormatError)
CORPUS["bare SVG"] = (CORPUS["bare SVG"][0], UnsupportedFormatError)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_corpus_file_gives_its_expected_outcome(name):
    data, expected_error = CORPUS[name]
    if expected_error is None:
        prepared = read_image(data)
        assert isinstance(prepared, PreparedImage)
        assert prepared.model_input.shape == (IMAGE_SIZE, IMAGE_SIZE, 3)
        assert prepared.model_input.dtype == np.float32
        assert prepared.model_input.min() >= 0.0 and prepared.model_input.max() <= 1.0
        assert prepared.preview.mode == "RGB"
        assert prepared.preview.size == (IMAGE_SIZE, IMAGE_SIZE)
        np.testing.assert_array_equal(
            np.asarray(prepared.preview), np.round(prepared.model_input * 255).astype(np.uint8)
        )
    else:
        with pytest.raises(expected_error) as caught:
            read_image(data)
        # Every message says what to upload instead.
        assert "PNG" in str(caught.value) or "smaller picture" in str(caught.value)


def test_every_error_is_an_image_input_error_and_a_value_error():
    for error_class in (
        EmptyFileError,
        NotAnImageError,
        UnsupportedFormatError,
        ImageTooLargeError,
        FileTooLargeError,
        DamagedImageError,
    ):
        assert issubclass(error_class, ImageInputError)
    assert issubclass(ImageInputError, ValueError)


def test_damaged_variants_of_good_files_raise_only_image_input_errors():
    """Flip, cut and splice bytes of good files of every format: never a raw exception."""
    rng = np.random.default_rng(7)
    good = [CORPUS[name][0] for name in ("JPEG", "WebP", "static GIF", "1-bit BMP", "RGBA PNG")]
    good.append(CORPUS["animated GIF"][0])
    for data in good:
        for _ in range(40):
            damaged = bytearray(data)
            positions = rng.integers(0, len(damaged), size=rng.integers(1, 6))
            for position in positions:
                damaged[position] = int(rng.integers(0, 256))
            cut = int(rng.integers(len(damaged) // 3, len(damaged) + 1))
            with contextlib.suppress(ImageInputError):
                read_image(bytes(damaged[:cut]))


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    with pytest.raises(FileTooLargeError, match="limit is 15 MB"):
        read_image(b"\x89PNG" + b"\x00" * image_input.MAX_FILE_BYTES)


def test_sixteen_bit_png_is_rescaled_not_clipped_to_white():
    prepared = read_image(CORPUS["16-bit PNG"][0])
    grey = prepared.model_input[:, :, 0]
    assert grey.max() < 1.0 or grey.min() < 0.1  # not all white
    assert grey[:, 2].mean() < 0.1 and grey[:, -3].mean() > 0.9
    assert grey[:, 28:36].mean() == pytest.approx(0.5, abs=0.08)
    assert np.all(np.diff(grey[32]) >= -0.02)  # the ramp still rises left to right


def test_cmyk_jpeg_becomes_the_same_colour_in_rgb():
    prepared = read_image(CORPUS["CMYK JPEG"][0])
    assert_close(pixel(prepared, 32, 32), (255, 0, 0), tolerance=20)


def test_palette_transparency_becomes_white():
    prepared = read_image(CORPUS["palette PNG with transparency"][0])
    # 40 x 20 becomes 64 x 32 in the middle rows 16-47; left half transparent.
    assert_close(pixel(prepared, 32, 10), WHITE)
    assert_close(pixel(prepared, 32, 54), BLUE)


def test_rgba_transparency_becomes_white_not_black():
    prepared = read_image(CORPUS["RGBA PNG"][0])
    assert_close(pixel(prepared, 32, 10), WHITE)
    assert_close(pixel(prepared, 32, 54), GREEN)


def test_grey_with_alpha_transparency_becomes_white():
    prepared = read_image(CORPUS["LA PNG"][0])
    assert_close(pixel(prepared, 32, 10), WHITE)
    assert_close(pixel(prepared, 32, 54), (0, 0, 0))


def test_animated_gif_gives_its_first_frame():
    prepared = read_image(CORPUS["animated GIF"][0])
    assert_close(pixel(prepared, 32, 32), RED, tolerance=20)
    assert prepared.format == "GIF"


@pytest.mark.parametrize(
    ("orientation", "top", "bottom"), [(6, RED, BLUE), (8, BLUE, RED)], ids=["tag 6", "tag 8"]
)
def test_exif_orientation_turns_a_wide_photo_upright(orientation, top, bottom):
    # The file is 80 x 40, red on the left and blue on the right. Tag 6 means "turn 90
    # degrees clockwise to view", which brings the left (red) to the top; tag 8 the reverse.
    prepared = read_image(CORPUS[f"EXIF orientation {orientation}"][0])
    assert prepared.original_size == (40, 80)
    assert_close(pixel(prepared, 8, 32), top, tolerance=25)
    assert_close(pixel(prepared, 56, 32), bottom, tolerance=25)
    # Upright it is tall, so it is padded left and right: the middle column is the photo,
    # and the padding is a single flat colour.
    padding = prepared.model_input[:, :10]
    assert np.ptp(padding.reshape(-1, 3), axis=0).max() < 0.02


def test_a_single_pixel_becomes_a_square_of_its_colour():
    prepared = read_image(CORPUS["1 x 1"][0])
    assert prepared.original_size == (1, 1)
    assert np.ptp(prepared.model_input.reshape(-1, 3), axis=0).max() == 0
    assert_close(pixel(prepared, 0, 0), GREEN, tolerance=0)


@pytest.mark.parametrize("name", ["4000 x 10", "10 x 4000"])
def test_a_long_strip_is_padded_not_stretched(name):
    prepared = read_image(CORPUS[name][0])
    picture = prepared.model_input
    if name == "10 x 4000":
        picture = picture.transpose(1, 0, 2)  # look at it as a horizontal strip
    # The strip shrinks to a single row of 64 pixels in the middle, with its gradient;
    # every other row is flat padding. Stretching would put the gradient in every row.
    spread_per_row = np.ptp(picture, axis=1).max(axis=1)
    strip_rows = np.flatnonzero(spread_per_row > 0.02)
    assert strip_rows.tolist() == [IMAGE_SIZE // 2 - 1]
    assert spread_per_row[strip_rows[0]] > 0.5


def test_greyscale_gives_three_equal_channels():
    prepared = read_image(CORPUS["greyscale"][0])
    np.testing.assert_allclose(prepared.model_input, 90 / 255, atol=1e-6)


def test_a_twelve_megapixel_jpeg_is_prepared_with_its_true_size():
    photo = noisy_photo((400, 300)).resize((4000, 3000), Image.Resampling.BILINEAR)
    data = encode(photo, "JPEG", quality=85)
    prepared = read_image(data)
    assert prepared.original_size == (4000, 3000)
    assert prepared.format == "JPEG"
    # 4:3 becomes 64 x 48 in rows 8-55; the gradient runs left to right in red.
    red = prepared.model_input[32, :, 0]
    assert red[60] - red[3] > 0.5


def test_formats_the_course_reads_keep_their_colours():
    for name, expected in (("WebP", BLUE), ("static GIF", RED)):
        prepared = read_image(CORPUS[name][0])
        assert_close(pixel(prepared, 32, 32), expected)
    assert_close(pixel(read_image(CORPUS["1-bit BMP"][0]), 32, 32), WHITE, tolerance=0)


def test_error_messages_tell_the_learner_what_to_do():
    with pytest.raises(NotAnImageError, match="not an image we can read"):
        read_image(b"hello")
    with pytest.raises(UnsupportedFormatError, match="TIFF"):
        read_image(CORPUS["TIFF"][0])
    with pytest.raises(ImageTooLargeError, match="20000 x 20000|too large"):
        read_image(CORPUS["bomb PNG 20000 x 20000"][0])


def test_no_corpus_file_raises_anything_but_an_image_input_error():
    for name, (data, _) in CORPUS.items():
        try:
            read_image(data)
        except ImageInputError:
            continue
        except Exception as error:  # the point is to catch anything else
            pytest.fail(f"{name}: raised {type(error).__name__}, not an ImageInputError")
