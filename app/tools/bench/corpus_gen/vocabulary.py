"""The generator's words: a Zipf-like vocabulary, names of products, customers, segments
and owners, and the seeded Writer that draws text from them."""

from __future__ import annotations

import random

FUNCTION_WORDS = """the of and to in a for is that with on as by this are be we our it from at
your or will can an their more all has have which new not its most each also than into
these up out about how when who they one both only over such what use per two first any"""


BUSINESS_WORDS = (
    """revenue pricing discount margin contract proposal quote invoice budget
forecast pipeline quota territory account customer prospect buyer stakeholder procurement
renewal subscription license tier bundle package offer promotion campaign launch rollout
roadmap strategy market segment competitor benchmark positioning differentiation value
proposition benefit outcome return investment payback savings efficiency productivity growth
expansion acquisition retention churn loyalty satisfaction survey feedback testimonial case
study reference success partner channel reseller distributor wholesale retail enterprise
midmarket smallbusiness government education healthcare hospital clinic pharmacy insurer payer
provider network region country global europe americas asia pacific dach nordics benelux iberia
quarter annual monthly weekly deadline milestone timeline phase pilot trial evaluation demo
presentation meeting workshop training onboarding implementation deployment support service
warranty maintenance upgrade migration integration compliance regulation policy audit risk
security privacy governance certification standard accreditation approval tender rfp rfi
negotiation objection closing signature terms conditions payment net days credit financing
lease rental leasing capex opex total cost ownership tco roi kpi metric dashboard report
analysis insight trend share leader challenger adoption awareness consideration decision
executive director manager officer cfo ceo cio cmo coo vp head buyer champion sponsor user
administrator clinician nurse physician surgeon technician engineer analyst consultant
specialist coordinator representative team department unit division headquarters office site
ward theatre laboratory pharmacy warehouse logistics shipping delivery lead time inventory
stock order fulfilment backorder catalog sku price list rate card volume tiered floor ceiling
rebate incentive bonus commission spiff target attainment forecastable predictable recurring
"""
    + """annualized bookings billings backlog upsell crossell attach rate win loss ratio cycle
velocity conversion qualified opportunity stage discovery proposal shortlist verbal commit"""
)


MEDICAL_WORDS = """patient monitoring vital signs heart rate blood pressure oxygen saturation
respiratory temperature ecg ekg telemetry arrhythmia fibrillation tachycardia bradycardia
sepsis early warning score deterioration alarm fatigue bedside ward icu intensive care
emergency department anaesthesia surgery perioperative postoperative recovery discharge
readmission length stay outcomes mortality morbidity adverse event incident safety quality
infection prevention hygiene sterilization disposable reusable sensor probe cuff lead
electrode catheter infusion pump syringe ventilator defibrillator imaging ultrasound mri ct
xray radiology cardiology oncology neurology pediatrics neonatal maternity orthopedics
diabetes glucose insulin dialysis renal chronic acute diagnosis therapy treatment protocol
guideline evidence clinical trial study randomized cohort observational endpoint efficacy
sensitivity specificity accuracy validation calibration accuracy interoperability hl7 fhir
dicom emr ehr record chart documentation workflow nursing handover rounds triage telehealth
remote homecare wearable ambulatory outpatient inpatient bed capacity staffing shortage
burnout caregiver clinician physician reimbursement drg coding tariff formulary medtech
device class mdr fda ce marking iso 13485 iec 60601 biocompatibility cleaning disinfection
steriliser autoclave consumable accessory spare part service contract uptime downtime"""


TECH_WORDS = """platform software hardware firmware cloud saas onpremise hybrid server client
database api integration connector gateway edge device sensor network wireless bluetooth
wifi lte 5g ethernet protocol encryption authentication authorization sso saml oauth ldap
directory backup recovery disaster availability redundancy failover cluster scalability
performance latency throughput bandwidth storage archive retention analytics machine
learning artificial intelligence algorithm model prediction anomaly detection dashboard
visualization reporting alerting notification mobile app tablet browser desktop windows
macos linux ios android deployment container kubernetes virtual machine hypervisor appliance
rack module license key activation update patch release version roadmap feature capability
configuration setup installation administration monitoring logging audit trail compliance
gdpr hipaa soc iso27001 penetration test vulnerability firewall vpn certificate token
interface usability accessibility localization language support ticket sla helpdesk portal
knowledge base documentation manual quickstart guide faq troubleshooting diagnostics remote
access session fleet management provisioning zero touch enrollment telemetry data lake
pipeline stream batch export import csv pdf xml json schema field record query search index"""


PRODUCTS = [
    "VitalWatch",
    "CardioSense",
    "PulseLink",
    "OxyTrack",
    "NeoGuard",
    "SepsisAlert",
    "WardView",
    "InfuSafe",
    "ThermoScan",
    "RespiraPro",
    "GlucoSync",
    "DialyCare",
    "SonoLite",
    "ImageBridge",
    "TeleCare Hub",
    "AlarmIQ",
    "BedFlow",
    "CareConnect",
    "MedLedger",
    "NurseNote",
    "SafeSteri",
    "EdgeGateway",
    "DataHarbor",
    "InsightBoard",
]


CUSTOMER_FIRST = [
    "Riverside",
    "Northgate",
    "Lakeside",
    "St",
    "Mary's",
    "Kingsbridge",
    "Westfield",
    "Harbor",
    "Summit",
    "Oakwood",
    "Maple",
    "Cedar",
    "Pinecrest",
    "Fairview",
    "Brookhaven",
    "Highland",
    "Meadow",
    "Silverline",
    "Bluewater",
    "Redstone",
    "Greenfield",
    "Eastbrook",
    "Southport",
    "Midvale",
    "Ashford",
    "Belmont",
    "Clearwater",
    "Foxhill",
    "Glenmoor",
    "Hawthorne",
    "Ironbridge",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Millbrook",
    "Newhaven",
    "Orchard",
    "Parkside",
    "Queensway",
    "Rosewood",
    "Stonegate",
    "Thornbury",
    "Upton",
    "Valleyview",
    "Whitmore",
    "Yardley",
    "Zenith",
    "Alder",
    "Birchwood",
    "Charter",
    "Dunmore",
    "Elmstead",
]


CUSTOMER_LAST = [
    "Health",
    "Medical Center",
    "University Hospital",
    "Clinics",
    "Care Group",
    "Health System",
    "Regional Hospital",
    "Children's Hospital",
    "Heart Institute",
    "Rehabilitation Center",
    "Surgical Partners",
    "Diagnostics",
]


SEGMENTS = [
    "Hospitals",
    "Clinics",
    "Home care",
    "Ambulatory",
    "Government",
    "Universities",
    "Insurers",
    "Long-term care",
]


STAGES = ["Prospecting", "Discovery", "Proposal", "Negotiation", "Closing", "Onboarding"]


PERSONAS = [
    "CFO",
    "CIO",
    "Head of Nursing",
    "Biomedical Engineer",
    "Procurement",
    "CMO",
    "Clinician",
    "IT Director",
]


REGIONS = [
    "Global",
    "DACH",
    "Nordics",
    "Benelux",
    "UK",
    "France",
    "Iberia",
    "Italy",
    "North America",
    "LATAM",
    "APAC",
    "Middle East",
]


OWNERS = [
    "marketing@example.com",
    "pricing@example.com",
    "product@example.com",
    "enablement@example.com",
    "clinical@example.com",
]


#: category -> (kind weights pdf/pptx/docx/xlsx, document types used in names and titles)
CATEGORIES: dict[str, tuple[tuple[int, int, int, int], list[str]]] = {
    "Decks": ((10, 80, 5, 5), ["Sales Deck", "Pitch", "Overview", "Executive Briefing"]),
    "Brochures": ((85, 5, 10, 0), ["Brochure", "One-pager", "Flyer", "Leaflet"]),
    "Case Studies": ((70, 15, 15, 0), ["Case Study", "Success Story", "Reference"]),
    "Price Lists": ((15, 5, 5, 75), ["Price List", "Rate Card", "Discount Matrix"]),
    "Datasheets": ((80, 0, 15, 5), ["Datasheet", "Spec Sheet", "Technical Summary"]),
    "Proposals": ((20, 15, 55, 10), ["Proposal Template", "RFP Response", "Quote"]),
    "Training": ((25, 50, 20, 5), ["Training", "Playbook", "Objection Handling"]),
    "Competitive": ((35, 35, 25, 5), ["Battlecard", "Competitive Analysis", "Comparison"]),
    "Whitepapers": ((85, 0, 15, 0), ["Whitepaper", "Clinical Evidence", "Study Summary"]),
    "Contracts": ((30, 0, 60, 10), ["Contract Template", "Terms", "Service Agreement"]),
}


KINDS = ("pdf", "pptx", "docx", "xlsx")


_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "bra",
    "cle",
    "dri",
    "fo",
    "gu",
    "ha",
    "ji",
    "kel",
    "lum",
    "mor",
    "nex",
    "pra",
    "qui",
    "ros",
    "sen",
    "tal",
    "ul",
    "vin",
    "wex",
    "xo",
    "yl",
    "zor",
    "tra",
    "plex",
    "gen",
    "cor",
    "med",
    "vit",
    "ax",
    "ion",
    "ar",
    "em",
]


def _vocabulary() -> list[str]:
    """Every word in rank order (rank 0 most frequent); the same list on every run."""
    rng = random.Random("satchel-vocabulary")
    seen: set[str] = set()
    ranked: list[str] = []

    def add(words: list[str]) -> None:
        for word in words:
            if word not in seen:
                seen.add(word)
                ranked.append(word)

    add(FUNCTION_WORDS.split())
    domain = [*BUSINESS_WORDS.split(), *MEDICAL_WORDS.split(), *TECH_WORDS.split()]
    rng.shuffle(domain)
    add(domain)
    tail: list[str] = []
    while len(tail) < 15_000:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen and len(word) >= 4:
            seen.add(word)
            tail.append(word)
    add(tail)
    return ranked


VOCAB = _vocabulary()


N_FUNCTION = len(set(FUNCTION_WORDS.split()))


def _cumulative_weights(count: int) -> list[float]:
    """Zipf-like cumulative weights of the first ``count`` ranks."""
    out: list[float] = []
    acc = 0.0
    for rank in range(count):
        acc += 1.0 / (rank + 2.7) ** 1.05
        out.append(acc)
    return out


CUM_WEIGHTS: list[float] = _cumulative_weights(len(VOCAB))


def customer_name(rng: random.Random) -> str:
    return f"{rng.choice(CUSTOMER_FIRST)} {rng.choice(CUSTOMER_LAST)}"


class Writer:
    """Sentences and paragraphs from one item's random stream."""

    def __init__(self, rng: random.Random, product: str, customer: str) -> None:
        self.rng = rng
        self.product = product
        self.customer = customer

    def sentence(self) -> str:
        rng = self.rng
        words = rng.choices(VOCAB, cum_weights=CUM_WEIGHTS, k=rng.randint(7, 22))
        roll = rng.random()
        if roll < 0.18:
            words.insert(rng.randrange(len(words)), self.product)
        elif roll < 0.24:
            words.insert(rng.randrange(len(words)), rng.choice(PRODUCTS))
        elif roll < 0.30:
            words.insert(rng.randrange(len(words)), self.customer)
        roll = rng.random()
        if roll < 0.08:
            words.insert(rng.randrange(len(words)), f"${rng.randint(1, 480) * 250:,}")
        elif roll < 0.14:
            words.insert(rng.randrange(len(words)), f"{rng.randint(2, 95)}%")
        elif roll < 0.17:
            words.insert(rng.randrange(len(words)), str(rng.randint(2019, 2027)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            sentence = self.sentence()
            out.append(sentence)
            count += sentence.count(" ") + 1
        return " ".join(out)

    def phrase(self, lo: int = 2, hi: int = 6) -> str:
        words = self.rng.choices(VOCAB[N_FUNCTION:2000], k=self.rng.randint(lo, hi))
        return " ".join(words).capitalize()
