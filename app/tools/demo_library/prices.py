"""Prices shared by the pricing deck, the price lists and the ROI calculator."""

from __future__ import annotations

# --------------------------------------------------------------------------- prices
# Shared by the pricing deck, the price list workbook and the ROI calculator.

REGIONS = ("DACH", "Nordics", "UK&I", "North America")
CURRENCY = {"DACH": "EUR", "Nordics": "EUR", "UK&I": "GBP", "North America": "USD"}

# code, description, unit, DACH, Nordics, UK&I, North America
PRICES_2026: list[tuple[str, str, str, int, int, int, int]] = [
    ("VW3-BASE", "VitalWatch V3 bedside monitor (ECG, SpO2, NIBP, resp, temp)", "each",
     6900, 7150, 6050, 7600),
    ("VW3-CO2", "Sidestream EtCO2 module", "each", 1450, 1500, 1270, 1600),
    ("VW3-IBP", "Invasive pressure module, 2 channels", "each", 980, 1010, 860, 1080),
    ("VW3-RAIL", "Rail and wall mount kit", "each", 240, 250, 210, 265),
    ("VWG-SENSOR", "VitalWatch Go wearable sensor", "each", 420, 440, 370, 460),
    ("VWG-HUB", "VitalWatch Go home hub with 4G", "each", 160, 165, 140, 175),
    ("VWG-DOCK", "VitalWatch Go 8-bay charging dock", "each", 890, 920, 780, 980),
    ("CC-CORE", "CareCloud Core", "per monitored bed per month", 29, 30, 25, 32),
    ("CC-PRO", "CareCloud Professional", "per monitored bed per month", 39, 41, 34, 43),
    ("CC-ENT", "CareCloud Enterprise", "per monitored bed per month", 52, 54, 45, 57),
    ("CC-ELDER", "CareCloud Elder", "per resident per month", 24, 25, 21, 26),
    ("CC-REMOTE", "CareCloud Remote", "per enrolled patient per month", 45, 47, 39, 49),
    ("CC-INS", "CareCloud Insights add-on", "per monitored bed per month", 9, 9, 8, 10),
    ("SVC-IMPL", "Implementation package", "per ward", 4500, 4700, 3900, 5000),
    ("SVC-TRAIN", "On-site training day", "per day", 1600, 1650, 1400, 1750),
    ("VW3-EXT7", "Warranty extension (years 4-7)", "per monitor per year", 520, 540, 455, 575),
]

# 2025 list (first release of the price list): no Nordics column yet.
PRICES_2025: list[tuple[str, str, str, int, int, int]] = [
    ("VW3-BASE", "VitalWatch V3 bedside monitor (ECG, SpO2, NIBP, resp, temp)", "each",
     6650, 5850, 7350),
    ("VW3-CO2", "Sidestream EtCO2 module", "each", 1400, 1230, 1550),
    ("VW3-IBP", "Invasive pressure module, 2 channels", "each", 950, 830, 1040),
    ("VW3-RAIL", "Rail and wall mount kit", "each", 230, 200, 255),
    ("VWG-SENSOR", "VitalWatch Go wearable sensor", "each", 399, 350, 440),
    ("VWG-HUB", "VitalWatch Go home hub with 4G", "each", 155, 135, 170),
    ("VWG-DOCK", "VitalWatch Go 8-bay charging dock", "each", 860, 750, 950),
    ("CC-CORE", "CareCloud Core", "per monitored bed per month", 28, 24, 31),
    ("CC-PRO", "CareCloud Professional", "per monitored bed per month", 37, 33, 41),
    ("CC-ENT", "CareCloud Enterprise", "per monitored bed per month", 49, 43, 54),
    ("CC-ELDER", "CareCloud Elder", "per resident per month", 23, 20, 25),
    ("CC-REMOTE", "CareCloud Remote", "per enrolled patient per month", 43, 38, 47),
    ("CC-INS", "CareCloud Insights add-on", "per monitored bed per month", 9, 8, 10),
    ("SVC-IMPL", "Implementation package", "per ward", 4300, 3750, 4800),
    ("SVC-TRAIN", "On-site training day", "per day", 1550, 1350, 1700),
    ("VW3-EXT7", "Warranty extension (years 4-7)", "per monitor per year", 500, 440, 555),
]


def price(code: str, region: str = "DACH") -> int:
    for row in PRICES_2026:
        if row[0] == code:
            return int(row[3 + REGIONS.index(region)])
    raise KeyError(code)


def money(value: float, cur: str = "EUR") -> str:
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}[cur]
    return f"{symbol}{value:,.0f}"


def reference_deal() -> tuple[list[list[str]], int, int]:
    """The 400-bed DACH reference deal shown on slide 7 of the pricing deck."""
    lines = [("VitalWatch V3 monitors", "VW3-BASE", 240, 1),
             ("VitalWatch Go sensors (transport)", "VWG-SENSOR", 160, 1),
             ("Charging docks", "VWG-DOCK", 20, 1),
             ("Implementation, 12 wards", "SVC-IMPL", 12, 1),
             ("CareCloud Professional, 240 beds, first year", "CC-PRO", 240, 12)]
    rows = [["Line item", "Qty", "List", "Net (-10%)"]]
    one_time = recurring = 0
    for label, code, qty, months in lines:
        list_total = price(code) * qty * months
        net = round(list_total * 0.9)
        rows.append([label, str(qty), money(list_total), money(net)])
        if code == "CC-PRO":
            recurring += net
        else:
            one_time += net
    return rows, one_time, recurring
