"""The demo team's mix and names: weights from the published reports, invented people.

Kept apart from the generator so the numbers can be read and changed at a glance.
"""

from __future__ import annotations

DIVISIONS: dict[str, tuple[str, ...]] = {
    "Children in Care": (
        "Children in Care - North",
        "Children in Care - South",
        "Fostering Service",
        "Through Care - Care Leavers",
    ),
    "Family Safeguarding": (
        "Lichfield - Family Safeguarding",
        "Tamworth - Family Safeguarding",
        "Cannock - Family Safeguarding",
        "Stafford - Family Safeguarding",
    ),
    "Early Help": ("Lichfield - Early Help", "Tamworth - Early Help", "Stafford - Early Help"),
    "Front Door": ("Family Front Door (MASH)", "Children with Disabilities"),
    "SEND and Inclusion": ("SEND Assessment Team", "Educational Psychology Service"),
}
SERVICES = [(division, s) for division, services in DIVISIONS.items() for s in services]

PROCEDURE_MIX = {
    "corporate": 30,
    "statutory": 22,
    "mp": 14,
    "councillor": 4,
    "general": 5,
    "chief_executive": 1,
    "mayor": 1,
    "foi": 2,
    "lgsco": 3,
    "compliment": 10,
    "duty": 8,
}
COMPLAINANTS = {
    "parent": 62,
    "family": 12,
    "young_person": 6,
    "foster_carer": 5,
    "advocate": 4,
    "solicitor": 3,
    "professional": 4,
    "other": 4,
}
CHANNELS = {"email": 55, "web": 25, "telephone": 10, "letter": 7, "in_person": 3}
OUTCOMES = {
    "not_upheld": 42,
    "partially_upheld": 28,
    "upheld": 15,
    "withdrawn": 5,
    "resolved_on_receipt": 4,
    "no_finding": 3,
    "outside_remit": 2,
    "discontinued": 1,
}
LGSCO = {
    "premature": 30,
    "closed_after_initial_enquiries": 35,
    "not_investigated": 8,
    "no_fault": 12,
    "fault_no_injustice": 5,
    "fault_injustice": 10,
}
DUTY = {
    "advice": 30,
    "signposted": 25,
    "refused_legal_proceedings": 20,
    "pending_information": 10,
    "passed_to_service": 15,
}
THEMES = (
    "Communication",
    "Staff attitude / behaviour",
    "Decision making",
    "Delay",
    "Quality of assessment",
    "Lack of support",
    "EHCP delays",
    "Payments",
    "Information sharing",
    "Contact arrangements",
    "Placement",
    "Discrimination",
)
ADVOCATES = ("NYAS", "Coram Voice", "Barnardo's advocacy")
CHILD_STATUSES = ("child_in_care", "care_leaver", "child_in_need", "child_protection")
FIRST = (
    "Sam",
    "Alex",
    "Jo",
    "Priya",
    "Tom",
    "Aisha",
    "Chris",
    "Megan",
    "Daniel",
    "Zara",
    "Liam",
    "Fatima",
    "Kelly",
    "Ryan",
    "Zoë",
    "Imran",
    "Siobhán",
    "Seán",
)
LAST = (
    "Smith",
    "Khan",
    "Jones",
    "Patel",
    "Williams",
    "Brown",
    "Taylor",
    "Ahmed",
    "Davies",
    "Evans",
    "Wilson",
    "Hughes",
    "Clarke",
    "Hussain",
    "Ó Briain",
    "Wright",
)
OFFICERS = ("J. Bennett", "R. Okafor", "S. Lewis", "M. Chen")
SUMMARIES = (
    "Unhappy with the outcome of the child and family assessment",
    "No response from the social worker to repeated calls and emails",
    "Contact arrangements with the children changed without discussion",
    "Delay in issuing the EHCP beyond the 20-week timescale",
    "Concerns about the accuracy of the child protection conference report",
    "Care leaver not receiving the setting-up-home allowance",
    "Foster carer allowance paid late",
    "Social worker's attitude during the home visit",
    "Information shared with the school without consent",
    "Request for a change of social worker refused",
    "Transport to school not provided as agreed in the plan",
    "Short breaks package reduced without reassessment",
)
COMPLIMENT_QUOTES = (
    "She is the best social worker we have had",
    "Thank you for listening to our son",
    "The team went above and beyond for our family",
)
REFUSAL_REASONS = (
    "The Stage 1 response addressed every point; nothing further a review would add",
    "The complaint is about matters before the family court",
)
