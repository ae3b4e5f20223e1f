"""Content: templates, guides, plans and battlecards (DOCX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.write_docx import build_docx
from app.tools.demo_library.write_pdf import Block

# --------------------------------------------------------------------------- documents


def docx_proposal_template(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Proposal for [Customer name]"),
        ("p", "**Continuous patient monitoring with VitalWatch V3 and CareCloud**"),
        ("p", "Prepared for: [Name, role]  |  Prepared by: [Account executive], Northwind "
              "Medical  |  Date: [date]  |  Valid until: [date + 90 days]"),
        ("h1", "How to use this template (delete this section before sending)"),
        ("bullets", [
            "Replace everything in square brackets. Search for '[' before you send.",
            "Paste the commercial table from CPQ into section 5; do not type prices by hand.",
            "Do not change section 7 without approval from legal.",
            "Attach the security and compliance whitepaper and the case study closest to the "
            "customer's segment and country.",
        ]),
        ("h1", "1. Executive summary"),
        ("p", "[Customer name] wants to [goal from discovery, e.g. replace end-of-life monitors on "
              "eight general wards and reduce alarm burden for nursing staff]. This proposal "
              "describes how VitalWatch V3 bedside monitors, VitalWatch Go wearable sensors and "
              "the CareCloud platform will achieve this within [16] weeks of signature, and what "
              "it will cost."),
        ("p", "We expect [customer name] to see [fewer non-actionable alarms, faster responses "
              "to deteriorating patients, time saved on documentation]. Comparable hospitals, "
              "such as [reference customer], have achieved [result from approved case study]."),
        ("h1", "2. Our understanding of your situation"),
        ("bullets", [
            "[Current monitoring set-up, age and support status]",
            "[Alarm burden or deterioration problems described by the customer]",
            "[IT requirements: hosting, interfaces, identity provider]",
            "[Decision timeline and budget source]",
        ]),
        ("h1", "3. Proposed solution"),
        ("table", [["Component", "Scope", "Notes"],
                   ["VitalWatch V3", "[number] monitors on [wards]", "Including [options]"],
                   ["VitalWatch Go", "[number] sensors", "Transport and ambulatory patients"],
                   ["CareCloud [edition]", "[number] monitored beds", "Hosted in [region]"],
                   ["Services", "Implementation for [number] wards, [number] training days",
                    "See section 4"]]),
        ("h1", "4. Implementation approach"),
        ("p", "We follow Northwind's standard 16-week hospital plan, adapted to your wards and "
              "interfaces. A named project manager leads the Northwind team; we ask you to "
              "name a project lead, an IT integration contact and a clinical lead."),
        ("table", [["Weeks", "Phase", "Outcome"],
                   ["1-3", "Mobilise and baseline", "Alarm committee formed, baseline data"],
                   ["4-6", "Interfaces and configuration", "ADT, FHIR and handsets tested"],
                   ["7-8", "Pilot ward", "Alarm profiles confirmed"],
                   ["9-14", "Rollout", "All wards live"],
                   ["15-16", "Hypercare and handover", "Acceptance signed"]]),
        ("h1", "5. Commercial summary"),
        ("table", [["Item", "Quantity", "Unit price", "Discount", "Total"],
                   ["[from CPQ]", "", "", "", ""],
                   ["[from CPQ]", "", "", "", ""],
                   ["One-time total", "", "", "", "[amount]"],
                   ["Annual subscription", "", "", "", "[amount]"]]),
        ("p", "Prices in [currency], excluding VAT. Devices are invoiced on delivery; the "
              "subscription is invoiced annually in advance from the first ward go-live."),
        ("h1", "6. Why Northwind Medical"),
        ("bullets", [
            "Quieter wards: alarm routing to the assigned nurse and central alarm profiles.",
            "Earlier warnings: NEWS2 calculated continuously.",
            "Open integration: HL7 and FHIR, no additional interface engine.",
            "Hosting in [region], ISO 27001 certified, SOC 2 Type II audited.",
        ]),
        ("h1", "7. Terms and next steps"),
        ("bullets", [
            "This offer is subject to Northwind Medical's General Terms of Sale 2026 and the "
            "CareCloud Subscription Agreement.",
            "A data processing agreement under Article 28 GDPR (or a HIPAA business associate "
            "agreement in the United States) is part of the contract.",
            "Next steps: [workshop date], [decision date], [target signature date].",
        ]),
        ("h2", "Signatures"),
        ("table", [["For [Customer name]", "For Northwind Medical"],
                   ["Name:", "Name:"], ["Title:", "Title:"], ["Date:", "Date:"]]),
    ]
    build_docx(path, blocks, Props(title="Proposal template: hospitals",
                                   author="Northwind Deal Desk", subject="Proposal template",
                                   modified=dt.datetime(2026, 1, 6, 11, 0)))


def docx_objection_guide(path: Path) -> None:
    def objection(quote: str, behind: str, say: str, proof: str) -> list[Block]:
        return [("h2", quote), ("p", "**What is behind it:** " + behind),
                ("p", "**Say:** " + say), ("p", "**Proof:** " + proof)]

    blocks: list[Block] = [
        ("title", "Objection handling guide"),
        ("p", "Objections are usually questions in disguise. Use the same four steps every "
              "time: **Listen** to the end, **Ask** one question to find the real concern, "
              "**Answer** briefly with proof, and **Advance** to a concrete next step."),
        ("h1", "Price and budget"),
        *objection("\u201cYour monitors are more expensive than the alternatives.\u201d",
                   "The customer compares device list prices, not the cost of running the ward.",
                   "\u201cOn device price alone we are rarely the cheapest. What we would like to "
                   "compare is the cost per monitored bed over five years, including the "
                   "central station, interfaces and nurse time. Shall we do that together in "
                   "the ROI calculator?\u201d",
                   "Klinikum Sankt Anna: 26 minutes of documentation time saved per nurse and "
                   "shift."),
        *objection("\u201cWe have no budget this year.\u201d",
                   "Often true for capital, less often for operating budgets.",
                   "\u201cUnderstood. Many hospitals start with a subscription for one ward from "
                   "the operating budget and add devices in the next capital round. Would a "
                   "pilot ward fit this year's budget?\u201d",
                   "Ramp pricing: the subscription grows ward by ward."),
        *objection("\u201cWhy should we pay a subscription for monitors we already bought?\u201d",
                   "Concern about recurring costs and lock-in.",
                   "\u201cThe subscription replaces the central station servers, their "
                   "maintenance contract and the interface engine. Your devices keep working "
                   "and alarming at the bedside even without CareCloud.\u201d",
                   "Typical maintenance savings are in the ROI calculator assumptions."),
        ("h1", "Incumbents and competitors"),
        *objection("\u201cWe have always bought Meridian.\u201d",
                   "Low risk appetite, an existing framework contract, or a loyal ICU team.",
                   "\u201cMeridian is strong in intensive care and we would not ask you to change "
                   "that. Where do you see the biggest alarm burden: in the ICU or on the "
                   "general wards?\u201d",
                   "Win/loss: we win most often where Meridian's ward offering is a copy of the "
                   "ICU set-up."),
        *objection("\u201cHelix offered us a free pilot.\u201d",
                   "The customer wants to try before buying, and a free pilot sounds safe.",
                   "\u201cA pilot is a good idea. Before you start one, agree what success looks "
                   "like and what the price will be afterwards. We are happy to run a paid "
                   "pilot ward with the same success criteria.\u201d",
                   "See the Helix battlecard for questions about hosting and post-pilot pricing."),
        ("h1", "IT, security and data protection"),
        *objection("\u201cOur IT does not allow patient data in the cloud.\u201d",
                   "Usually a policy written before approved cloud services existed, or a "
                   "concern about data leaving the country.",
                   "\u201cWhich cloud services have already been approved, and what conditions did "
                   "they have to meet? CareCloud is hosted in your country's region, ISO 27001 "
                   "certified and audited against SOC 2.\u201d",
                   "Security and compliance whitepaper, pages 2 and 3."),
        *objection("\u201cWe do not want yet another interface.\u201d",
                   "Interface teams are the bottleneck in most hospitals.",
                   "\u201cCareCloud uses your existing ADT feed and writes FHIR Observations to "
                   "the "
                   "EHR. There is no additional interface engine to run.\u201d",
                   "Klinikum Sankt Anna went live without an additional interface engine."),
        *objection("\u201cOur works council will never agree.\u201d",
                   "Fear of performance monitoring of individual nurses.",
                   "\u201cReports in CareCloud are ward-level by default, and individual response-"
                   "time reports can be switched off. We can join a works council meeting to "
                   "explain the role model.\u201d",
                   "The Sankt Anna works agreement is described in the case study."),
        ("h1", "Clinical and workflow"),
        *objection("\u201cNurses do not want another device.\u201d",
                   "Bad experiences with earlier technology projects.",
                   "\u201cThen let the nurses decide. We propose a pilot on one ward where the "
                   "nurses set the success criteria.\u201d",
                   "Rosewood and Sankt Anna both used nurse-defined success criteria."),
        *objection("\u201cFewer alarms means we will miss something.\u201d",
                   "A genuine patient-safety concern; take it seriously.",
                   "\u201cThe goal is not fewer alarms, it is fewer meaningless ones. Delays are "
                   "seconds long, thresholds are set by your alarm committee, and NEWS2 adds a "
                   "safety net that single-parameter alarms do not have.\u201d",
                   "Sankt Anna: cardiac arrest calls on monitored wards fell by 23%."),
        ("h1", "Process and timing"),
        *objection("\u201cWe have to run a public tender.\u201d",
                   "Procurement rules, not a rejection.",
                   "\u201cOf course. Is there an existing framework agreement we could use, and "
                   "can we help with a market consultation so the specification reflects "
                   "current technology?\u201d",
                   "Involve the bid team at least four weeks before any deadline."),
        *objection("\u201cCome back after our EHR migration.\u201d",
                   "The IT team is overloaded for the next 12 to 18 months.",
                   "\u201cThat makes sense for anything that needs heavy IT work. CareCloud can "
                   "start with the ADT feed only and add FHIR write-back once the EHR "
                   "migration is complete, so the wards do not have to wait.\u201d",
                   "Phased integration is described in the implementation plan."),
    ]
    build_docx(path, blocks, Props(author="Northwind Sales Enablement",
                                   subject="Sales playbook",
                                   modified=dt.datetime(2025, 12, 9, 14, 0)))


def docx_implementation_plan(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Implementation plan: 16-week hospital rollout"),
        ("p", "This is Northwind Professional Services' standard plan for introducing "
              "VitalWatch V3, VitalWatch Go and CareCloud in a hospital. Adapt the weeks to the "
              "number of wards and to the customer's change windows; keep the phase order."),
        ("h1", "Roles"),
        ("table", [["Role", "Northwind Medical", "Customer"],
                   ["Project lead", "Project manager (named in the contract)",
                    "Project lead with decision authority"],
                   ["Clinical", "Clinical specialist (nurse)", "Clinical lead and alarm committee"],
                   ["Integration", "Integration engineer", "Interface team, EHR analyst"],
                   ["Infrastructure", "Solution architect", "Network and Wi-Fi team"],
                   ["Training", "Trainer", "Super-users (2-3 per ward)"]]),
        ("h1", "Phase 1: Mobilise and baseline (weeks 1-3)"),
        ("bullets", [
            "Kick-off meeting; confirm scope, ward order and go-live dates.",
            "Form the alarm committee: nursing, medicine, clinical engineering.",
            "Capture three weeks of baseline alarm data on the existing monitors, where possible.",
            "Wi-Fi survey of all wards in scope: -67 dBm or better at every bed space.",
        ]),
        ("p", "**Exit criteria:** project plan signed off, baseline data available, Wi-Fi "
              "remediation planned."),
        ("h1", "Phase 2: Interfaces and configuration (weeks 4-6)"),
        ("bullets", [
            "Open firewall rules for the CareCloud region; test device certificates.",
            "Connect the HL7 ADT feed; validate patient identity on a test ward.",
            "Configure FHIR R4 write-back of vital signs to the EHR.",
            "Connect the messaging gateway for DECT handsets or smartphones.",
            "Configure single sign-on and role mapping.",
        ]),
        ("p", "**Exit criteria:** end-to-end test from monitor to EHR and handset signed by the "
              "customer's IT."),
        ("h1", "Phase 3: Pilot ward (weeks 7-8)"),
        ("bullets", [
            "Train the pilot ward's super-users (one day) and all nurses (90 minutes each).",
            "Go live with the alarm profiles agreed by the alarm committee.",
            "Daily huddles in week 7; review alarm reports at the end of week 8.",
        ]),
        ("h1", "Phase 4: Ward-by-ward rollout (weeks 9-14)"),
        ("bullets", [
            "Two wards per week; old monitors are removed on the day of go-live.",
            "Super-users from earlier wards support the next ones.",
            "Weekly alarm report to the alarm committee.",
        ]),
        ("h1", "Phase 5: Hypercare and handover (weeks 15-16)"),
        ("bullets", [
            "On-site support for two weeks after the last ward goes live.",
            "Final alarm profile review; document all settings.",
            "Handover to the customer's service desk and Northwind support.",
            "Acceptance meeting and signature.",
        ]),
        ("h1", "Governance"),
        ("bullets", [
            "Weekly project call; RAID log maintained in the rollout tracker.",
            "Steering committee every four weeks with the customer's sponsor.",
            "Change requests are assessed within five working days.",
        ]),
        ("h1", "Top risks"),
        ("table", [["Risk", "Likelihood", "Mitigation"],
                   ["Wi-Fi coverage gaps in older buildings", "High",
                    "Survey in week 1; budget for extra access points"],
                   ["Interface team not available", "Medium",
                    "Book interface slots at contract signature"],
                   ["Works council approval delayed", "Medium (DACH)",
                    "Start the consultation before signature"],
                   ["Super-users not released from shifts", "Medium",
                    "Agree backfill with the nursing directorate"]]),
        ("h1", "Acceptance"),
        ("p", "The project is accepted when all wards in scope are live, the end-to-end tests "
              "are passed and no priority 1 or 2 defects are open. Remaining minor items are "
              "tracked through normal support."),
    ]
    build_docx(path, blocks, Props(title="Implementation plan: 16-week hospital rollout",
                                   author="Northwind Professional Services",
                                   subject="Implementation",
                                   modified=dt.datetime(2025, 10, 20, 9, 0)))


def docx_partner_brief(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Northwind Partner Network: programme brief 2026"),
        ("p", "Northwind Medical sells directly to large hospital groups and through certified "
              "partners everywhere else. This brief summarises the partner tiers, margins, deal "
              "registration and the rules of engagement between partners and Northwind sales."),
        ("h1", "Partner tiers"),
        ("table", [["Tier", "Requirements", "Margin on devices", "Margin on CareCloud",
                    "Benefits"],
                   ["Registered", "Signed partner agreement, 1 certified seller", "12%", "10%",
                    "Partner portal, demo tenant"],
                   ["Silver", "2 certified sellers, 1 certified engineer, EUR 250k annual "
                    "revenue", "18%", "15%", "Demo equipment at 50%, joint marketing"],
                   ["Gold", "5 certified sellers, 3 certified engineers, EUR 1m annual revenue",
                    "24%", "20%", "Market development funds (2% of revenue), named partner "
                    "manager"]]),
        ("h1", "Deal registration"),
        ("bullets", [
            "Register opportunities in the partner portal before the first proposal.",
            "Approved registrations are protected for 90 days and can be extended once.",
            "Deal registration adds 5 percentage points of margin on devices for the "
            "registered opportunity.",
            "Registrations are approved or rejected within three business days.",
        ]),
        ("h1", "Certification"),
        ("table", [["Track", "Format", "Validity"],
                   ["Certified seller", "Two-day course and online exam", "2 years"],
                   ["Certified engineer", "Four-day course, practical installation test",
                    "2 years"],
                   ["Elder care specialist", "One-day course", "2 years"]]),
        ("h1", "Rules of engagement"),
        ("bullets", [
            "Named strategic accounts are served directly by Northwind; partners may be "
            "invited as service providers.",
            "All other accounts are partner-led in the partner's contracted territory.",
            "Conflicts are decided by the regional sales director within five business days.",
            "Partners may not quote below the partner floor price without deal desk approval.",
        ]),
        ("h1", "Current partners by region"),
        ("table", [["Region", "Partner", "Tier"],
                   ["DACH", "Alpenmed Vertrieb GmbH (Austria)", "Gold"],
                   ["DACH", "Rheinklinik Services AG (Switzerland)", "Silver"],
                   ["Nordics", "MedLink Nordic AB (Sweden, Norway)", "Gold"],
                   ["UK&I", "ClearWard Solutions Ltd (Ireland)", "Silver"],
                   ["North America", "Prairie Clinical Systems (Canada)", "Registered"]]),
        ("h1", "Contacts"),
        ("p", "Partner management: partners@northwind-medical.example. Partner portal access "
              "requests are handled within one business day."),
    ]
    build_docx(path, blocks, Props(title="Northwind Partner Network: programme brief 2026",
                                   author="Northwind Partner Management",
                                   subject="Partner programme",
                                   modified=dt.datetime(2026, 1, 2, 10, 0)))


def docx_battlecard_meridian(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Battlecard: Meridian HealthSys"),
        ("p", "Internal use only. Do not share, forward or quote to customers."),
        ("h1", "Snapshot"),
        ("table", [["Item", "Meridian HealthSys"],
                   ["Products", "MeriVue bedside monitors, MeriCentral station (on-premises), "
                                "MeriLink interface engine"],
                   ["Strengths", "Intensive care portfolio, installed base, framework contracts"],
                   ["Weaknesses", "On-premises servers, separate interface engine, ward alarm "
                                  "defaults copied from ICU, long rollouts"],
                   ["Pricing pattern", "Low device price, high service and interface fees"],
                   ["Regions", "All four of our regions"]]),
        ("h1", "Their pitch"),
        ("p", "\u201cOne vendor from the ICU to the ward, with the monitors your intensive care "
              "team already knows.\u201d"),
        ("h1", "Our counter"),
        ("bullets", [
            "General wards are not intensive care units: they need fewer, better alarms and "
            "routing to the right nurse.",
            "CareCloud replaces the central station servers and the interface engine.",
            "Our rollouts are measured in weeks: 16 weeks for a typical hospital.",
        ]),
        ("h1", "Landmine questions"),
        ("bullets", [
            "\u201cHow many servers does the central station need, and who patches them?\u201d",
            "\u201cWhat does the interface engine cost per year, including support?\u201d",
            "\u201cCan alarms be routed to the assigned nurse instead of the whole ward?\u201d",
            "\u201cHow long did the last ward rollout at a hospital like ours take?\u201d",
        ]),
        ("h1", "Proof points"),
        ("bullets", [
            "Klinikum Sankt Anna replaced eleven-year-old Meridian monitors on 14 wards.",
            "2025 win rate against Meridian: 42% overall, above 60% on general-ward deals.",
        ]),
        ("h1", "Do not"),
        ("bullets", [
            "Do not criticise Meridian's ICU products; the ICU team will defend them.",
            "Do not claim that Meridian has security problems; talk about our certifications.",
        ]),
    ]
    build_docx(path, blocks, Props(title="Battlecard: Meridian HealthSys",
                                   author="Northwind Competitive Intelligence",
                                   subject="Battlecard",
                                   modified=dt.datetime(2026, 1, 14, 10, 0)))


def docx_battlecard_helix(path: Path) -> None:
    blocks: list[Block] = [
        ("title", "Battlecard: Helix Monitoring"),
        ("p", "Internal use only. Do not share, forward or quote to customers."),
        ("h1", "Snapshot"),
        ("table", [["Item", "Helix Monitoring"],
                   ["Products", "Helix Band wearable, Helix Hub app, Helix Virtual Ward portal"],
                   ["Strengths", "Low sensor price, free pilots, attractive patient app"],
                   ["Weaknesses", "No bedside monitor, US-only hosting, consumer-grade alarm "
                                  "handling, small support team in Europe"],
                   ["Pricing pattern", "Free 90-day pilot, then per-patient pricing well above "
                                       "the pilot quote"],
                   ["Regions", "North America, UK&I; first deals in the Nordics"]]),
        ("h1", "Their pitch"),
        ("p", "\u201cStart a virtual ward next month, free for 90 days.\u201d"),
        ("h1", "Our counter"),
        ("bullets", [
            "Helix only covers the patient at home; Northwind covers the same patient from the "
            "ward bed to the kitchen table on one platform.",
            "CareCloud is hosted in the customer's region; Helix stores data in the United "
            "States.",
            "VitalWatch Go alarms are part of a medical device system with documented alarm "
            "priorities.",
        ]),
        ("h1", "Helix landmine questions"),  # FACT
        ("bullets", [
            "\u201cIn which country is patient data stored, and who can access it from "
            "there?\u201d",
            "\u201cWhat will the price per patient be when the free pilot ends?\u201d",
            "\u201cWhich alarms are handled as medical alarms, and under which regulatory "
            "class?\u201d",
            "\u201cHow does Helix connect to the bedside monitors on our wards?\u201d",
        ]),
        ("h1", "Handling the free pilot"),
        ("p", "Do not compete with 'free'. Offer a paid pilot ward with agreed success "
              "criteria and a price that continues after the pilot. Ask the customer's DPO to "
              "review the hosting location of both offers before the pilot starts."),
        ("h1", "Proof points"),
        ("bullets", [
            "Lindgården Vårdcentral chose CareCloud Remote for EU-North hosting.",
            "2025 win rate against Helix: 61%; most losses were in the pilot phase on price.",
        ]),
    ]
    build_docx(path, blocks, Props(modified=dt.datetime(2026, 1, 14, 10, 30)))
