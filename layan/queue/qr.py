"""The QR code of a ticket's status page, as a data: URI for an <img> (the CSP allows data: images)."""

import functools

import segno


@functools.lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    # Error level M survives a creased slip; the 4-module quiet zone is kept for cheap phone cameras.
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, omitsize=True)
