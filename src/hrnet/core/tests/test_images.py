"""Pictures redrawn from their pixels: no EXIF or GPS, a photo taken on its side upright."""

from __future__ import annotations

import io

from PIL import Image

from hrnet.core.images import image_has_metadata, image_without_metadata


def _photo(orientation: int = 1) -> io.BytesIO:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x8825] = {1: "N", 2: (47.0, 1.0, 0.0)}  # GPSInfo
    Image.new("RGB", (60, 40), "teal").save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    return buffer


def test_the_location_goes_and_a_sideways_photo_is_turned_upright() -> None:
    photo = _photo(orientation=6)  # taken with the phone on its side

    clean = image_without_metadata(photo, name="photo.jpg")

    with Image.open(clean) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert image.size == (40, 60)
    assert image_has_metadata(photo)
    assert not image_has_metadata(clean)


def test_png_transparency_and_palette_stay() -> None:
    buffer = io.BytesIO()
    picture = Image.new("P", (8, 8), 1)
    picture.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    picture.save(buffer, "PNG", transparency=0)
    buffer.seek(0)

    clean = image_without_metadata(buffer, name="logo.png")

    with Image.open(clean) as image:
        assert image.mode == "P"
        assert image.info.get("transparency") == 0
        assert image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
