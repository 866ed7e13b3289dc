"""The words of the domain: codes stored in the database and the labels people read."""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "email": "By e-mail",
    "session": "At a session",
    "individual_communication": "Through an individual communication",
    "country_visit": "During a country visit or inquiry",
    "urgent_action": "Through an urgent action request",
    "other": "Other",
}

COOPERATION: dict[str, str] = {
    "session_geneva": "Travelled to a session in Geneva",
    "alternative_report": "Submitted an alternative report",
    "individual_communication": "Filed an individual communication",
    "country_visit": "Met the committee during a country visit or inquiry",
    "urgent_action": "Requested urgent action",
    "other": "Other",
}

TIMING: dict[str, str] = {
    "before": "Before the cooperation (e.g. before departure)",
    "during": "During the cooperation (e.g. during the session)",
    "after": "After the cooperation (e.g. after return)",
    "unknown": "Not known",
}

TARGET_TYPES: dict[str, str] = {
    "defender": "Human rights defender",
    "lawyer": "Lawyer",
    "journalist": "Journalist",
    "relative": "Relative of a person who cooperated",
    "ngo": "Non-governmental organisation",
    "nhri": "National human rights institution",
    "npm": "National preventive mechanism",
    "other": "Other",
}

ACTS: dict[str, str] = {
    "threats": "Threats",
    "intimidation": "Intimidation",
    "harassment": "Harassment",
    "online_smear": "Online threats and smear campaigns",
    "hate_speech": "Hate speech in the media",
    "travel_ban": "Travel ban",
    "denial_of_return": "Denial of return",
    "surveillance": "Monitoring and surveillance",
    "disbarment": "Disbarment",
    "budget_cuts": "Budget cuts",
    "asset_freeze": "Asset confiscation or freeze",
    "passport_confiscation": "Passport confiscation",
    "licence_non_renewal": "Non-renewal of licences",
    "deportation_order": "Deportation order",
    "work_permit_revoked": "Revocation of work permit",
    "foreign_funding": "Restrictions on foreign funding",
    "lawsuits": "Lawsuits",
    "extremist_material": 'Report designated as "extremist material"',
    "terrorism_label": "Terrorism labelling",
    "family_ill_treatment": "Ill-treatment of family members",
    "detention_ill_treatment": "Ill-treatment in detention",
    "public_denunciation": "Public denunciation",
    "police_raid": "Police raid",
    "arrest_detention": "Arbitrary arrest and detention",
    "interrogation": "Interrogation",
    "identity_disclosure": "Disclosure of a detainee's identity",
    "other": "Other (describe below)",
}

URGENCY: dict[str, str] = {
    "normal": "Normal",
    "urgent": "Urgent: a person is in immediate danger",
}

CONFIDENTIALITY: dict[str, str] = {
    "restricted": "Restricted: the lead committee's focal points and the secretariat",
    "shared": "Shared: all committees' focal points (needs consent to share)",
}

CONSENTS: dict[str, str] = {
    "share_committees": "Consent to share with other committees",
    "share_asg": "Consent to share with the ASG office",
    "name_to_state": "Consent to name the person to the State",
    "publish": "Consent to publish",
}

STAGES: dict[str, str] = {
    "received": "Received",
    "under_assessment": "Under assessment",
    "action_taken": "Action taken",
    "awaiting_reply": "Awaiting State reply",
    "reply_received": "Reply received",
    "follow_up": "Follow-up",
    "closed": "Closed",
}

ACTIONS: dict[str, str] = {
    "letter_to_state": "Letter of allegation to the State party",
    "reminder_to_state": "Reminder to the State party",
    "state_reply": "State reply received",
    "mission_meeting": "Meeting with the permanent mission",
    "asg_referral": "Referral to the ASG",
    "asg_raised": "ASG raised it with the Government",
    "public_statement": "Press release or public statement",
    "interim_measures": "Interim measures requested",
    "loi_or_co": "Mentioned in a list of issues or concluding observations",
    "follow_up_selected": "Selected for follow-up",
    "letter_published": "Letter (and reply) published on the committee's web page",
    "special_procedures": "Coordination with special procedures or a field presence",
    "note": "Note",
}

# Actions that ask the State for information, so a reply falls due.
ASKS_STATE = frozenset({"letter_to_state", "reminder_to_state"})

SIGNED_BY: dict[str, str] = {
    "focal_point": "The focal point",
    "chair": "The Chair",
    "both": "The focal point and the Chair",
}

REPLY_SUBSTANCE: dict[str, str] = {
    "denial": "Denial",
    "investigation": "Investigation opened",
    "protection": "Protection offered",
    "other": "Other",
}

MEETING_PLACES: dict[str, str] = {"geneva": "Geneva", "new_york": "New York"}

OUTCOMES: dict[str, str] = {
    "positive": "Positive outcome",
    "no_progress": "Dialogue left open for lack of progress",
    "denied": "Allegation denied by the State",
    "withdrawn": "Withdrawn",
    "other": "Other",
}
