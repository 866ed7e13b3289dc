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
