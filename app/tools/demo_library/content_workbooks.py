"""Content: price lists, ROI calculator, feature matrix, tracker (XLSX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import Props
from app.tools.demo_library.prices import CURRENCY, PRICES_2025, PRICES_2026, REGIONS, price
from app.tools.demo_library.write_xlsx import Sheet, build_xlsx

# --------------------------------------------------------------------------- workbooks


def _region_sheet(region: str, year: int, rows: Iterable[tuple[Any, ...]], col: int) -> Sheet:
    cur = CURRENCY[region]
    tax = "sales tax" if region == "North America" else "VAT"
    data: list[list[Any]] = [
        [f"{region} list prices {year} ({cur}, excluding {tax})"],
        [f"Valid for quotes issued from 1 January {year}. Quote in {cur}."],
        ["Code", "Description", "Unit", f"List price ({cur})", "Notes"],
    ]
    for row in rows:
        note = ""
        if row[0].startswith("CC-"):
            note = "Billed annually in advance; minimum term 12 months"
        elif row[0] == "VWG-SENSOR":
            note = "Replacement straps sold in packs of 10 (VWG-STRAP)"
        elif row[0] == "SVC-IMPL":
            note = "Includes two weeks of hypercare per ward"
        data.append([row[0], row[1], row[2], row[col], note])
    return Sheet(region, data, widths=(13, 58, 30, 16, 48), header_row=3, title_rows=2,
                 formats={"D": "#,##0"}, freeze="A4")


def xlsx_price_list(path: Path) -> None:
    readme = Sheet("Read me", [
        ["Northwind Medical price list 2026"],
        ["Deal desk, version 2, January 2026"],
        [],
        ["Topic", "Details"],
        ["Validity", "Quotes issued from 1 January 2026 until replaced by a newer version."],
        ["Currencies", "DACH and Nordics in EUR, UK&I in GBP, North America in USD. Nordic "
                       "orders may be invoiced in SEK, NOK or DKK at the deal desk's monthly "
                       "rate."],
        ["Sheets", "One sheet per region with list prices; discounts and approvals on the "
                   "Discounts sheet."],
        ["What changed", "List prices up 3-4% on 2025; new Nordics sheet; new 500+ volume band; "
                         "Nordic regional framework discount."],
        ["Questions", "dealdesk@northwind-medical.example"],
    ], widths=(16, 100), header_row=4, title_rows=2)
    sheets = [readme] + [_region_sheet(r, 2026, PRICES_2026, 3 + i)
                         for i, r in enumerate(REGIONS)]
    sheets.append(Sheet("Discounts", [
        ["Discounts and approvals 2026"],
        ["Discounts apply to list prices; volume and term discounts stack, framework "
         "discounts do not."],
        ["Discount type", "Condition", "Discount", "Applies to", "Notes"],
        ["Volume band", "1-49 monitored beds or residents", 0, "Devices and subscription", ""],
        ["Volume band", "50-199 monitored beds or residents", 0.05, "Devices and subscription",
         ""],
        ["Volume band", "200-499 monitored beds or residents", 0.10, "Devices and subscription",
         ""],
        ["Volume band", "500 or more monitored beds or residents", 0.14,
         "Devices and subscription", "New in 2026"],
        ["Term", "3-year subscription commitment", 0.04, "Subscription only", ""],
        ["Term", "5-year subscription commitment", 0.07, "Subscription only", ""],
        ["Nordic framework discount", "Order placed under a Nordic regional framework agreement",
         0.08, "Devices and subscription",
         "Fixed; replaces volume bands; new in 2026"],  # FACT
        ["UK&I public framework", "Order placed under a UK or Irish public-sector framework",
         None, "As per framework schedule", "Ask the bid team for the schedule"],
        [],
        ["Approval level", "Total discount up to", "", "", ""],
        ["Account executive", 0.10, "", "", ""],
        ["Regional sales director", 0.18, "", "", ""],
        ["VP Sales with deal desk", 0.25, "", "", ""],
        ["CFO", "above 25%", "", "", ""],
    ], widths=(26, 52, 12, 26, 42), header_row=3, title_rows=2,
        formats={"C": "0%", "B": "0%"}))
    build_xlsx(path, sheets, Props(title="Northwind Medical price list 2026",
                                   author="Northwind Deal Desk", subject="Price list",
                                   modified=dt.datetime(2026, 1, 5, 8, 0)))


def xlsx_price_list_2025(path: Path) -> None:
    regions_2025 = ("DACH", "UK&I", "North America")
    readme = Sheet("Read me", [
        ["Northwind Medical price list 2025"],
        ["Deal desk, version 1, January 2025"],
        [],
        ["Topic", "Details"],
        ["Validity", "Quotes issued from 1 January 2025 until replaced by a newer version."],
        ["Currencies", "DACH in EUR, UK&I in GBP, North America in USD. Nordic customers are "
                       "quoted from the DACH sheet in EUR."],
        ["Sheets", "One sheet per region with list prices; discounts and approvals on the "
                   "Discounts sheet."],
        ["Questions", "dealdesk@northwind-medical.example"],
    ], widths=(16, 100), header_row=4, title_rows=2)
    sheets = [readme] + [_region_sheet(r, 2025, PRICES_2025, 3 + i)
                         for i, r in enumerate(regions_2025)]
    sheets.append(Sheet("Discounts", [
        ["Discounts and approvals 2025"],
        ["Discounts apply to list prices; volume and term discounts stack."],
        ["Discount type", "Condition", "Discount", "Applies to", "Notes"],
        ["Volume band", "1-49 monitored beds or residents", 0, "Devices and subscription", ""],
        ["Volume band", "50-199 monitored beds or residents", 0.05, "Devices and subscription",
         ""],
        ["Volume band", "200 or more monitored beds or residents", 0.10,
         "Devices and subscription", ""],
        ["Term", "3-year subscription commitment", 0.04, "Subscription only", ""],
        ["Term", "5-year subscription commitment", 0.07, "Subscription only", ""],
        [],
        ["Approval level", "Total discount up to", "", "", ""],
        ["Account executive", 0.10, "", "", ""],
        ["Regional sales director", 0.18, "", "", ""],
        ["VP Sales with deal desk", 0.25, "", "", ""],
        ["CFO", "above 25%", "", "", ""],
    ], widths=(26, 52, 12, 26, 42), header_row=3, title_rows=2,
        formats={"C": "0%", "B": "0%"}))
    build_xlsx(path, sheets, Props(title="Northwind Medical price list 2025",
                                   author="Northwind Deal Desk", subject="Price list",
                                   created=dt.datetime(2024, 12, 2, 8, 0),
                                   modified=dt.datetime(2025, 1, 6, 8, 0)))


# ROI calculator defaults, mirrored in Python so the worked example is exact.
ROI_INPUTS: list[tuple[str, Any, str]] = [  # label, value, number format
    ("Hospital or site name", "[Your hospital]", "@"),
    ("Monitored beds", 240, "#,##0"),
    ("Wards", 12, "#,##0"),
    ("Nurses per ward and shift", 5, "#,##0"),
    ("Shifts per day", 3, "#,##0"),
    ("Fully loaded nurse cost per hour (EUR)", 48, "#,##0"),
    ("Unplanned ICU transfers per year from these wards", 180, "#,##0"),
    ("Cost of one unplanned ICU transfer (EUR)", 9500, "#,##0"),
    ("Current maintenance cost of monitors and central stations per year (EUR)", 210000,
     "#,##0"),
    ("VitalWatch Go sensors", 160, "#,##0"),
]
ROI_ASSUMPTIONS: list[tuple[str, Any, str]] = [  # label, value, source
    ("Nurse minutes saved per nurse and shift", 12,
     "Conservative; Klinikum Sankt Anna measured 26 minutes"),
    ("Share of time savings counted as cashable", 0.6, "Finance convention; adjust with the CFO"),
    ("Reduction in unplanned ICU transfers", 0.18, "Klinikum Sankt Anna, 12 months"),
    ("Share of current maintenance cost avoided", 1.0, "Old contract ends at go-live"),
    ("VitalWatch V3 list price per monitor (EUR)", price("VW3-BASE"), "Price list 2026, DACH"),
    ("VitalWatch Go list price per sensor (EUR)", price("VWG-SENSOR"), "Price list 2026, DACH"),
    ("Implementation per ward (EUR)", price("SVC-IMPL"), "Price list 2026, DACH"),
    ("CareCloud Professional per bed and month (EUR)", price("CC-PRO"), "Price list 2026, DACH"),
]


def roi_example() -> dict[str, float]:
    vals = [v for _, v, _ in ROI_INPUTS]
    asm = [v for _, v, _ in ROI_ASSUMPTIONS]
    beds, wards, nurses, shifts, cost, icu, icu_cost, maint, sensors = vals[1:]
    minutes, cashable, icu_red, maint_share, p_mon, p_go, p_impl, p_cc = asm
    hours = wards * nurses * shifts * 365 * minutes / 60
    nurse_value = hours * cost * cashable
    icu_value = icu * icu_red * icu_cost
    maint_value = maint * maint_share
    benefit = nurse_value + icu_value + maint_value
    invest = beds * p_mon + sensors * p_go + wards * p_impl
    subscription = beds * p_cc * 12
    net = benefit - subscription
    return {"hours": hours, "benefit": benefit, "invest": invest, "subscription": subscription,
            "net": net, "payback": invest / net * 12, "five_year": 5 * net - invest}


def xlsx_roi(path: Path) -> None:
    inputs = Sheet("Inputs", [
        ["ROI calculator: VitalWatch and CareCloud for hospitals"],
        ["Enter the customer's numbers in the yellow cells. All amounts in EUR."],
        ["Input", "Value"],
        *[[label, value] for label, value, _ in ROI_INPUTS],
    ], widths=(70, 18), header_row=3, title_rows=2, formats={"B": "#,##0"},
        input_cells=[f"B{r}" for r in range(4, 4 + len(ROI_INPUTS))])
    # Inputs rows: B4 name, B5 beds, B6 wards, B7 nurses, B8 shifts, B9 cost, B10 icu,
    # B11 icu cost, B12 maintenance, B13 sensors. Assumptions rows B4..B11.
    ex = roi_example()
    results = Sheet("Results", [
        ["Results"],
        ["Calculated from the Inputs and Assumptions sheets; do not edit this sheet."],
        ["Measure", "Value", "How it is calculated"],
        ["Nurse hours saved per year",
         "=Inputs!B6*Inputs!B7*Inputs!B8*365*Assumptions!B4/60",
         "Wards x nurses x shifts x 365 x minutes saved"],
        ["Value of nurse time (cashable share)", "=B4*Inputs!B9*Assumptions!B5",
         "Hours x cost per hour x cashable share"],
        ["Avoided ICU transfers (value)", "=Inputs!B10*Assumptions!B6*Inputs!B11",
         "Transfers x reduction x cost per transfer"],
        ["Avoided maintenance", "=Inputs!B12*Assumptions!B7", "Current cost x share avoided"],
        ["Total annual benefit", "=B5+B6+B7", ""],
        ["One-time investment",
         "=Inputs!B5*Assumptions!B8+Inputs!B13*Assumptions!B9+Inputs!B6*Assumptions!B10",
         "Monitors, sensors and implementation at list price"],
        ["Annual CareCloud subscription", "=Inputs!B5*Assumptions!B11*12",
         "Monitored beds x price x 12"],
        ["Net annual benefit", "=B8-B10", "Benefit minus subscription"],
        ["Payback period (months)", "=B9/B11*12", "Investment / net annual benefit"],  # FACT
        ["Five-year net value", "=5*B11-B9", "Five years of net benefit minus investment"],
        [],
        ["Worked example with the default inputs: payback period of "
         f"{ex['payback']:.0f} months, five-year net value of EUR {ex['five_year']:,.0f}."],
    ], widths=(44, 18, 56), header_row=3, title_rows=2, formats={"B": "#,##0"})
    assumptions = Sheet("Assumptions", [
        ["Assumptions"],
        ["Change only together with the customer's finance team and note the source."],
        ["Assumption", "Value", "Source"],
        *[[label, value, source] for label, value, source in ROI_ASSUMPTIONS],
    ], widths=(52, 12, 60), header_row=3, title_rows=2, formats={"B": "#,##0.##"})
    build_xlsx(path, [inputs, results, assumptions],
               Props(author="Northwind Value Engineering",
                     modified=dt.datetime(2026, 1, 8, 15, 0)))


def xlsx_feature_matrix(path: Path) -> None:
    head = ["Capability", "Northwind", "Meridian HealthSys", "Helix Monitoring",
            "Caldera Care Systems", "Notes"]

    def sheet(name: str, title: str, rows: list[list[str]]) -> Sheet:
        return Sheet(name, [[title], ["Yes / Partial / No / Roadmap. Internal use only; "
                                      "verified January 2026."], head, *rows],
                     widths=(44, 14, 20, 18, 22, 54), header_row=3, title_rows=2, freeze="B4")

    bedside = sheet("Bedside monitoring", "Bedside monitoring", [
        ["Multi-parameter bedside monitor", "Yes", "Yes", "No", "No", ""],
        ["EtCO2 and invasive pressure", "Yes", "Yes", "No", "No", "Options on VitalWatch V3"],
        ["Configurable alarm delays per parameter", "Yes", "Partial", "No", "No",
         "Meridian: ICU profile only"],
        ["Central alarm profiles pushed to all beds", "Yes", "Partial", "No", "No", ""],
        ["On-device NEWS2", "Yes", "No", "No", "No", ""],
        ["Hot-swap battery for transport", "Yes", "Yes", "No", "No", ""],
    ])
    platform = sheet("Platform & integration", "Platform and integration", [
        ["Cloud central station", "Yes", "No", "Yes", "Partial",
         "Meridian MeriCentral is on-premises"],
        ["Alarm routing to assigned nurse", "Yes", "Partial", "No", "Yes", ""],
        ["HL7 v2 ADT and FHIR R4", "Yes", "Partial", "Partial", "No",
         "Meridian requires the MeriLink engine"],
        ["EU hosting (Frankfurt, Stockholm)", "Yes", "No", "No", "Yes",
         "Helix hosts in the United States only"],
        ["ISO 27001 certified", "Yes", "Yes", "Roadmap", "Yes", ""],
        ["SOC 2 Type II report", "Yes", "Yes", "Yes", "No", ""],
    ])
    elder = sheet("Elder care & remote", "Elder care and remote monitoring", [
        ["Wearable with 7-day battery", "Yes", "No", "Yes", "Partial", ""],
        ["Fall detection", "Yes", "No", "Yes", "Yes", ""],
        ["'Out of bed, not back' alerts", "Yes", "No", "No", "Yes", ""],
        ["Family app", "Yes", "No", "Partial", "No", ""],
        ["Home monitoring triage list", "Yes", "Partial", "Yes", "No", ""],
        ["Integration with nurse call", "Partial", "Yes", "No", "Yes",
         "CareCloud Elder can alert into Caldera handsets"],
    ])
    build_xlsx(path, [bedside, platform, elder],
               Props(title="Feature comparison matrix", author="Northwind Competitive Intelligence",
                     subject="Competitive", modified=dt.datetime(2026, 1, 14, 11, 0)))


def xlsx_rollout_tracker(path: Path) -> None:
    tasks = [
        ("T01", "Mobilise", "Kick-off meeting and scope confirmation", "Northwind PM", 1, 1),
        ("T02", "Mobilise", "Form alarm committee", "Customer clinical lead", 1, 2),
        ("T03", "Mobilise", "Baseline alarm data capture", "Northwind clinical specialist", 1, 3),
        ("T04", "Mobilise", "Wi-Fi survey of all wards in scope", "Customer network team", 1, 2),
        ("T05", "Interfaces", "Firewall rules and device certificates", "Customer IT", 4, 4),
        ("T06", "Interfaces", "HL7 ADT feed connected and validated", "Integration engineer", 4, 5),
        ("T07", "Interfaces", "FHIR R4 write-back to EHR", "Integration engineer", 5, 6),
        ("T08", "Interfaces", "Messaging gateway and handsets", "Customer IT", 5, 6),
        ("T09", "Interfaces", "Single sign-on and role mapping", "Customer IT", 6, 6),
        ("T10", "Pilot", "Super-user training, pilot ward", "Northwind trainer", 7, 7),
        ("T11", "Pilot", "Pilot ward go-live", "Joint", 7, 8),
        ("T12", "Rollout", "Ward-by-ward go-live, two wards per week", "Joint", 9, 14),
        ("T13", "Hypercare", "On-site hypercare", "Northwind PM", 15, 16),
        ("T14", "Hypercare", "Acceptance meeting", "Customer project lead", 16, 16),
    ]
    plan = Sheet("Plan", [
        ["Rollout project tracker: [customer name]"],
        ["Standard 16-week hospital plan. Update status weekly before the project call."],
        ["ID", "Phase", "Task", "Owner", "Start week", "End week", "Status"],
        *[[*t, "Not started"] for t in tasks],
    ], widths=(6, 12, 46, 30, 11, 10, 14), header_row=3, title_rows=2, freeze="A4")
    raci = Sheet("RACI", [
        ["RACI matrix"],
        ["R = responsible, A = accountable, C = consulted, I = informed"],
        ["Activity", "Northwind PM", "Customer project lead", "Customer IT", "Clinical lead",
         "Northwind clinical specialist"],
        ["Project plan", "R", "A", "C", "C", "I"],
        ["Alarm profiles", "I", "I", "I", "A", "R"],
        ["Interfaces", "C", "A", "R", "I", "I"],
        ["Training", "R", "A", "I", "C", "C"],
        ["Go-live decision", "C", "A", "C", "R", "C"],
    ], widths=(24, 16, 22, 14, 14, 28), header_row=3, title_rows=2)
    checklist = Sheet("Go-live checklist", [
        ["Go-live checklist per ward"],
        ["All items must be 'Done' before the ward goes live."],
        ["Item", "Owner", "Status"],
        ["Wi-Fi coverage confirmed at every bed space", "Customer network team", ""],
        ["Monitors installed, labelled and assigned to beds", "Northwind engineer", ""],
        ["Test patient admitted via ADT and visible on central station", "Integration engineer",
         ""],
        ["Test alarm reached the assigned nurse's handset", "Clinical lead", ""],
        ["All nurses on the rota trained (90 minutes)", "Ward manager", ""],
        ["Old monitors collected and wiped", "Northwind engineer", ""],
        ["Super-user on every shift for the first 72 hours", "Ward manager", ""],
    ], widths=(58, 26, 12), header_row=3, title_rows=2)
    build_xlsx(path, [plan, raci, checklist], Props(modified=dt.datetime(2025, 10, 20, 9, 30)))
