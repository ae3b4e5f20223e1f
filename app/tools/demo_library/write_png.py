"""PNG writer (Pillow): the one image of the library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.tools.demo_library.common import CORAL, NAVY, SAND, SLATE, TEAL

# --------------------------------------------------------------------------- PNG


def build_png(path: Path) -> None:
    from PIL import Image, ImageDraw, ImageFont

    def font(size: int) -> Any:
        try:
            return ImageFont.load_default(size=size)
        except TypeError:  # Pillow < 10.1
            return ImageFont.load_default()

    def c(hexstr: str) -> tuple[int, int, int]:
        return tuple(int(hexstr[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]

    img = Image.new("RGB", (1200, 675), c(SAND))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 1200, 90), fill=c(NAVY))
    d.rectangle((0, 90, 1200, 98), fill=c(TEAL))
    d.ellipse((40, 22, 86, 68), fill=(255, 255, 255))
    d.ellipse((52, 34, 74, 56), fill=c(TEAL))
    d.text((104, 28), "NORTHWIND MEDICAL  |  VitalWatch product family", font=font(30),
           fill=(255, 255, 255))
    # VitalWatch V3 bedside monitor
    d.rounded_rectangle((90, 170, 470, 440), radius=22, fill=c(NAVY))
    d.rectangle((115, 195, 445, 390), fill=(14, 26, 40))
    wave = [(125 + i * 10, 300 - (40 if i % 8 == 4 else (-25 if i % 8 == 5 else 0)))
            for i in range(32)]
    d.line(wave, fill=c(TEAL), width=4)
    d.text((130, 205), "HR 72   SpO2 97%", font=font(24), fill=c(TEAL))
    d.rectangle((250, 440, 310, 500), fill=c(SLATE))
    d.rounded_rectangle((180, 500, 380, 520), radius=8, fill=c(SLATE))
    d.text((90, 560), "VitalWatch V3", font=font(30), fill=c(NAVY))
    d.text((90, 600), "Bedside monitor for wards and step-down units", font=font(18),
           fill=c(SLATE))
    # VitalWatch Go wearable
    d.rounded_rectangle((600, 250, 760, 420), radius=60, fill=(255, 255, 255),
                        outline=c(TEAL), width=8)
    d.ellipse((650, 305, 710, 365), fill=c(CORAL))
    d.text((560, 560), "VitalWatch Go", font=font(30), fill=c(NAVY))
    d.text((560, 600), "Wearable sensor, 7-day battery", font=font(18), fill=c(SLATE))
    # CareCloud
    d.ellipse((880, 230, 1010, 340), fill=c(TEAL))
    d.ellipse((960, 200, 1110, 330), fill=c(TEAL))
    d.rectangle((920, 290, 1080, 340), fill=c(TEAL))
    d.rounded_rectangle((930, 360, 1060, 450), radius=10, fill=c(NAVY))
    d.text((880, 560), "CareCloud", font=font(30), fill=c(NAVY))
    d.text((880, 600), "Central station, alerts, insights", font=font(18), fill=c(SLATE))
    img.save(path, format="PNG", optimize=True)
