"""Content: the three customer case studies (PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.write_pdf import Block, build_pdf

# =========================================================================== content
# Everything below is the demo company's collateral. Names, numbers, customers and
# competitors are invented. Facts referenced by README.md examples are marked "# FACT".

CS_AUTHOR = "Northwind Medical Marketing"


def pdf_case_sankt_anna(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "CASE STUDY  |  HOSPITALS  |  GERMANY"),
            ("h1", "Klinikum Sankt Anna cuts non-actionable alarms by 41 percent"),
            ("lead", "How a 620-bed teaching hospital in Freiburg im Breisgau replaced ageing "
                     "central stations with VitalWatch V3 and CareCloud, and gave its nurses "
                     "quieter, safer wards."),
            ("kpis", [("41%", "fewer non-actionable alarms per bed-day"),
                      ("51 s", "median response to critical alarms (was 94 s)"),
                      ("-18%", "unplanned ICU transfers from monitored wards"),
                      ("26 min", "documentation time saved per nurse and shift")]),
            ("h2", "At a glance"),
            ("table", [["Item", "Details"],
                       ["Customer", "Klinikum Sankt Anna, Freiburg im Breisgau "
                                    "(Baden-Württemberg)"],
                       ["Organisation", "Non-profit teaching hospital, 620 beds, 2,900 staff"],
                       ["Scope", "14 general and step-down wards: 212 VitalWatch V3 monitors, "
                                 "180 VitalWatch Go wearable sensors"],
                       ["Platform", "CareCloud Professional, hosted in EU-Central (Frankfurt)"],
                       ["Go-live", "October 2024, after a 16-week phased rollout"]],
             [0.22, 0.78]),
            ("h2", "The challenge"),
            ("p", "By 2023 the monitors on Sankt Anna's general wards were eleven years old. The "
                  "central stations ran on an unsupported operating system, spare parts came from "
                  "a shrinking second-hand market, and every ward had its own alarm settings, most "
                  "of them still factory defaults. On the 32-bed cardiology step-down unit, nurses "
                  "counted more than 180 alarms per bed per day; fewer than one in ten led to a "
                  "clinical action."),
            ("p", "The IT department set two firm conditions for any replacement: patient data "
                  "had to stay in the EU, and the new system had to feed the existing electronic "
                  "health record without yet another interface engine. The works council added a "
                  "third: no tracking of individual nurses."),
            ("quote", "We were not short of data. We were drowning in noise, and the one alarm "
                      "that mattered sounded exactly like the forty that did not.",
             "Dr. Katharina Vogel, Chief Medical Officer, Klinikum Sankt Anna"),
        ],
        [
            ("h2", "Why Sankt Anna chose Northwind"),
            ("bullets", [
                "**One alarm philosophy, hospital-wide.** CareCloud holds alarm profiles "
                "centrally, "
                "so a threshold agreed by the alarm committee reaches every bedside the same day.",
                "**Alarms that find the right nurse.** Escalations go to the assigned nurse's DECT "
                "handset first, then to the charge nurse after 60 seconds, never to the whole "
                "ward.",
                "**Early warning built in.** NEWS2 is calculated automatically from monitor "
                "readings, so deterioration shows up as a trend rather than a single beep.",
                "**EU hosting and a standard EHR interface.** CareCloud's Frankfurt region and its "
                "FHIR R4 interface met both IT conditions without custom development.",
                "**A partner for the works council.** Northwind's clinical team explained the role "
                "model in two sessions with the Betriebsrat before the pilot started.",
            ]),
            ("h2", "A 16-week phased rollout"),
            ("table", [["Weeks", "Milestone", "Led by"],
                       ["1-3", "Alarm committee formed; baseline alarm data captured for 3 weeks",
                        "Sankt Anna nursing directorate"],
                       ["4-6", "Interfaces live: ADT feed in, FHIR Observations out to the EHR",
                        "Sankt Anna IT, Northwind integration team"],
                       ["7-8", "Pilot on cardiology step-down (32 beds) with revised alarm "
                               "profiles",
                        "Ward manager, Northwind clinical specialist"],
                       ["9-14", "Ward-by-ward rollout, two wards per week, 38 super-users trained",
                        "Super-users, Northwind trainers"],
                       ["15-16", "Hypercare, alarm profile fine-tuning, handover to hospital "
                                 "support",
                        "Joint project board"]],
             [0.12, 0.56, 0.32]),
            ("h2", "Working with the works council"),
            ("p", "The final works agreement limits CareCloud analytics to ward level. Reports on "
                  "response times are aggregated per shift and ward; individual response-time "
                  "reports are switched off in the tenant configuration, and the audit log is only "
                  "reviewed for patient-safety investigations. Northwind provided the data-flow "
                  "diagrams and the role matrix that the agreement now references."),
            ("h2", "Integration in brief"),
            ("p", "Admissions, transfers and discharges arrive through the hospital's HL7 ADT "
                  "feed, "
                  "so nurses never type a patient name into a monitor. Validated vital signs are "
                  "written back to the EHR as FHIR R4 Observations every five minutes, and alarm "
                  "messages reach the existing DECT handsets through the hospital's messaging "
                  "gateway. No additional interface engine was required."),
        ],
        [
            ("h2", "Results after twelve months"),
            ("p", "Sankt Anna compared the twelve months before go-live (October 2023 to September "
                  "2024) with the first twelve months on VitalWatch and CareCloud (October 2024 to "
                  "September 2025) across the 14 monitored wards."),
            ("table", [["Measure", "Before", "After", "Change"],
                       ["Non-actionable alarms per bed-day", "187", "110", "-41%"],
                       ["Median time to respond to a critical alarm", "94 s", "51 s", "-46%"],
                       ["Unplanned ICU transfers per 1,000 admissions", "22", "18", "-18%"],
                       ["Cardiac arrest calls on monitored wards", "31", "24", "-23%"],
                       ["Nurse documentation time per shift", "58 min", "32 min", "-26 min"]],
             [0.52, 0.16, 0.16, 0.16]),
            ("p", "The largest single gain came from the SpO2 alarm delay: a 15-second delay on "
                  "low-saturation alarms, agreed by the alarm committee after the pilot, removed "
                  "roughly a third of all alarms on its own. Lead-off alarms fell once electrodes "
                  "were changed daily at the morning wash rather than when they failed."),
            ("quote", "Night shifts are different now. The ward is quieter, and when the phone in "
                      "my pocket vibrates, I know it is worth getting up for.",
             "Thomas Brenner, Director of Nursing, Klinikum Sankt Anna"),
            ("h2", "What comes next"),
            ("bullets", [
                "A six-month pilot of VitalWatch Go in the emergency department waiting area, "
                "starting in spring 2026.",
                "CareCloud Insights for ward-level staffing: matching night-shift cover to the "
                "measured acuity of each ward.",
                "Sharing alarm profiles with two partner hospitals in the region.",
            ]),
            ("small", "Figures reported by Klinikum Sankt Anna and reproduced with permission. "
                      "Results depend on local practice and are not a guarantee of performance. "
                      "Reference calls can be arranged through your Northwind account manager."),
        ],
    ]
    build_pdf(path, pages, Props(title="Case study: Klinikum Sankt Anna, Freiburg",
                                 subject="Hospital case study, DACH", author=CS_AUTHOR,
                                 modified=dt.datetime(2025, 11, 20, 10, 0)),
              "Case study", "NWM-CS-011 | Approved for external use")


def pdf_case_lindgarden(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "CASE STUDY  |  CLINICS  |  SWEDEN"),
            ("h1", "Lindgården Vårdcentral brings the ward home"),
            ("lead", "A primary-care clinic in Uppsala uses VitalWatch Go and CareCloud Remote to "
                     "watch over patients with COPD and heart failure between visits, and to step "
                     "in before a bad week turns into an ambulance ride."),
            ("kpis", [("32%", "fewer emergency visits among enrolled patients"),
                      ("27%", "fewer unplanned district-nurse home visits"),
                      ("4.6 / 5", "patient satisfaction with the programme")]),
            ("h2", "At a glance"),
            ("table", [["Item", "Details"],
                       ["Customer", "Lindgården Vårdcentral, Uppsala, Sweden"],
                       ["Organisation", "Public primary-care clinic: 11,400 listed patients, 9 "
                                        "GPs, "
                                        "14 district nurses"],
                       ["Programme", "140 patients with COPD or chronic heart failure, enrolled "
                                     "after a hospital stay or a GP referral"],
                       ["Products", "VitalWatch Go, CareCloud Remote with patient app in Swedish, "
                                    "Arabic and English"],
                       ["Hosting", "CareCloud EU-North region (Stockholm)"]],
             [0.22, 0.78]),
            ("h2", "The challenge"),
            ("p", "Lindgården's catchment area stretches from the city centre to farms forty "
                  "minutes north. District nurses spent a third of their working day in the car, "
                  "and exacerbations were usually spotted only when a patient phoned in, or did "
                  "not "
                  "phone at all. One in five COPD patients in the area was readmitted within "
                  "thirty "
                  "days of leaving hospital."),
            ("p", "The clinic wanted a service its nurses could run alongside normal appointments: "
                  "no new night duty, no separate call centre, and nothing that required patients "
                  "to be comfortable with technology."),
        ],
        [
            ("h2", "How COPD home monitoring works at Lindgården"),  # FACT
            ("bullets", [
                "Patients wear the VitalWatch Go sensor on the upper chest for one week a month, "
                "or continuously for thirty days after a hospital stay.",
                "Oxygen saturation, respiratory rate, heart rate and activity reach CareCloud "
                "Remote every fifteen minutes over home Wi-Fi or the included 4G hub.",
                "The GP sets personal thresholds at enrolment; CareCloud flags trends over 24 "
                "hours rather than single readings.",
                "A district nurse reviews the triage list at 08:30 each weekday and phones every "
                "patient flagged amber or red.",
                "Patients answer three short symptom questions in the app each morning.",
            ]),
            ("h2", "Results over the first twelve months"),
            ("table", [["Measure (enrolled patients)", "Year before", "Year one", "Change"],
                       ["Emergency department visits", "118", "80", "-32%"],
                       ["Unplanned district-nurse home visits", "596", "435", "-27%"],
                       ["Readmissions within 30 days", "21%", "13%", "-8 points"],
                       ["Patients still enrolled after 12 months", "-", "91%", ""]],
             [0.46, 0.18, 0.18, 0.18]),
            ("quote", "I used to find out that someone was struggling when I knocked on their "
                      "door. Now I call on Tuesday because the numbers started drifting on Sunday.",
             "Elin Sjöberg, district nurse, Lindgården Vårdcentral"),
            ("h2", "Data protection"),
            ("p", "All patient data is stored in CareCloud's EU-North region in Stockholm. "
                  "Lindgården signed Northwind's standard data processing agreement, and the "
                  "region's information security office reviewed the ISO 27001 certificate and the "
                  "latest penetration test summary before the first patient was enrolled."),
            ("small", "Figures reported by Lindgården Vårdcentral for its enrolled patients and "
                      "reproduced with permission. Results depend on local practice."),
        ],
    ]
    build_pdf(path, pages, Props(modified=dt.datetime(2025, 10, 6, 14, 0)),
              "Case study", "NWM-CS-014 | Approved for external use")


def pdf_case_rosewood(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "CASE STUDY  |  ELDER CARE  |  UNITED KINGDOM"),
            ("h1", "Rosewood Care Homes: safer nights, better sleep"),
            ("lead", "A family-run group of nine care homes in Yorkshire replaced hourly "
                     "night-time checks with sensor-guided rounds, and now reaches residents "
                     "sooner when they fall."),
            ("kpis", [("63%", "fewer residents found long after a fall"),
                      ("22%", "fewer hospital admissions after a fall"),
                      ("412", "residents covered across nine homes")]),
            ("h2", "About Rosewood"),
            ("p", "Rosewood Care Homes has looked after older people in North and West Yorkshire "
                  "since 1987. Its nine homes range from a 28-bed residential house in Harrogate "
                  "to "
                  "a 64-bed nursing home in Wakefield with a dedicated dementia wing. Around 540 "
                  "carers, nurses and support staff work across the group."),
            ("h2", "The challenge"),
            ("p", "Like most care homes, Rosewood relied on hourly night checks: a carer opens the "
                  "door, shines a torch and makes sure the resident is safe. The checks tired "
                  "staff, woke residents who then struggled to settle, and still missed falls that "
                  "happened between rounds. Inspectors praised the quality of care but asked how "
                  "the group would cope with rising dependency and a stubborn reliance on agency "
                  "night staff."),
            ("p", "Rosewood's owners set out three goals for 2024: fewer disturbed nights, faster "
                  "help after a fall, and evidence they could show families and inspectors."),
            ("quote", "We did not want more gadgets on the wall. We wanted to stop waking "
                      "Margaret at two in the morning just to check that she was asleep.",
             "David Ashworth, Operations Director, Rosewood Care Homes"),
        ],
        [
            ("h2", "The solution"),
            ("bullets", [
                "296 residents wear a VitalWatch Go sensor on a soft wrist band at night, with "
                "consent from the resident or, where needed, a documented best-interest decision.",
                "Fall detection and 'out of bed and not back within 20 minutes' alerts go to the "
                "night team's handsets, with the room number and the resident's photo.",
                "The CareCloud Elder dashboard shows the night coordinator who is settled, who is "
                "restless and who has not moved for an unusual length of time.",
                "A morning summary of sleep, restlessness and heart rate supports the day-shift "
                "handover, and relatives can opt in to updates through the CareCloud Family app.",
            ]),
            ("h2", "Results across all nine homes (twelve months)"),
            ("table", [["Measure", "Before", "After", "Change"],
                       ["Unwitnessed falls found more than 60 minutes later", "41", "15", "-63%"],
                       ["Hospital admissions following a fall", "58", "45", "-22%"],
                       ["Residents woken by routine checks, per night", "about 300", "about 70",
                        "-77%"],
                       ["Night shifts covered by agency staff", "1,140", "790", "-31%"]],
             [0.52, 0.16, 0.16, 0.16]),
            ("p", "Unwitnessed falls were the measure the board cared about most. Before the "
                  "project, a resident who fell quietly between two rounds could lie on the floor "
                  "for most of an hour. With fall alerts, the median time to reach a resident on "
                  "the floor dropped to four minutes."),
            ("quote", "The biggest change is the quiet. Residents sleep through, the night team "
                      "goes where it is needed, and I can show families exactly what happened "
                      "overnight.", "Joanne Whitaker, Registered Manager, Rosewood Harrogate"),
            ("h2", "Rollout"),
            ("p", "Northwind's elder-care team rolled out two homes a month. Each home nominated "
                  "two "
                  "digital champions who attended a one-day course in Leeds; the rest of the staff "
                  "learned on shift with short video guides. Wi-Fi surveys were done in the first "
                  "week, and three homes needed extra access points."),
        ],
    ]
    build_pdf(path, pages, Props(title="Rosewood Care Homes: safer nights across nine homes",
                                 subject="Elder care case study, UK&I", author=CS_AUTHOR,
                                 modified=dt.datetime(2025, 9, 15, 11, 0)),
              "Case study", "NWM-CS-017 | Approved for external use")
