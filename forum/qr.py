"""The check-in link as a QR code, drawn server-side as SVG (qrcode, pure Python): no
script, no image from elsewhere, so the CSP stays as it is."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")
