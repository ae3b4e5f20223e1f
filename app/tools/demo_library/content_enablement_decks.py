"""Content: demo walkthrough, competitive and training decks (PPTX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.write_pptx import Slide, build_pptx


def pptx_demo_walkthrough(path: Path) -> None:
    slides = [
        Slide("CareCloud demo walkthrough",
              subtitle="A 25-minute storyline for hospital demos",
              notes="Internal. Practise the storyline twice before your first customer demo."),
        Slide("Before you start", bullets=[
            "Log in to the shared demo tenant at least 30 minutes before the meeting",
            "Run the 'reset ward 4B' job so the patient data starts at 22:00",
            "Mute chat and e-mail notifications on the presenting laptop",
            "Have a VitalWatch Go sensor in your pocket for the live pairing moment",
        ], notes="If the demo tenant is down, use the recorded demo video and apologise once, "
                 "not repeatedly."),
        Slide("Meet the patient: Mr. Jansen", bullets=[
            "78 years old, day two after a hip replacement",
            "Known COPD, SpO2 usually 90-92%",
            "Ward 4B, bed 12, assigned to nurse Anna",
            "Personal SpO2 low limit of 88% set by the ward doctor",
        ], notes="A named patient makes the demo memorable. Keep the story consistent: the "
                 "customer will ask about Mr. Jansen again later."),
        Slide("Step 1: the central station", bullets=[
            "Show the ward overview: 28 beds, colour-coded by NEWS2",
            "Open bed 12 and scroll back through 72 hours of full disclosure",
            "Point out the personal SpO2 limit, set per medical order",
        ], notes="Let the nurse in the room drive the mouse if they want to."),
        Slide("Step 2: an alarm that finds the right nurse", bullets=[
            "Trigger the heart-rate scenario for bed 12",
            "Anna's phone vibrates first; nobody else is disturbed",
            "Do not acknowledge: after 60 seconds the charge nurse is escalated",
            "Show the alarm history with timestamps for both notifications",
        ], notes="This is usually the moment nurses lean forward. Pause here."),
        Slide("Step 3: early warning in action", bullets=[
            "Advance the clock: NEWS2 rises from 3 to 6 over two hours",
            "CareCloud pages the rapid response team and flags bed 12 on the overview",
            "Open the trend: the rise was visible long before any single alarm",
        ], notes="Connect this to the customer's own deterioration stories from discovery."),
        Slide("Step 4: insights for the ward manager", bullets=[
            "Alarm load per bed-day for ward 4B over the last four weeks",
            "Top five alarm types and the effect of last month's SpO2 delay change",
            "Response times by shift, aggregated per ward, never per nurse",
        ], notes="In Germany mention that reports are ward-level by default, which works-"
                 "council agreements usually require."),
        Slide("Questions that come up during the demo", table=[
            ["Question", "Short answer"],
            ["What if the Wi-Fi fails?", "Monitors keep alarming locally and buffer 72 hours"],
            ["Can we keep our DECT phones?", "Yes, through your messaging gateway"],
            ["Where is the data stored?", "In the hosting region you choose"],
            ["Who sets the alarm limits?", "Your alarm committee; we only advise"],
        ], notes="For anything deeper, note the question and follow up in writing the same day."),
    ]
    build_pptx(path, slides, Props(modified=dt.datetime(2025, 12, 15, 9, 0)),
               "Internal: demo script")


def pptx_competitive(path: Path) -> None:
    slides = [
        Slide("Competitive landscape 2026",
              subtitle="Patient monitoring and remote care in our four regions",
              notes="Internal only. Never show competitor slides to customers and never "
                    "disparage a competitor in writing."),
        Slide("Market map", table=[
            ["Vendor", "Strength", "Typical segment", "Regions"],
            ["Meridian HealthSys", "Large installed base, intensive care portfolio",
             "University and large hospitals", "All four"],
            ["Helix Monitoring", "Low-cost wearables, fast pilots", "Clinics, virtual wards",
             "North America, UK&I"],
            ["Caldera Care Systems", "Nurse call plus care-home sensors", "Elder care",
             "UK&I, Nordics"],
            ["EHR vendor add-ons", "Already in the account", "Hospitals with one big EHR",
             "All four"],
        ], notes="We meet Meridian in two of three hospital deals and Helix in most remote "
                 "care deals."),
        Slide("Meridian HealthSys", bullets=[
            "Where they win: intensive care, existing framework contracts, 'nobody got fired "
            "for buying Meridian'",
            "Where we win: general wards, alarm burden, cloud central station, faster rollout",
            "Their central station needs on-site servers and a separate interface engine",
            "Key message: 'Keep Meridian in the ICU; let us make the wards quieter'",
        ], notes="Do not attack the ICU position. Land on the wards and expand."),
        Slide("Helix Monitoring", bullets=[
            "Where they win: price per sensor, quick pilots, slick patient app",
            "Where we win: bedside plus wearable on one platform, EU and UK hosting, "
            "medical-grade alarms",
            "Their hosting is US-only, which matters to DPOs in Europe",
            "Key message: 'A pilot is not a programme'",
        ], notes="See the Helix battlecard for landmine questions."),
        Slide("Caldera Care Systems", bullets=[
            "Where they win: care homes that are replacing nurse call anyway",
            "Where we win: vital signs and fall detection in one sensor, family app, evidence "
            "from Rosewood",
            "Partner rather than fight where Caldera nurse call is already installed: "
            "CareCloud Elder can send alerts into Caldera handsets",
        ], notes="Two UK partners also resell Caldera; check with partner management before "
                 "positioning against them."),
        Slide("Win/loss 2025", table=[
            ["Competitor", "Deals", "Won", "Win rate", "Top loss reason"],
            ["Meridian HealthSys", "64", "27", "42%", "Existing framework contract"],
            ["Helix Monitoring", "38", "23", "61%", "Price in pilot phase"],
            ["Caldera Care Systems", "21", "12", "57%", "Bundled with nurse call replacement"],
            ["No decision", "45", "-", "-", "No budget owner identified"],
        ], notes="'No decision' is our biggest competitor. Qualify the budget owner early."),
        Slide("Win themes that work", bullets=[
            "Quieter wards: alarm burden is measurable, so measure it (baseline study)",
            "One platform from bedside to home",
            "Local hosting and local references",
            "A rollout plan with weeks, not quarters",
        ], notes="Use at most two win themes per deal; more dilutes the message."),
    ]
    build_pptx(path, slides, Props(title="Competitive landscape 2026",
                                   author="Northwind Competitive Intelligence",
                                   subject="Competitive", modified=dt.datetime(2026, 1, 14, 9, 0)),
               "Internal: competitive")


def pptx_training(path: Path) -> None:
    slides = [
        Slide("Welcome to Northwind sales", subtitle="Onboarding programme, week one",
              notes="Facilitator deck for the monthly onboarding cohort."),
        Slide("Your first week", table=[
            ["Day", "Topic"],
            ["Monday", "Company, customers and the clinical problem"],
            ["Tuesday", "Products: VitalWatch V3, VitalWatch Go, CareCloud"],
            ["Wednesday", "Sales process, qualification and CRM"],
            ["Thursday", "Demo practice with a clinical specialist"],
            ["Friday", "Pricing, compliance and the pitch certification"],
        ], notes="Hand out the ward shadowing schedule: every new rep spends one shift on a "
                 "customer ward within the first month."),
        Slide("Who we sell to", table=[
            ["Segment", "Buying centre", "Typical first deal"],
            ["Hospitals", "Nursing director, CMIO, IT, finance, procurement",
             "€400k-€2m, 6-12 months"],
            ["Clinics", "Medical lead, practice manager, region", "€50k-€250k, 3-6 months"],
            ["Elder care", "Owner or operations director, registered manager",
             "€30k-€300k, 2-4 months"],
        ], notes="Elder care cycles are short but deals are small; hospitals the opposite."),
        Slide("Personas and what they care about", table=[
            ["Persona", "Cares about", "Good opening question"],
            ["Chief Nursing Officer", "Staff workload, patient safety",
             "How many alarms does a nurse hear per shift?"],
            ["CMIO", "Data quality, EHR integration", "How do vitals reach the EHR today?"],
            ["CIO / IT security", "Hosting, security, interfaces", "Which cloud services are "
             "already approved?"],
            ["CFO", "Capital versus operating budget, payback", "How are device replacements "
             "funded?"],
            ["Procurement", "Tender rules, frameworks", "Is there a framework we can use?"],
            ["Care home owner", "Occupancy, inspections, staffing", "How do you staff nights?"],
        ], notes="Write the persona names into the CRM contact roles; reporting depends on it."),
        Slide("Our sales stages", table=[
            ["Stage", "Exit criteria"],
            ["Prospecting", "Meeting booked with a named decision maker"],
            ["Discovery", "Pain, owner and budget path documented"],
            ["Demo", "Clinical champion confirms fit"],
            ["Proposal", "Proposal sent using the approved template"],
            ["Negotiation", "Commercial terms agreed in principle"],
            ["Closing", "Signed contract or purchase order"],
            ["Onboarding", "Handover to Professional Services completed"],
        ], notes="Satchel tags collateral with the same stages, so filtering by stage shows "
                 "what to use next."),
        Slide("Qualifying with PULSE", bullets=[
            "P - Pain: a measurable problem (alarms, late deterioration, night staffing)",
            "U - Urgency: end of support, inspection, tender date, budget cycle",
            "L - Leadership sponsor: a named executive who wants the change",
            "S - Solution fit: wards, interfaces and hosting match what we offer",
            "E - Economics: who pays, from which budget, and when",
        ], notes="An opportunity without a named sponsor stays in Discovery, whatever the "
                 "customer says about timing."),
        Slide("Product basics in five minutes", bullets=[
            "VitalWatch V3: bedside monitor, five parameters, 6-hour battery",
            "VitalWatch Go: wearable, 7-day battery, fall detection",
            "CareCloud: central station, alarm routing, early warning, remote, elder, insights",
            "Five hosting regions; ISO 27001 and SOC 2 Type II",
        ], notes="Details are in the datasheets; nobody expects you to know every spec."),
        Slide("Demo rules", bullets=[
            "Demo only what discovery showed the customer needs",
            "Always use the Mr. Jansen storyline in the demo tenant",
            "Never demo on a customer's network without IT approval",
            "Bring a clinical specialist for any hospital demo",
        ], notes="See the CareCloud demo walkthrough deck."),
        Slide("Pricing basics", bullets=[
            "List prices live in the price list and the pricing deck; check the version date",
            "Discounts above 10% need approval; never promise a discount before approval",
            "Do not e-mail spreadsheets with prices; quotes come from CPQ",
            "Public tenders follow the bid team's rules, not ours",
        ], notes="Most pricing mistakes come from old spreadsheets. Satchel always shows the "
                 "current price list."),
        Slide("Compliance: what you may and may not say", bullets=[
            "Only claim clinical results that appear in approved collateral",
            "No off-label use: VitalWatch Go is not cleared for neonatal use",
            "Hospitality for healthcare professionals follows the local code; when in doubt, "
            "ask compliance",
            "Never ask for or accept information about a competitor's tender submission",
        ], notes="Compliance breaches end careers. Ask before, not after."),
        Slide("Finding collateral in Satchel", bullets=[
            "Search works offline and looks inside decks, PDFs and spreadsheets",
            "Filter by product, segment, stage, persona and region",
            "Expired items disappear automatically, so what you find is approved",
            "Tell marketing which items helped you win",
        ], notes="Let everyone try three searches on their own laptop: 'NEWS2', 'works "
                 "council' and the name of a competitor."),
        Slide("Certification checklist", bullets=[
            "Day 10: product quiz (pass mark 80%)",
            "Day 20: recorded discovery role-play",
            "Day 30: corporate pitch certification with your manager",
            "Day 45: supervised customer demo",
        ], notes="Certification status is visible to managers in the learning portal."),
    ]
    build_pptx(path, slides, Props(title="Sales onboarding: week one",
                                   author="Northwind Sales Enablement", subject="Training",
                                   modified=dt.datetime(2026, 1, 13, 8, 0)),
               "Internal: sales enablement")
