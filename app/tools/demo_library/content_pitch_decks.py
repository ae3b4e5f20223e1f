"""Content: pricing, corporate, hospital and elder-care decks (PPTX)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.content_workbooks import roi_example
from app.tools.demo_library.prices import PRICES_2026, money, reference_deal
from app.tools.demo_library.write_pptx import Slide, build_pptx

# --------------------------------------------------------------------------- decks


def pptx_pricing(path: Path) -> None:
    def table(codes: Sequence[str]) -> list[list[str]]:
        rows = [["Code", "Item", "Unit", "DACH (EUR)", "Nordics (EUR)", "UK&I (GBP)",
                 "North America (USD)"]]
        for row in PRICES_2026:
            if row[0] in codes:
                rows.append([row[0], row[1].split(" (")[0], row[2]] + [f"{v:,}" for v in row[3:]])
        return rows

    deal, one_time, recurring = reference_deal()
    slides = [
        Slide("2026 price guide for acute care",
              subtitle="VitalWatch V3, VitalWatch Go and CareCloud for sales teams and "
                       "authorised partners",
              notes="Internal deck. Do not send the file to customers: present on screen or "
                    "copy single slides into a proposal. Prices valid for quotes issued from "
                    "1 January 2026."),
        Slide("How we price", bullets=[
            "Devices are sold once and include a three-year warranty",
            "CareCloud is a subscription: per monitored bed per month for acute care",
            "Services are fixed fees per ward, so there are no open-ended day rates",
            "All prices are list prices excluding VAT or sales tax",
            "Quotes are valid for 90 days; subscriptions are billed annually in advance",
        ], notes="Customers often ask for a per-bed all-in price. We keep devices and "
                 "subscription separate because hospitals buy devices from capital budgets and "
                 "subscriptions from operating budgets. Show both columns in every quote."),
        Slide("Three packages for acute care", table=[
            ["Package", "What is included", "Typical buyer"],
            ["Essentials", "VitalWatch V3, CareCloud Core, implementation", "Smaller hospitals "
             "replacing end-of-life monitors"],
            ["Professional", "Essentials plus Alarm Routing, Early Warning and VitalWatch Go for "
             "transport", "Most general and step-down wards"],
            ["Enterprise", "Professional plus Remote, Insights, customer-managed keys, 99.95% "
             "availability", "Hospital groups and university hospitals"],
        ], notes="Lead with Professional. Essentials is the fallback when the budget is only for "
                 "replacing monitors; Enterprise when the customer has a virtual ward or home "
                 "monitoring strategy."),
        Slide("Device list prices by region", table=table(
            ["VW3-BASE", "VW3-CO2", "VW3-IBP", "VWG-SENSOR", "VWG-DOCK"]),
            notes="Nordic prices are quoted in EUR; convert to SEK, NOK or DKK only on the final "
                  "order form using the deal desk's monthly rate."),
        Slide("CareCloud subscription prices", table=table(
            ["CC-CORE", "CC-PRO", "CC-ENT", "CC-REMOTE", "CC-INS"]),
            bullets=["Billed annually in advance; minimum term 12 months",
                     "Monitored beds are counted as beds with a VitalWatch V3 or an active Go "
                     "sensor assignment"],
            notes="If a customer wants to start with fewer beds, sell a ramp: the subscription "
                  "grows ward by ward as the rollout proceeds."),
        Slide("Services and warranty", table=table(["SVC-IMPL", "SVC-TRAIN", "VW3-EXT7"]),
              bullets=["Implementation covers interface set-up, alarm profile workshop, super-"
                       "user training and two weeks of hypercare per ward",
                       "Extended warranty must be bought with the devices or within year one"],
              notes="Do not discount services by more than 10% without approval from Professional "
                    "Services; margins there are thin."),
        Slide("Hospital pricing: a 400-bed reference deal",  # FACT
              kicker="Hospital pricing at a glance: DACH list prices in EUR, 200-499 bed band",
              table=deal,
              bullets=[f"One-time net: {money(one_time)}   |   CareCloud per year net: "
                       f"{money(recurring)}",
                       "Use this hospital pricing example to set expectations early, before the "
                       "formal proposal"],
              notes="The reference deal is a 400-bed hospital monitoring 240 beds on twelve "
                    "wards. Hospital pricing conversations go better when the CFO sees a full "
                    "example early: one-time capital first, then the annual subscription. The "
                    "10% volume discount applies because 240 monitored beds fall into the "
                    "200-499 band."),
        Slide("Discount bands and approvals", table=[
            ["Monitored beds or residents", "Volume discount", "3-year term", "5-year term"],
            ["1-49", "0%", "+4% on subscription", "+7% on subscription"],
            ["50-199", "5%", "+4% on subscription", "+7% on subscription"],
            ["200-499", "10%", "+4% on subscription", "+7% on subscription"],
            ["500 and more", "14%", "+4% on subscription", "+7% on subscription"],
        ], bullets=["Up to 10% total: account executive  |  up to 18%: regional sales director",
                    "Up to 25%: VP Sales with deal desk  |  above 25%: CFO"],
            notes="The Nordic regional framework discount is fixed at 8% and does not stack with "
                  "volume bands. See the Discounts sheet of the price list."),
        Slide("From quote to signature", bullets=[
            "Configure the quote in CPQ; never send prices from a spreadsheet",
            "Deal desk review within two business days for any non-standard term",
            "Use the hospital proposal template for the commercial section",
            "Public tenders: involve the bid team at least four weeks before the deadline",
            "After signature: hand over to Professional Services with the rollout tracker",
        ], notes="Deal desk: dealdesk@northwind-medical.example. Include the opportunity ID in "
                 "the subject line."),
    ]
    build_pptx(path, slides, Props(title="Hospital pricing 2026", author="Northwind Deal Desk",
                                   subject="Pricing", modified=dt.datetime(2026, 1, 7, 12, 0)),
               "Internal: sales and partners only")


def pptx_corporate(path: Path) -> None:
    slides = [
        Slide("Northwind Medical", subtitle="Every vital sign, every bed, every shift",
              notes="Use this deck for first meetings and events. Keep it to ten minutes; the "
                    "conversation matters more than the slides."),
        Slide("Who we are", kpis=[("2014", "founded in Hamburg"),
                                  ("480", "employees in four countries"),
                                  ("1,100+", "hospitals, clinics and care homes")],
              bullets=["Offices in Hamburg (headquarters), Stockholm, Manchester and Boston",
                       "Devices designed in Hamburg and assembled by a certified partner in "
                       "Lübeck",
                       "Clinical Affairs team of nurses and physicians who still work shifts"],
              notes="Mention that the founders were an intensive-care nurse and a biomedical "
                    "engineer. It explains why usability on the ward is our obsession."),
        Slide("The problem we solve", bullets=[
            "Patients on general wards are sicker than ten years ago, but are still checked "
            "every four to eight hours",
            "Nurses hear more than a hundred alarms per monitored bed each day, and most mean "
            "nothing",
            "Patients go home earlier and need watching from a distance",
            "Care homes look after frailer residents with fewer night staff",
        ], notes="Ask which of these four the customer recognises before moving on. Their "
                 "answer tells you which product story to lead with."),
        Slide("Our portfolio", table=[
            ["Product", "What it is", "Where it is used"],
            ["VitalWatch V3", "Multi-parameter bedside monitor", "General wards, step-down, "
             "recovery"],
            ["VitalWatch Go", "Wearable sensor with 7-day battery", "Transport, home monitoring, "
             "care homes"],
            ["CareCloud", "Cloud platform: central station, alarm routing, early warning, "
             "remote care, insights", "Every setting, in five hosting regions"],
        ], notes="CareCloud is where the value is. Devices open the door; the platform keeps "
                 "the customer."),
        Slide("Who we work with", table=[
            ["Segment", "Customer", "Outcome"],
            ["Hospitals", "Klinikum Sankt Anna, Freiburg", "41% fewer non-actionable alarms"],
            ["Hospitals", "Great Lakes Regional Health, Michigan",
             "Doctor review after a NEWS2 of 5+ within 19 minutes instead of 52"],
            ["Clinics", "Lindgården Vårdcentral, Uppsala", "32% fewer emergency visits"],
            ["Elder care", "Rosewood Care Homes, Yorkshire", "63% fewer residents found long "
             "after a fall"],
            ["Elder care", "Fjellheim Omsorgssenter, Bergen", "Family app used by 70% of "
             "relatives"],
        ], notes="Pick the reference closest to the customer's segment and country. All five "
                 "have agreed to reference calls; book them through marketing."),
        Slide("Local in every region", table=[
            ["Region", "Office", "CareCloud hosting", "Support languages"],
            ["DACH", "Hamburg", "Frankfurt", "German, English"],
            ["Nordics", "Stockholm", "Stockholm", "Swedish, Norwegian, Danish, Finnish, English"],
            ["UK&I", "Manchester", "London", "English"],
            ["North America", "Boston", "Northern Virginia, Montreal", "English, French"],
        ], notes="Data residency is a deciding factor in DACH and the Nordics; mention hosting "
                 "early."),
        Slide("Why Northwind", bullets=[
            "Designed with nurses: fewer, better alarms rather than more data",
            "One platform from intensive care step-down to the patient's kitchen table",
            "Open standards: HL7, FHIR and IHE profiles instead of proprietary gateways",
            "Local hosting, local support, local references",
        ], notes="If a competitor is already in the account, switch to the matching battlecard "
                 "rather than improvising."),
        Slide("Next steps", bullets=[
            "A 60-minute discovery session with nursing, IT and finance",
            "A free three-week alarm baseline study on one ward",
            "A reference call with a customer in your country",
        ], notes="Always leave the meeting with a date for the next one."),
    ]
    build_pptx(path, slides, Props(title="Northwind Medical corporate overview",
                                   author="Northwind Medical Marketing", subject="Corporate deck",
                                   modified=dt.datetime(2026, 1, 10, 9, 0)),
               "Corporate overview 2026")


def pptx_hospital_pitch(path: Path) -> None:
    slides = [
        Slide("Quieter wards, earlier warnings",
              subtitle="VitalWatch V3 and CareCloud for hospitals",
              notes="Hospital first-meeting deck for nursing directors and CMIOs. Slides 3 and 8 "
                    "carry numbers; check the customer's own numbers in discovery first."),
        Slide("What we hear from hospitals", bullets=[
            "\"Our monitors are at end of support and the central station runs on Windows 7\"",
            "\"Nurses ignore alarms because almost all of them are false\"",
            "\"We find deteriorating patients too late, at the next observation round\"",
            "\"Every vendor wants another interface engine and another server room\"",
        ], notes="Read one quote aloud and ask whether it sounds familiar. Let the customer "
                 "talk for at least five minutes."),
        Slide("The noise problem in numbers",
              kicker="Baseline data from 23 wards before changes (Northwind Clinical Affairs)",
              kpis=[("142", "alarms per monitored bed per day"),
                    ("84%", "of alarms led to no clinical action"),
                    ("61%", "resolved on their own within 10 seconds")],
              bullets=["Source: the alarm fatigue whitepaper; share it with the alarm committee"],
              notes="These are medians across customer wards, not a promise. Offer the free "
                    "alarm baseline study so the customer can see their own numbers."),
        Slide("Meet VitalWatch V3 and CareCloud", bullets=[
            "VitalWatch V3 at every bed: five vital signs, readable from the doorway",
            "VitalWatch Go for patients on the move and for transport",
            "CareCloud routes every alarm to the nurse who owns the patient",
            "NEWS2 early warning calculated continuously, not every eight hours",
        ], notes="Short product slide. The demo shows the rest."),
        Slide("A night shift with Northwind", bullets=[
            "22:00  Handover: the charge nurse sees two patients with a rising NEWS2 trend",
            "01:40  SpO2 dips for eight seconds while a patient turns: no alarm, thanks to the "
            "15-second delay",
            "02:14  Heart rate climbs in bed 12: the assigned nurse's phone vibrates, not the "
            "whole ward",
            "02:16  NEWS2 reaches 6; CareCloud pages the rapid response team automatically",
            "07:00  The ward manager sees the night's alarm load in CareCloud Insights",
        ], notes="Tell this as a story, with a named nurse if the customer gave you one."),
        Slide("Proof from hospitals like yours", table=[
            ["Hospital", "Country", "Result"],
            ["Klinikum Sankt Anna (620 beds)", "Germany", "41% fewer non-actionable alarms; "
             "critical alarms answered in 51 s instead of 94 s"],
            ["Great Lakes Regional Health (480 beds)", "United States", "Doctor review after a "
             "NEWS2 of 5+ within 19 minutes instead of 52"],
            ["St Brendan's Hospital, Galway (310 beds)", "Ireland", "60% fewer lead-off alarms "
             "after introducing daily electrode change"],
        ], notes="Case study PDFs exist for Sankt Anna; for the others, offer a reference call."),
        Slide("Fits your IT landscape", bullets=[
            "Patient identity from your HL7 ADT feed: no typing at the bedside",
            "Vital signs into your EHR as FHIR R4 Observations",
            "Alarms to your existing DECT handsets or smartphones",
            "Single sign-on with your identity provider",
            "Hosted in your region; ISO 27001 and SOC 2 Type II",
        ], notes="If IT is in the room, hand over the security whitepaper now rather than "
                 "waiting for the questionnaire."),
        Slide("What it is worth", kpis=[(f"{roi_example()['payback']:.0f} months",
                                         "until the investment has paid for itself"),
                                        ("26 min", "nurse time saved per shift"),
                                        ("-18%", "unplanned ICU transfers")],
              bullets=["Based on Klinikum Sankt Anna's results and the ROI calculator defaults",
                       "We build the business case with your numbers, not ours"],
              notes="Open the ROI calculator with the customer rather than quoting these "
                    "figures. Finance trusts numbers they typed in themselves."),
        Slide("From signature to go-live in 16 weeks", table=[
            ["Weeks", "Phase"],
            ["1-3", "Alarm committee and baseline"],
            ["4-6", "Interfaces and configuration"],
            ["7-8", "Pilot ward"],
            ["9-14", "Ward-by-ward rollout"],
            ["15-16", "Hypercare and handover"],
        ], notes="The full plan is in the implementation plan document."),
        Slide("Next steps", bullets=[
            "Free three-week alarm baseline study on one ward",
            "Site visit or video call with a reference hospital",
            "Business case workshop with finance",
            "Proposal within two weeks of the workshop",
        ], notes="Ask for the baseline study. It costs the customer nothing and gives us data "
                 "for the business case."),
    ]
    build_pptx(path, slides, Props(modified=dt.datetime(2025, 12, 2, 15, 0)),
               "Hospital pitch")


def pptx_elder_care(path: Path) -> None:
    slides = [
        Slide("Safer nights in care homes",
              subtitle="VitalWatch Go and CareCloud Elder for care homes and assisted living",
              notes="For owners, registered managers and heads of care. Tone: practical, no "
                    "hospital jargon."),
        Slide("The night-shift challenge", bullets=[
            "Residents are frailer, and many live with dementia",
            "Night teams are small and often rely on agency staff",
            "Hourly checks wake residents and still miss what happens in between",
            "Families and inspectors want to know what happened overnight",
        ], notes="Ask how many residents the night team covers per carer. It is usually 15 to "
                 "25."),
        Slide("How it works", bullets=[
            "Residents wear a light VitalWatch Go sensor on a soft wrist band",
            "CareCloud Elder learns each resident's normal night",
            "Falls and 'out of bed, not back' alerts go to the carer's handset with the room "
            "number",
            "Carers check residents who need it, instead of every door every hour",
            "A morning summary supports the day-shift handover",
        ], notes="Consent matters: explain that residents or their representatives agree to the "
                 "sensor, and that there are no cameras and no microphones."),
        Slide("What changes, and for whom", table=[
            ["Who", "What changes"],
            ["Residents", "Undisturbed sleep; help arrives quickly after a fall"],
            ["Night carers", "Fewer pointless checks; clear priorities on the handset"],
            ["Managers", "Evidence for inspections; fewer agency shifts"],
            ["Families", "Optional updates in the CareCloud Family app"],
        ], notes="Families are often the strongest advocates once they have seen the app."),
        Slide("Rosewood Care Homes: the results",
              kpis=[("63%", "fewer residents found long after a fall"),
                    ("22%", "fewer hospital admissions after a fall"),
                    ("-77%", "residents woken by routine checks")],
              bullets=["Nine homes, 412 residents, North and West Yorkshire"],
              notes="The full case study is in Satchel under case studies. Rosewood's operations "
                    "director is happy to take calls from other care home owners."),
        Slide("Simple pricing per resident", table=[
            ["Region", "CareCloud Elder per resident per month", "VitalWatch Go sensor"],
            ["DACH", "€24", "€420 one-time"],
            ["Nordics", "€25", "€440 one-time"],
            ["UK&I", "£21", "£370 one-time"],
            ["North America", "$26", "$460 one-time"],
        ], bullets=["No set-up fee for groups of more than 100 residents"],
            notes="Care home budgets are monthly. Lead with the per-resident price and mention "
                  "the sensor as a one-time item."),
        Slide("Getting started", bullets=[
            "A 30-day pilot in one home, with 20 sensors",
            "Wi-Fi check in the first week",
            "Two digital champions trained per home",
            "Review meeting with the owner after 30 days",
        ], notes="Convert the pilot to a group-wide contract at the review meeting."),
    ]
    build_pptx(path, slides, Props(title="Elder care pitch: safer nights with VitalWatch Go",
                                   author="Northwind Medical Marketing", subject="Elder care",
                                   modified=dt.datetime(2025, 11, 4, 10, 0)),
               "Elder care")
