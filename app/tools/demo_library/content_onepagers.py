"""Content: one-pagers, the promotion and the datasheets (PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.write_pdf import Block, build_pdf


def pdf_onepager_vitalwatch(path: Path) -> None:
    pages: list[list[Block]] = [[
        ("kicker", "PRODUCT OVERVIEW  |  VITALWATCH V3"),
        ("h1", "VitalWatch V3: the ward monitor nurses actually like"),
        ("lead", "Continuous vital signs at every bed, alarms that reach the right person, and a "
                 "screen a tired nurse can read from the doorway at four in the morning."),
        ("kpis", [("5", "core parameters as standard"), ("6 h", "hot-swap battery"),
                  ("< 3 min", "to admit a new patient"), ("7 yrs", "maximum warranty")]),
        ("h2", "Why wards choose VitalWatch V3"),
        ("bullets", [
            "**Readable at a glance.** A 12.1-inch display with colour-coded trends shows how "
            "the patient is doing, not just what the last reading was.",
            "**Fewer pointless alarms.** Smart delays, artefact filtering and central alarm "
            "profiles cut non-actionable alarms without hiding real ones.",
            "**From bed to transport without a gap.** The hot-swappable battery and VitalWatch Go "
            "wearable keep monitoring going in the corridor, the lift and the scanner.",
            "**No typing at the bedside.** Patient identity comes from the ADT feed; readings "
            "flow into the electronic health record automatically.",
        ]),
        ("h2", "What comes in the box"),
        ("table", [["Standard", "Optional"],
                   ["ECG (3/5-lead), SpO2, NIBP, respiration, temperature",
                    "Sidestream EtCO2, two invasive pressure channels"],
                   ["Roll stand or rail mount, 6-hour battery",
                    "VitalWatch Go pairing for ambulatory patients"],
                   ["3-year warranty, remote software updates",
                    "Extended warranty to 7 years, on-site swap service"]],
         [0.5, 0.5]),
        ("box", "Take the next step", [
            "Book a 30-minute live demo with a Northwind clinical specialist.",
            "Ask your account manager for the ROI calculator and a reference call with a "
            "hospital in your region.",
            "Download the VitalWatch V3 datasheet for full technical specifications.",
        ]),
    ]]
    build_pdf(path, pages, Props(title="VitalWatch V3 at a glance", author="Northwind Medical "
                                 "Product Marketing", subject="Product one-pager",
                                 modified=dt.datetime(2026, 1, 8, 9, 0)),
              "One-pager", "NWM-OP-003 | Approved for external use")


def pdf_promo_winter(path: Path) -> None:
    pages: list[list[Block]] = [[
        ("kicker", "LIMITED-TIME OFFER  |  ORDERS SIGNED 1 NOV 2024 - 31 MAR 2025"),
        ("h1", "Winter trade-in: swap your old monitors for VitalWatch V3"),
        ("lead", "Trade in any patient monitor, working or not, from any manufacturer, and save on "
                 "every new VitalWatch V3 you order this winter."),
        ("table", [["Region", "Trade-in credit per monitor", "Minimum order"],
                   ["DACH", "EUR 1,000", "10 monitors"],
                   ["Nordics", "EUR 1,000", "10 monitors"],
                   ["UK&I", "GBP 850", "10 monitors"],
                   ["North America", "USD 1,100", "10 monitors"]],
         [0.3, 0.4, 0.3]),
        ("h2", "How the trade-in works"),
        ("bullets", [
            "Count the legacy monitors you will retire and tell your Northwind account manager.",
            "Your quote shows the trade-in credit as a separate line, on top of your normal "
            "volume discount.",
            "On delivery day, our installation team takes the old monitors away and provides a "
            "certificate of environmentally sound disposal (WEEE compliant in Europe).",
            "Patient data on old devices is wiped to a recognised standard before recycling, and "
            "you receive a wipe report per serial number.",
        ]),
        ("h2", "Why now"),
        ("p", "Many monitors installed around 2012 are reaching the end of vendor support this "
              "year. Replacing them before the spring budget cycle avoids running unsupported "
              "devices on your clinical network."),
        ("h2", "Terms"),
        ("small", "Valid for purchase orders signed between 1 November 2024 and 31 March 2025 and "
                  "delivered by 30 June 2025. One credit per new VitalWatch V3 monitor, up to the "
                  "number of legacy monitors returned. Not combinable with framework-agreement or "
                  "public-tender pricing. Northwind Medical may withdraw the offer at any time."),
    ]]
    build_pdf(path, pages, Props(modified=dt.datetime(2024, 10, 21, 9, 0)),
              "Promotion", "NWM-PR-024 | Customer-facing until 31 Mar 2025")


def pdf_datasheet_vitalwatch(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "DATASHEET  |  VITALWATCH V3 BEDSIDE MONITOR"),
            ("h1", "VitalWatch V3 multi-parameter patient monitor"),
            ("lead", "A compact bedside monitor for general wards, step-down units and recovery, "
                     "designed to work with the CareCloud platform and the VitalWatch Go "
                     "wearable."),
            ("h2", "Measured parameters"),
            ("table", [["Parameter", "Method", "Range and notes"],
                       ["ECG", "3- or 5-lead, arrhythmia detection",
                        "Heart rate 15-300 bpm; ST analysis on 5-lead"],
                       ["SpO2", "Northwind PulseSense, motion tolerant",
                        "0-100%, perfusion index, pleth waveform"],
                       ["NIBP", "Oscillometric, adult and paediatric",
                        "Interval 1-240 min; stat mode"],
                       ["Respiration", "Impedance via ECG leads", "0-150 breaths per minute"],
                       ["Temperature", "2 channels, skin or core probes", "25-45 °C"],
                       ["EtCO2 (option)", "Sidestream capnography", "0-150 mmHg; apnoea detection"],
                       ["Invasive pressure (option)", "2 channels", "-50 to 300 mmHg"]],
             [0.22, 0.36, 0.42]),
            ("h2", "Alarm management"),
            ("bullets", [
                "Three alarm priorities with distinct tones and colours, following IEC 60601-1-8.",
                "Configurable alarm delays (0-30 s) per parameter, for example on low SpO2.",
                "Technical alarm suppression for two minutes while the patient is repositioned.",
                "Alarm profiles managed centrally in CareCloud and pushed to every bedside.",
                "Escalation to nurse handsets through CareCloud Alarm Routing.",
            ]),
            ("h2", "Clinical decision support"),
            ("p", "VitalWatch V3 calculates NEWS2 on the device when respiration, SpO2, blood "
                  "pressure, heart rate and temperature are available; level of consciousness and "
                  "supplemental oxygen are entered on the touch screen. Scores and trends are "
                  "shared with CareCloud Early Warning."),
        ],
        [
            ("h2", "Technical specifications"),
            ("table", [["Item", "Specification"],
                       ["Display", "12.1-inch capacitive touch screen, 1280 x 800, glove-friendly"],
                       ["Size and weight", "310 x 250 x 150 mm; 3.4 kg with battery"],
                       ["Battery", "Hot-swappable Li-ion, 6 hours typical, 3 hours to full charge"],
                       ["Ingress protection", "IP22; housing wipeable with common hospital "
                                              "disinfectants"],
                       ["Operating conditions", "5-40 °C, 15-95% relative humidity, "
                                                "700-1060 hPa"],
                       ["Connectivity", "Wi-Fi 6 (802.11ax), 2 x Ethernet, Bluetooth LE 5.3 for "
                                        "VitalWatch Go, USB-C service port"],
                       ["Interfaces", "HL7 v2 and FHIR R4 through CareCloud; nurse call relay"],
                       ["Data storage", "72 hours of full-disclosure trends on the device"]],
             [0.26, 0.74]),
            ("h2", "Regulatory and standards"),
            ("table", [["Market", "Status"],
                       ["European Union", "CE marked under MDR (EU) 2017/745, Class IIb"],  # FACT
                       ["United Kingdom", "UKCA marked"],
                       ["United States", "FDA 510(k) cleared"],
                       ["Canada", "Health Canada medical device licence, Class II"],
                       ["Standards", "IEC 60601-1, IEC 60601-1-2 (EMC), IEC 60601-1-8 (alarm "
                                     "systems), IEC 62304, IEC 81001-5-1 (security)"]],
             [0.26, 0.74]),
            ("h2", "Ordering information"),
            ("table", [["Code", "Description"],
                       ["VW3-BASE", "VitalWatch V3 monitor with ECG, SpO2, NIBP, respiration, "
                                    "temperature; battery; roll stand"],
                       ["VW3-CO2", "Sidestream EtCO2 module (factory or field installed)"],
                       ["VW3-IBP", "Invasive pressure module, two channels"],
                       ["VW3-RAIL", "Rail and wall mount kit instead of roll stand"],
                       ["VW3-EXT7", "Warranty extension to seven years, advance exchange"]],
             [0.26, 0.74]),
            ("small", "Specifications are subject to change. Not all options are available in "
                      "every country; check with your Northwind representative."),
        ],
    ]
    build_pdf(path, pages, Props(title="VitalWatch V3 datasheet", author="Northwind Medical "
                                 "Product Management", subject="Technical datasheet",
                                 keywords="VitalWatch, datasheet, specifications, MDR",
                                 modified=dt.datetime(2026, 1, 5, 9, 0)),
              "Datasheet", "NWM-DS-301 rev C | Approved for external use")


def pdf_datasheet_carecloud(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "DATASHEET  |  CARECLOUD PLATFORM"),
            ("h1", "CareCloud: one platform for every monitored patient"),
            ("lead", "CareCloud connects VitalWatch monitors and wearables to the people who need "
                     "to act: nurses on the ward, the rapid response team, a district nurse "
                     "reviewing home patients, or a night carer in a care home."),
            ("h2", "Modules"),
            ("table", [["Module", "What it does", "Editions"],
                       ["Central Station", "Live overview of every monitored bed on a ward or "
                                           "unit; full-disclosure review of the last 72 hours",
                        "Core, Professional, Enterprise"],
                       ["Alarm Routing", "Sends alarms to the assigned nurse's phone or DECT "
                                         "handset, escalates after a configurable delay",
                        "Professional, Enterprise"],
                       ["Early Warning", "NEWS2, MEWS or a custom score from live readings; "
                                         "deterioration trends and rapid-response triggers",
                        "Professional, Enterprise"],
                       ["Remote", "Home monitoring with VitalWatch Go, triage list, patient app",
                        "Enterprise, add-on for Professional"],
                       ["Elder", "Care-home dashboard, fall and 'out of bed' alerts, family app",
                        "Elder"],
                       ["Insights", "Alarm load, response times and acuity per ward and shift, "
                                    "exported to your BI tools", "Add-on for all editions"]],
             [0.2, 0.52, 0.28]),
            ("h2", "Editions at a glance"),
            ("bullets", [
                "**Core:** central station and device management for smaller units and clinics.",
                "**Professional:** adds alarm routing and early warning; the most common choice "
                "for hospital wards.",
                "**Enterprise:** everything in Professional plus Remote, customer-managed keys, "
                "a 99.95% availability commitment and a named technical account manager.",
                "**Elder:** built for care homes and assisted living, priced per resident.",
            ]),
        ],
        [
            ("h2", "Integration"),
            ("bullets", [
                "HL7 v2.5 ADT in (admit, transfer, discharge) and ORU out.",
                "FHIR R4 resources: Patient, Encounter, Observation, Device, Flag.",
                "IHE PCD-01 (device observations) and ACM (alarm communication) profiles.",
                "Single sign-on with SAML 2.0 or OpenID Connect; user provisioning with SCIM 2.0.",
                "Integrations with common nurse-call systems and clinical messaging gateways.",
            ]),
            ("h2", "Hosting regions"),
            ("table", [["Region", "Location", "Typical customers"],
                       ["EU-Central", "Frankfurt, Germany", "Germany, Austria, Switzerland"],
                       ["EU-North", "Stockholm, Sweden", "Sweden, Norway, Denmark, Finland"],
                       ["UK-South", "London, United Kingdom", "United Kingdom and Ireland"],
                       ["US-East", "Northern Virginia, United States", "United States"],
                       ["CA-Central", "Montreal, Canada", "Canada"]],
             [0.22, 0.38, 0.4]),
            ("h2", "Service levels"),
            ("table", [["Item", "Commitment"],
                       ["Availability", "99.9% per month (Enterprise: 99.95%)"],
                       ["Recovery point objective", "15 minutes"],
                       ["Recovery time objective", "4 hours"],
                       ["Support", "24/7 for priority 1 incidents; clinical helpdesk in local "
                                   "language during business hours"],
                       ["Releases", "Monthly, with release notes 14 days in advance"]],
             [0.32, 0.68]),
            ("h2", "Clients"),
            ("p", "Central Station runs in current Chrome and Edge browsers on Windows, macOS and "
                  "Linux. The CareCloud Nurse app supports iOS 17 or later and Android 13 or "
                  "later, including common hospital smartphones."),
            ("small", "Security and compliance details: see the CareCloud security and compliance "
                      "whitepaper."),
        ],
    ]
    build_pdf(path, pages, Props(title="CareCloud platform datasheet", author="Northwind Medical "
                                 "Product Management", subject="Technical datasheet",
                                 modified=dt.datetime(2026, 1, 5, 9, 30)),
              "Datasheet", "NWM-DS-410 rev B | Approved for external use")
