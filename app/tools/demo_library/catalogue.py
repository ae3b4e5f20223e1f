"""The catalogue: every item's folder, file, builder and sidecar metadata; generate()."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.tools.demo_library.common import LIBRARY, PREVIOUS, mail
from app.tools.demo_library.content_cases import (
    pdf_case_lindgarden,
    pdf_case_rosewood,
    pdf_case_sankt_anna,
)
from app.tools.demo_library.content_documents import (
    docx_battlecard_helix,
    docx_battlecard_meridian,
    docx_implementation_plan,
    docx_objection_guide,
    docx_partner_brief,
    docx_proposal_template,
)
from app.tools.demo_library.content_enablement_decks import (
    pptx_competitive,
    pptx_demo_walkthrough,
    pptx_training,
)
from app.tools.demo_library.content_onepagers import (
    pdf_datasheet_carecloud,
    pdf_datasheet_vitalwatch,
    pdf_onepager_vitalwatch,
    pdf_promo_winter,
)
from app.tools.demo_library.content_pitch_decks import (
    pptx_corporate,
    pptx_elder_care,
    pptx_hospital_pitch,
    pptx_pricing,
)
from app.tools.demo_library.content_whitepapers import (
    pdf_whitepaper_alarms,
    pdf_whitepaper_security,
)
from app.tools.demo_library.content_workbooks import (
    xlsx_feature_matrix,
    xlsx_price_list,
    xlsx_price_list_2025,
    xlsx_roi,
    xlsx_rollout_tracker,
)
from app.tools.demo_library.write_png import build_png
from app.tools.demo_library.write_sidecar import write_sidecar

# =========================================================================== library


@dataclass
class Item:
    folder: str  # relative to library/, "" for the top level
    name: str
    build: Callable[[Path], None]
    meta: dict[str, Any]

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


def tags(product: Sequence[str] = (), segment: Sequence[str] = (), stage: Sequence[str] = (),
         persona: Sequence[str] = (), region: Sequence[str] = ("Global",)) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (("product", product), ("segment", segment), ("stage", stage),
                       ("persona", persona), ("region", region)):
        if value:
            out[key] = list(value)
    return out


ALL_PRODUCTS = ("VitalWatch V3", "VitalWatch Go", "CareCloud")
ALL_REGIONS = ("DACH", "Nordics", "UK&I", "North America")
ALL_SEGMENTS = ("Hospitals", "Clinics", "Elder care")

# Folder sidecar: (comment, [defaults] or None)
FOLDERS: dict[str, tuple[str, dict[str, Any] | None]] = {
    "": ("Northwind Medical demo library: top-level defaults for every folder below.",
         {"owner": mail("marketing"), "tags": {"region": ["Global"]}}),
    "Decks": ("Pitch and overview decks. Owner and region come from the top-level defaults.",
              None),
    "One-pagers": ("Short customer-facing overviews and promotions.", None),
    "Case studies": ("Customer stories. Each customer approved reference use until the expiry "
                     "date.", {"owner": mail("marketing")}),
    "Pricing": ("Price lists and pricing tools. Internal unless stated otherwise.",
                {"owner": mail("pricing")}),
    "Competitive": ("Competitive intelligence. Internal only.",
                    {"owner": mail("competitive")}),
    "Competitive/Battlecards": ("One battlecard per competitor. Owner is inherited from "
                                "Competitive/.", None),
    "Product and compliance": ("Datasheets and whitepapers.", None),
    "Sales enablement": ("Training, playbooks and templates for sales teams and partners.",
                         {"owner": mail("enablement")}),
    "Implementation": ("Professional Services material for the onboarding stage.",
                       {"owner": mail("services")}),
}

ITEMS: list[Item] = [
    # ---- Decks
    Item("Decks", "Corporate Overview.pptx", pptx_corporate, {
        "id": "corporate-overview",
        "title": "Northwind Medical corporate overview",
        "description": "Ten-minute company introduction for first meetings and events: who we "
                       "are, portfolio, customers by segment, regions and hosting.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting", "Discovery"],
                     ["CNO", "CMIO", "CFO", "Care home owner"]),
        "owner": mail("marketing"),
        "change_note": "2026 refresh: new customer logos and hosting regions",
    }),
    Item("Decks", "VitalWatch Hospital Pitch.pptx", pptx_hospital_pitch, {
        "id": "vitalwatch-hospital-pitch",
        "title": "VitalWatch hospital pitch: quieter wards, earlier warnings",
        "description": "First-meeting pitch for nursing directors and CMIOs: alarm burden, a "
                       "night shift story, hospital references, integration and ROI snapshot.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Discovery", "Demo"], ["CNO", "CMIO", "Ward manager"], ALL_REGIONS),
        "owner": mail("marketing"),
    }),
    Item("Decks", "Elder Care Pitch.pptx", pptx_elder_care, {
        "id": "elder-care-pitch",
        "title": "Elder care pitch: safer nights in care homes",
        "description": "Pitch for care-home owners and registered managers: night checks, fall "
                       "alerts, family app, Rosewood results and per-resident pricing.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Elder care"], ["Discovery", "Demo"],
                     ["Care home owner", "Registered manager"], ["UK&I", "Nordics", "DACH"]),
    }),
    Item("Decks", "CareCloud Demo Walkthrough.pptx", pptx_demo_walkthrough, {
        "title": "CareCloud demo walkthrough (internal)",
        "description": "25-minute demo storyline with the patient 'Mr. Jansen': central "
                       "station, alarm routing, early warning and insights, plus quick answers.",
        "tags": tags(["CareCloud", "VitalWatch V3"], ["Hospitals"], ["Demo"], ["Sales rep"],
                     ALL_REGIONS),
        "owner": mail("presales"),
    }),
    # ---- One-pagers
    Item("One-pagers", "VitalWatch One-Pager.pdf", pdf_onepager_vitalwatch, {
        "id": "vitalwatch-one-pager",
        "title": "VitalWatch V3 at a glance",
        "description": "One-page product overview of the VitalWatch V3 bedside monitor to leave "
                       "behind after a first meeting.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Prospecting", "Discovery"],
                     ["CNO", "Ward manager", "Clinical lead"]),
        "owner": mail("product-marketing"),
    }),
    Item("One-pagers", "Winter Trade-In Promotion 2024.pdf", pdf_promo_winter, {
        "id": "winter-trade-in-2024",
        "title": "Winter trade-in promotion 2024/25",
        "description": "Trade-in credit for legacy monitors on VitalWatch V3 orders signed "
                       "between 1 November 2024 and 31 March 2025.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Proposal", "Negotiation"],
                     ["CFO", "Procurement"], ALL_REGIONS),
        "owner": mail("marketing"),
        "expires": dt.date(2025, 3, 31),
    }),
    Item("One-pagers", "VitalWatch Product Family.png", build_png, {
        "title": "VitalWatch product family image",
        "description": "Simple illustration of VitalWatch V3, VitalWatch Go and CareCloud for "
                       "slides and e-mails.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting"]),
    }),
    # ---- Case studies
    Item("Case studies", "Klinikum Sankt Anna Case Study.pdf", pdf_case_sankt_anna, {
        "id": "case-study-sankt-anna",
        "title": "Case study: Klinikum Sankt Anna, Freiburg",
        "description": "620-bed German teaching hospital: 41% fewer non-actionable alarms after "
                       "replacing legacy monitors with VitalWatch V3 and CareCloud.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Discovery", "Proposal"], ["CNO", "CMIO", "CFO"], ["DACH"]),
        "expires": dt.date(2028, 12, 31),
    }),
    Item("Case studies", "Lindgarden Clinic Case Study.pdf", pdf_case_lindgarden, {
        "id": "case-study-lindgarden",
        "title": "Case study: Lindgården Vårdcentral, Uppsala",
        "description": "Swedish primary-care clinic monitoring COPD and heart-failure patients "
                       "at home with VitalWatch Go and CareCloud Remote.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Clinics"], ["Discovery", "Proposal"],
                     ["Clinical lead", "Practice manager"], ["Nordics"]),
        "expires": dt.date(2028, 12, 31),
    }),
    Item("Case studies", "Rosewood Care Homes Case Study.pdf", pdf_case_rosewood, {
        "id": "case-study-rosewood",
        "title": "Case study: Rosewood Care Homes, Yorkshire",
        "description": "Nine UK care homes replaced hourly night checks with sensor-guided "
                       "rounds and reach residents sooner after a fall.",
        "tags": tags(["VitalWatch Go", "CareCloud"], ["Elder care"], ["Discovery", "Proposal"],
                     ["Care home owner", "Registered manager"], ["UK&I"]),
        "owner": mail("elder-care"),
        "expires": dt.date(2028, 12, 31),
    }),
    # ---- Pricing
    Item("Pricing", "Hospital Pricing 2026.pptx", pptx_pricing, {
        "id": "hospital-pricing-2026",
        "title": "Hospital pricing 2026",
        "description": "List prices, packages, a 400-bed reference deal and discount bands for "
                       "hospital deals, per region. Internal.",
        "tags": tags(["VitalWatch V3", "VitalWatch Go", "CareCloud"], ["Hospitals"],
                     ["Proposal", "Negotiation"], ["CFO", "Procurement"], ALL_REGIONS),
        "owner": mail("pricing"),
        "expires": dt.date(2027, 12, 31),
        "change_note": "2026 list prices; Nordic column added",
    }),
    Item("Pricing", "Northwind Price List.xlsx", xlsx_price_list, {
        "id": "price-list",
        "title": "Northwind price list",
        "description": "Official list prices per region (one sheet each) with discount bands, "
                       "framework discounts and approval levels.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Proposal", "Negotiation"],
                     ["CFO", "Procurement", "Sales rep"], ALL_REGIONS),
        "owner": mail("pricing"),
        "expires": dt.date(2027, 12, 31),
        "change_note": "Updated 2026 list prices (+3-4%); added Nordics sheet and the Nordic "
                       "framework discount; new 500+ volume band",
    }),
    Item("Pricing", "ROI Calculator.xlsx", xlsx_roi, {
        "id": "roi-calculator",
        "title": "ROI calculator for hospitals",
        "description": "Business-case workbook: enter beds, wards and costs to get annual "
                       "benefit, payback period and five-year value.",
        "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"], ["Discovery", "Proposal"],
                     ["CFO", "CNO"], ["DACH", "Nordics"]),
        "owner": mail("value-engineering"),
    }),
    # ---- Competitive
    Item("Competitive", "Competitive Landscape 2026.pptx", pptx_competitive, {
        "id": "competitive-landscape-2026",
        "title": "Competitive landscape 2026",
        "description": "Market map, competitor profiles (Meridian, Helix, Caldera), 2025 "
                       "win/loss figures and win themes. Internal only.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Negotiation"], ["Sales rep"],
                     ALL_REGIONS),
        "expires": dt.date(2027, 9, 30),
    }),
    Item("Competitive", "Feature Comparison Matrix.xlsx", xlsx_feature_matrix, {
        "id": "feature-matrix",
        "title": "Feature comparison matrix",
        "description": "Capability-by-capability comparison with Meridian HealthSys, Helix "
                       "Monitoring and Caldera Care Systems.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Demo", "Negotiation"],
                     ["Sales rep", "Partner"], ALL_REGIONS),
        "expires": dt.date(2027, 9, 30),
    }),
    Item("Competitive/Battlecards", "Battlecard - Meridian HealthSys.docx",
         docx_battlecard_meridian, {
             "id": "battlecard-meridian",
             "title": "Battlecard: Meridian HealthSys",
             "description": "How to win general-ward deals against the incumbent: their pitch, "
                            "our counter, landmine questions and proof points.",
             "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"],
                          ["Discovery", "Negotiation"], ["Sales rep"], ALL_REGIONS),
             "expires": dt.date(2027, 9, 30),
         }),
    Item("Competitive/Battlecards", "Battlecard - Helix Monitoring.docx",
         docx_battlecard_helix, {
             "id": "battlecard-helix",
             "title": "Battlecard: Helix Monitoring",
             "description": "Countering free wearable pilots: hosting, post-pilot pricing and "
                            "landmine questions for remote-care deals.",
             "tags": tags(["VitalWatch Go", "CareCloud"], ["Clinics", "Hospitals"],
                          ["Discovery", "Negotiation"], ["Sales rep"],
                          ["North America", "UK&I", "Nordics"]),
             "owner": mail("competitive"),
             "expires": dt.date(2027, 9, 30),
         }),
    # ---- Product and compliance
    Item("Product and compliance", "VitalWatch V3 Datasheet.pdf", pdf_datasheet_vitalwatch, {
        "id": "datasheet-vitalwatch-v3",
        "title": "VitalWatch V3 datasheet",
        "description": "Parameters, alarm management, technical specifications, regulatory "
                       "status and ordering codes for the VitalWatch V3 monitor.",
        "tags": tags(["VitalWatch V3"], ["Hospitals", "Clinics"], ["Demo", "Proposal"],
                     ["Clinical lead", "Biomedical engineer", "Procurement"]),
        "owner": mail("product"),
    }),
    Item("Product and compliance", "CareCloud Platform Datasheet.pdf", pdf_datasheet_carecloud, {
        "id": "datasheet-carecloud",
        "title": "CareCloud platform datasheet",
        "description": "Modules, editions, integration standards, hosting regions and service "
                       "levels of the CareCloud platform.",
        "tags": tags(["CareCloud"], ALL_SEGMENTS, ["Demo", "Proposal"],
                     ["CIO", "CMIO", "Procurement"]),
        "owner": mail("product"),
    }),
    Item("Product and compliance", "Alarm Fatigue Whitepaper.pdf", pdf_whitepaper_alarms, {
        "id": "whitepaper-alarm-fatigue",
        "title": "Beyond the beep: reducing alarm fatigue on general wards",
        "description": "Clinical whitepaper: how big the alarm problem is, what drives it and an "
                       "eight-week alarm stewardship programme.",
        "tags": tags(["VitalWatch V3", "CareCloud"], ["Hospitals"], ["Discovery"],
                     ["CNO", "Clinical lead", "Ward manager"]),
        "owner": mail("clinical"),
    }),
    Item("Product and compliance", "Security and Compliance Whitepaper.pdf",
         pdf_whitepaper_security, {
             "id": "whitepaper-security",
             "title": "CareCloud security and compliance whitepaper",
             "description": "Certifications (ISO 27001, SOC 2), GDPR and data residency, "
                            "technical controls, HIPAA and NIS2 for IT security reviews.",
             "tags": tags(["CareCloud", "VitalWatch V3", "VitalWatch Go"], ALL_SEGMENTS,
                          ["Proposal", "Negotiation"], ["CIO", "IT security", "DPO"]),
             "owner": mail("security"),
             "expires": dt.date(2027, 12, 31),
             "change_note": "Added NIS2 section; ISO/IEC 27001:2022 transition",
         }),
    # ---- Sales enablement
    Item("Sales enablement", "New Rep Onboarding Training.pptx", pptx_training, {
        "id": "training-onboarding-week-one",
        "title": "Sales onboarding: week one",
        "description": "Training deck for new reps: segments, personas, sales stages, PULSE "
                       "qualification, demo rules, pricing and compliance basics.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting", "Discovery"], ["Sales rep"]),
    }),
    Item("Sales enablement", "Objection Handling Guide.docx", docx_objection_guide, {
        "id": "objection-handling-guide",
        "title": "Objection handling guide",
        "description": "Answers to the twelve most common objections on price, incumbents, "
                       "cloud and security, clinical workflow and timing.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Discovery", "Proposal", "Negotiation"],
                     ["Sales rep", "Partner"]),
        "owner": mail("enablement"),
    }),
    Item("Sales enablement", "Hospital Proposal Template.docx", docx_proposal_template, {
        "id": "proposal-template-hospitals",
        "title": "Proposal template: hospitals",
        "description": "Word template for hospital proposals with executive summary, solution, "
                       "implementation, commercial summary and terms.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Proposal"], ["Sales rep", "Partner"]),
        "owner": mail("dealdesk"),
    }),
    Item("Sales enablement", "Partner Program Brief.docx", docx_partner_brief, {
        "id": "partner-program-brief",
        "title": "Northwind Partner Network: programme brief 2026",
        "description": "Partner tiers and margins, deal registration, certification tracks and "
                       "rules of engagement.",
        "tags": tags(ALL_PRODUCTS, ALL_SEGMENTS, ["Prospecting"], ["Partner"]),
        "owner": mail("partners"),
    }),
    # ---- Implementation
    Item("Implementation", "Implementation Plan.docx", docx_implementation_plan, {
        "id": "implementation-plan",
        "title": "Implementation plan: 16-week hospital rollout",
        "description": "Phases, roles, exit criteria, governance and top risks of the standard "
                       "hospital rollout.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Closing", "Onboarding"],
                     ["CIO", "CNO", "Project lead"]),
    }),
    Item("Implementation", "Rollout Project Tracker.xlsx", xlsx_rollout_tracker, {
        "id": "rollout-tracker",
        "title": "Rollout project tracker",
        "description": "Workbook with the 16-week task plan, RACI matrix and go-live checklist "
                       "per ward.",
        "tags": tags(ALL_PRODUCTS, ["Hospitals"], ["Onboarding"], ["Project lead"]),
        "owner": mail("services"),
    }),
]

# The one item with an earlier version in previous/ (same relative path and file name).
VERSIONED = "Pricing/Northwind Price List.xlsx"
PREVIOUS_BUILD = xlsx_price_list_2025
EXPIRED_DATE = dt.date(2025, 3, 31)


def generate() -> None:
    for tree in (LIBRARY, PREVIOUS):
        if tree.exists():
            shutil.rmtree(tree)
    for folder in FOLDERS:
        (LIBRARY / folder).mkdir(parents=True, exist_ok=True)
    for item in ITEMS:
        if item.folder not in FOLDERS:
            raise KeyError(f"{item.rel}: folder without sidecar")
        item.build(LIBRARY / item.folder / item.name)
    for folder, (comment, defaults) in FOLDERS.items():
        write_sidecar(LIBRARY / folder, comment, defaults,
                      {i.name: i.meta for i in ITEMS if i.folder == folder})
    # previous/: version 1 of the versioned item
    current = next(i for i in ITEMS if i.rel == VERSIONED)
    (PREVIOUS / current.folder).mkdir(parents=True)
    PREVIOUS_BUILD(PREVIOUS / current.rel)
    meta = {k: v for k, v in current.meta.items() if k != "change_note"}
    meta["tags"] = {**meta["tags"], "region": ["DACH", "UK&I", "North America"]}
    meta["change_note"] = "First release"
    write_sidecar(PREVIOUS / current.folder,
                  "Version 1 of the price list. Published before library/, so the hub shows "
                  "version 1 and then version 2.", None, {current.name: meta})
