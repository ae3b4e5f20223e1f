"""Content: the two whitepapers (PDF)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.tools.demo_library.common import Props
from app.tools.demo_library.write_pdf import Block, build_pdf


def pdf_whitepaper_alarms(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "CLINICAL WHITEPAPER"),
            ("h1", "Beyond the beep: reducing alarm fatigue on general wards"),
            ("lead", "Patient monitors were designed to never miss an event. On a busy general "
                     "ward, that design goal has produced a constant soundtrack that staff learn "
                     "to tune out. This paper looks at where the noise comes from and at the "
                     "practical steps hospitals have used to cut it without adding risk."),
            ("h2", "Executive summary"),
            ("bullets", [
                "Across 23 wards in nine hospitals using VitalWatch, 84% of monitor alarms in "
                "the baseline period did not lead to any clinical action.",
                "Five causes explain most of the noise: default thresholds, motion artefact, "
                "failing electrodes, duplicate notification paths and alarms that nobody owns.",
                "Wards that ran a structured eight-week alarm stewardship programme reduced "
                "non-actionable alarms by 35-45% while response times to critical alarms improved.",
                "The changes are mostly about settings, routines and ownership; technology makes "
                "them easier to apply consistently, but does not replace them.",
            ]),
            ("h2", "About this paper"),
            ("p", "The figures come from anonymised, aggregated alarm logs that customers agreed "
                  "to share with Northwind Clinical Affairs between January 2024 and June 2025, "
                  "together with interviews with 31 nurses, ward managers and clinical engineers "
                  "in Germany, Sweden, the United Kingdom and the United States. The paper is "
                  "intended for nursing directors, alarm committees and clinical engineering "
                  "teams."),
            ("small", "This paper does not constitute clinical guidance. Alarm settings must be "
                      "agreed by each organisation's clinical governance process."),
        ],
        [
            ("h2", "How big is the problem?"),
            ("p", "In the baseline period the 23 wards generated a median of 142 alarms per "
                  "monitored bed per day. On a 28-bed ward that is one alarm every eleven seconds, "
                  "around the clock. Most were short: 61% resolved on their own within ten "
                  "seconds."),
            ("table", [["Alarm source", "Share of all alarms", "Actionable"],
                       ["SpO2 low (including probe and motion artefact)", "38%", "9%"],
                       ["ECG lead off or poor signal", "17%", "3% (technical)"],
                       ["Respiration rate high or low", "14%", "11%"],
                       ["Heart rate high or low", "12%", "24%"],
                       ["NIBP out of range", "9%", "31%"],
                       ["Other physiological and technical alarms", "10%", "18%"]],
             [0.56, 0.22, 0.22]),
            ("h2", "What the noise costs"),
            ("bullets", [
                "**Slower responses.** Nurses interviewed described waiting to see whether an "
                "alarm 'sorts itself out' before walking to the bedside, a habit learned from "
                "hundreds of self-resolving alarms.",
                "**Interrupted work.** Each alarm interrupts a task such as drug preparation or "
                "documentation, and interruptions are a known source of errors.",
                "**Poor sleep for patients.** Alarms at night disturb the patients they are meant "
                "to protect, and delirium risk rises with sleep disruption in older patients.",
                "**Silenced or disabled alarms.** The most dangerous workaround: alarm limits "
                "widened until the monitor stops complaining.",
            ]),
        ],
        [
            ("h2", "What drives bedside alarm fatigue"),  # FACT
            ("p", "Bedside alarm fatigue is rarely caused by one faulty setting. In the wards we "
                  "studied it grew out of five ordinary habits that reinforce each other."),
            ("bullets", [
                "**Factory defaults.** Thresholds designed for intensive care, such as an SpO2 "
                "limit of 90% with no delay, were left unchanged on general wards.",
                "**Motion artefact.** Patients who move, eat or talk produce short, false "
                "desaturations and heart-rate spikes.",
                "**Electrodes that fail quietly.** Gel dries out after about 24 hours; lead-off "
                "alarms cluster late on the second day of use.",
                "**Two paths for the same event.** The bedside monitor, the central station and "
                "the corridor display all sound for one event, so nobody feels responsible.",
                "**Alarms without an owner.** When an alarm goes to 'the ward', the nearest nurse "
                "answers, or nobody does.",
            ]),
            ("h2", "Five levers that work"),
            ("table", [["Lever", "Typical change", "Effect in our data"],
                       ["Adjust thresholds per patient group", "SpO2 low limit 88% for known "
                        "COPD patients, per medical order", "-8% of alarms"],
                       ["Add short alarm delays", "15 s delay on SpO2 low, 10 s on HR high",
                        "-30 to -35%"],
                       ["Change electrodes daily", "Part of the morning hygiene routine",
                        "-60% lead-off alarms"],
                       ["Route to a named nurse", "Phone or handset of the assigned nurse, "
                        "escalation after 60 s", "faster response"],
                       ["Use combined early warning", "NEWS2 trend replaces some single-"
                        "parameter alarms", "earlier escalation"]],
             [0.3, 0.44, 0.26]),
            ("p", "None of these levers removes the need for clinical judgement. Each change in "
                  "our data was agreed by the local alarm committee and reviewed after four "
                  "weeks."),
        ],
        [
            ("h2", "Putting it into practice: an eight-week alarm stewardship programme"),
            ("table", [["Weeks", "Activity"],
                       ["1-2", "Form an alarm committee (nursing, medicine, clinical engineering); "
                               "capture baseline alarm data without changing anything"],
                       ["3", "Review the top ten alarm types per ward; agree threshold and delay "
                             "changes in writing"],
                       ["4", "Introduce daily electrode change and a simple skin-prep routine"],
                       ["5-6", "Switch to named-nurse routing with escalation; retire duplicate "
                               "corridor displays"],
                       ["7-8", "Measure again, report to nursing leadership, decide what to keep"]],
             [0.14, 0.86]),
            ("h2", "What to measure"),
            ("bullets", [
                "Alarms per monitored bed-day, split by alarm type.",
                "Share of alarms that led to a documented action.",
                "Median and 90th-percentile time to respond to high-priority alarms.",
                "Rapid response calls and unplanned ICU transfers, as a safety check.",
            ]),
            ("h2", "How CareCloud supports stewardship"),
            ("p", "CareCloud Insights produces the alarm reports above automatically, alarm "
                  "profiles can be changed for a whole ward in one step and rolled back if "
                  "needed, and Alarm Routing removes the duplicate notification paths. Northwind "
                  "clinical specialists can facilitate the first committee meetings."),
            ("small", "Author: Dr. Miriam Okafor, Head of Clinical Affairs, Northwind Medical. "
                      "Contact clinical@northwind-medical.example for the data appendix."),
        ],
    ]
    build_pdf(path, pages, Props(title="Beyond the beep: reducing alarm fatigue on general wards",
                                 author="Dr. Miriam Okafor, Northwind Clinical Affairs",
                                 subject="Clinical whitepaper",
                                 keywords="alarm fatigue, alarm management, NEWS2",
                                 modified=dt.datetime(2025, 8, 28, 9, 0)),
              "Whitepaper", "NWM-WP-007 | Approved for external use")


def pdf_whitepaper_security(path: Path) -> None:
    pages: list[list[Block]] = [
        [
            ("kicker", "SECURITY AND COMPLIANCE WHITEPAPER"),
            ("h1", "How CareCloud protects patient data"),
            ("lead", "This paper answers the questions that hospital IT security teams, data "
                     "protection officers and procurement usually ask before a CareCloud contract. "
                     "It covers certifications, data protection, technical controls and regional "
                     "regulations."),
            ("h2", "Scope"),
            ("p", "The paper covers the CareCloud platform (all editions and modules), the "
                  "CareCloud Nurse and Family apps, and the connection between VitalWatch devices "
                  "and CareCloud. Device hardening is summarised on page 4."),
            ("h2", "Shared responsibility"),
            ("table", [["Area", "Northwind Medical", "Customer"],
                       ["Platform infrastructure and hosting", "Operates and secures", "-"],
                       ["Application security and patching", "Develops, tests and patches",
                        "Plans user communication for releases"],
                       ["Identity and access", "Provides SSO, MFA, roles and audit logs",
                        "Manages users, roles and leavers"],
                       ["Network between ward and cloud", "Publishes requirements",
                        "Operates the hospital network and firewall rules"],
                       ["Devices on the ward", "Signs firmware, publishes updates",
                        "Installs updates in agreed windows"],
                       ["Clinical configuration", "Advises on alarm profiles",
                        "Approves and owns all clinical settings"]],
             [0.34, 0.33, 0.33]),
        ],
        [
            ("h2", "Certifications and independent assurance"),
            ("table", [["Framework", "Status and scope"],
                       ["ISO/IEC 27001:2022", "Certified since 2019; scope covers CareCloud "
                        "development, operations and support in Hamburg, Stockholm, Manchester "
                        "and Boston. Certificate available on request."],
                       ["ISO/IEC 27017 and 27018", "Cloud security and cloud privacy controls, "
                        "audited together with ISO 27001"],
                       ["SOC 2 Type II", "Annual report covering security, availability and "
                        "confidentiality; available under NDA"],
                       ["ISO 13485", "Quality management for the design and manufacture of "
                        "VitalWatch devices and CareCloud medical software"],
                       ["Cyber Essentials Plus", "United Kingdom, renewed annually"],
                       ["Penetration testing", "Twice a year by an independent firm, plus a test "
                        "before every major release; executive summary available"]],
             [0.28, 0.72]),
            ("h2", "Our ISO 27001 programme in practice"),  # FACT
            ("bullets", [
                "An information security management system owned by the CISO, with quarterly "
                "management reviews and an annual risk assessment.",
                "Mandatory security training for all staff at hiring and every year.",
                "Supplier security reviews before onboarding and every two years.",
                "Internal audits across all ISO 27001 Annex A controls within each three-year "
                "certification cycle.",
            ]),
        ],
        [
            ("h2", "GDPR and data residency"),  # FACT
            ("p", "Under the GDPR, the customer is the controller of patient data and Northwind "
                  "Medical acts as processor. Our standard data processing agreement follows "
                  "Article 28 and lists all subprocessors. Customers are told 30 days before a "
                  "new subprocessor is added and may object."),
            ("h2", "Where your data lives"),
            ("bullets", [
                "**Data residency by design.** The customer chooses the hosting region when the "
                "tenant is created: EU-Central (Frankfurt), EU-North (Stockholm), UK-South "
                "(London), US-East or CA-Central.",
                "**Backups stay in-region.** Backups are encrypted and kept in a second data "
                "centre within the same country.",
                "**No routine transfers.** Patient data is not transferred outside the region "
                "for normal operation. Support engineers outside the region only get access "
                "with customer approval, for a limited time, and every session is logged.",
                "**Switzerland and the UK.** Swiss customers are covered by the revised Federal "
                "Act on Data Protection; UK customers by the UK GDPR and the Data Protection Act "
                "2018.",
            ]),
            ("h2", "Data subject rights and retention"),
            ("p", "CareCloud supports export and erasure of a patient's data on request from the "
                  "controller. Retention periods are configured per tenant to match local "
                  "medical-records law; vital signs default to ten years and audit logs to seven "
                  "years. A DPIA template for hospitals and care homes is available from your "
                  "account manager."),
        ],
        [
            ("h2", "Technical and organisational measures"),
            ("table", [["Control", "Implementation"],
                       ["Encryption in transit", "TLS 1.3 between devices, apps and cloud; "
                        "mutual TLS for VitalWatch devices"],
                       ["Encryption at rest", "AES-256; keys in a hardware-backed key management "
                        "service; customer-managed keys in Enterprise"],
                       ["Identity", "SSO via SAML 2.0 or OpenID Connect, MFA for all "
                        "administrators, role-based access, break-glass accounts"],
                       ["Logging", "Tamper-evident audit log of all access to patient data; "
                        "24/7 security operations centre"],
                       ["Vulnerability management", "Critical fixes within 7 days, high within "
                        "30 days; coordinated disclosure policy"],
                       ["Secure development", "Threat modelling, code review, dependency "
                        "scanning, software bill of materials for every release"]],
             [0.28, 0.72]),
            ("h2", "Device security"),
            ("p", "VitalWatch V3 and VitalWatch Go are developed under IEC 81001-5-1. Firmware is "
                  "signed and checked by secure boot; devices authenticate to CareCloud with "
                  "individual certificates; unused ports are disabled in the factory. An SBOM and "
                  "the MDS2 form are available for each firmware release."),
        ],
        [
            ("h2", "North America"),
            ("p", "For US customers Northwind signs a HIPAA business associate agreement, and "
                  "US-East tenants are operated under HIPAA Security Rule safeguards. Canadian "
                  "tenants are hosted in CA-Central and support compliance with PIPEDA and "
                  "provincial health privacy laws."),
            ("h2", "NIS2 and critical infrastructure"),
            ("p", "Many European hospitals are essential entities under the NIS2 directive. "
                  "Northwind supports their supply-chain obligations with security questionnaires, "
                  "contractual notification duties and evidence from our certifications."),
            ("h2", "Incident response"),
            ("bullets", [
                "A documented incident response plan, tested twice a year.",
                "Customers are notified of a personal data breach affecting them without undue "
                "delay and at the latest within 24 hours of confirmation.",
                "Post-incident reports within ten working days.",
            ]),
            ("h2", "Contacts"),
            ("p", "Security questionnaires and certificate requests: "
                  "security@northwind-medical.example. Data protection officer: "
                  "dpo@northwind-medical.example."),
        ],
    ]
    build_pdf(path, pages, Props(title="CareCloud security and compliance whitepaper",
                                 author="Northwind Medical Information Security",
                                 subject="Security whitepaper",
                                 keywords="GDPR, ISO 27001, SOC 2, HIPAA, data residency",
                                 modified=dt.datetime(2026, 1, 9, 16, 0)),
              "Whitepaper", "NWM-WP-012 | Approved for external use")
