"""Who may see what, and who may do what to a case: the only place that decides. Pure functions
of roles, case, consent and surface (or action). The same rules are tabled in docs/security.md,
and tests hold the two together."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from commands.roles import Actor, RoleKind
from storage.confidentiality import PUBLIC, RESTRICTED, SHARED
from storage.records import CaseRecord


class Visibility(IntEnum):
    """How much of a case a reader gets; each level includes the ones below it."""

    NONE = 0
    OUTLINE = 1  # reference, lead committee, urgency, stage: enough to know a case exists
    FACTS = 2  # plus State, committees, acts, cooperation, targets by type and number
    FULL = 3  # plus the summary and the names of persons and organisations targeted


class Surface(StrEnum):
    """Where a case is shown. Personal surfaces answer one reader; the others stay visible."""

    STATUS = "status"  # /reprisal status, ephemeral
    LIST = "list"  # /reprisal list, ephemeral
    CONSOLE = "console"  # reprisal-bot shell
    CASE_CARD = "case_card"  # the coordination channel
    THREAD = "thread"  # the case's thread in the coordination channel
    DM = "dm"  # a direct message from the bot
    REMINDER = "reminder"  # a reminder in a thread or DM
    APP_HOME = "app_home"  # a person's Home tab
    DIGEST = "digest"  # the Chairs' digest
    EXPORT = "export"  # files for the annual reports


ON_DEMAND = frozenset({Surface.STATUS, Surface.LIST, Surface.CONSOLE})
CHANNEL = frozenset({Surface.CASE_CARD, Surface.THREAD})


def confidentiality(case: CaseRecord) -> str:
    """`restricted`, `shared` (consent to share with other committees) or `public` (shared,
    and consent to publish)."""
    return case.facts.effective_confidentiality


def visibility(actor: Actor, case: CaseRecord) -> Visibility:
    """The most any of the actor's roles gives them on this case, on demand."""
    return max(
        (_for_role(role.kind, role.committee, case) for role in actor.roles),
        default=Visibility.NONE,
    )


def level_for(actor: Actor, case: CaseRecord, surface: Surface) -> Visibility:
    """What `actor` may see of `case` on `surface`."""
    if surface in CHANNEL:
        return channel_visibility(case)
    level = visibility(actor, case)
    if surface in ON_DEMAND:
        return level
    if surface is Surface.EXPORT:
        # Exports feed the annual reports: the secretariat's, and never with names.
        return Visibility.FACTS if actor.has(RoleKind.SECRETARIAT) else Visibility.NONE
    # Whatever stays in Slack (DMs, reminders, Home, digests) never holds names or the summary.
    return min(level, Visibility.FACTS)


def _for_role(kind: RoleKind, committee: str | None, case: CaseRecord) -> Visibility:
    level = confidentiality(case)
    shared = level in (SHARED, PUBLIC)
    lead = committee == case.facts.lead_committee
    if kind is RoleKind.SECRETARIAT:
        return Visibility.FULL
    shared_by_hand = committee in case.shared_with and case.facts.consents.share_committees
    if kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE):
        return Visibility.FULL if lead or shared or shared_by_hand else Visibility.NONE
    if kind is RoleKind.ASG_OFFICE:
        if case.facts.consents.share_asg:
            return Visibility.FULL
        return Visibility.FACTS if level == PUBLIC else Visibility.NONE
    if kind is RoleKind.CHAIR:
        # Chairs are briefed on their committee's cases, never with the victims' names.
        concerned = committee in case.committees
        if lead or (shared and concerned) or shared_by_hand or level == PUBLIC:
            return Visibility.FACTS
        return Visibility.NONE
    return Visibility.NONE


def channel_visibility(case: CaseRecord) -> Visibility:
    """What the coordination channel (and its threads) may show. Never names or summary."""
    return Visibility.OUTLINE if confidentiality(case) == RESTRICTED else Visibility.FACTS


def chairs_channel_visibility(case: CaseRecord) -> Visibility:
    """What the Chairs' channel may show: every Chair reads it, so a case is described there
    only as far as every committee may know of it. Restricted cases are only counted."""
    level = confidentiality(case)
    if level == PUBLIC:
        return Visibility.FACTS
    return Visibility.OUTLINE if level == SHARED else Visibility.NONE


def may_read_digest(actor: Actor) -> bool:
    """Chairs and the secretariat preview digests."""
    return actor.has(RoleKind.CHAIR) or actor.has(RoleKind.SECRETARIAT)


def missing_consent_to_share(case: CaseRecord, target: str) -> str | None:
    """The consent a share needs and the case lacks, in words; None if it may be shared."""
    consents = case.facts.consents
    if target == "asg":
        return None if consents.share_asg else "consent to share with the ASG office"
    return None if consents.share_committees else "consent to share with other committees"


def may_use_bot(actor: Actor) -> bool:
    return bool(actor.roles)


def may_report(actor: Actor) -> bool:
    """Focal points, alternates and the secretariat log allegations."""
    return any(
        role.kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE, RoleKind.SECRETARIAT)
        for role in actor.roles
    )


def may_administer(actor: Actor) -> bool:
    """Erasure and the audit trail are the secretariat's."""
    return actor.has(RoleKind.SECRETARIAT)


def committees_to_alert(case: CaseRecord) -> tuple[str, ...]:
    """Committees whose focal points are mentioned in the thread: the others, if shared."""
    if channel_visibility(case) < Visibility.FACTS:
        return ()
    return case.facts.other_committees


def asg_alert_allowed(case: CaseRecord) -> bool:
    """An urgent case goes to the ASG office at once, if the person consented to it."""
    return case.facts.urgent and case.facts.consents.share_asg


# Who acts: docs/security.md, "Who acts". Seeing a case is not enough to act on it.


class Action(StrEnum):
    """What a person may do to a case; the values head the columns of the documented table."""

    NOTE = "note"
    LOG_ACTION = "log action"
    REPLY = "reply"
    REFER = "refer"
    SHARE = "share"
    STAGE = "stage"
    CLOSE = "close"
    LINK = "link"
    REOPEN = "reopen"
    ERASE = "erase"


OWN_ACTIONS = frozenset({Action.NOTE, Action.LOG_ACTION, Action.REPLY, Action.REFER})
LEAD_ACTIONS = OWN_ACTIONS | {
    Action.SHARE,
    Action.STAGE,
    Action.CLOSE,
    Action.LINK,
    Action.REOPEN,
}
ASG_ACTIONS = frozenset({Action.NOTE, Action.LOG_ACTION})  # its own démarches
SECRETARIAT_ACTIONS = LEAD_ACTIONS | {Action.ERASE}
# A closed case takes notes only; linking and erasure are about the record, not the case's work.
ON_A_CLOSED_CASE = frozenset({Action.NOTE, Action.LINK, Action.REOPEN, Action.ERASE})
VERBS = {
    Action.NOTE: "add a note to {ref}",
    Action.LOG_ACTION: "log an action on {ref}",
    Action.REPLY: "record the State's reply on {ref}",
    Action.REFER: "refer {ref} to the ASG",
    Action.SHARE: "share {ref}",
    Action.STAGE: "change the stage of {ref}",
    Action.CLOSE: "close {ref}",
    Action.LINK: "link {ref}",
    Action.REOPEN: "reopen {ref}",
    Action.ERASE: "erase {ref}",
}


def acting_committees(case: CaseRecord) -> tuple[str, ...]:
    """The committees whose focal points act on the case: the lead committee, the others
    concerned if it is shared or public, and those it was shared with by hand (with consent)."""
    found = [case.facts.lead_committee]
    if confidentiality(case) != RESTRICTED:
        found += case.facts.other_committees
    if case.facts.consents.share_committees:
        found += case.shared_with
    return tuple(dict.fromkeys(found))


def _actions_of(kind: RoleKind, committee: str | None, case: CaseRecord) -> frozenset[Action]:
    if kind is RoleKind.SECRETARIAT:
        return SECRETARIAT_ACTIONS
    if kind in (RoleKind.FOCAL_POINT, RoleKind.ALTERNATE):
        if committee == case.facts.lead_committee:
            return LEAD_ACTIONS
        return OWN_ACTIONS if committee in acting_committees(case) else frozenset()
    if kind is RoleKind.ASG_OFFICE and case.facts.consents.share_asg:
        return ASG_ACTIONS
    return frozenset()  # Chairs read; they do not act


def _role_allows(actor: Actor, case: CaseRecord, action: Action) -> bool:
    return any(action in _actions_of(r.kind, r.committee, case) for r in actor.roles)


def _case_allows(case: CaseRecord, action: Action) -> bool:
    if case.stage == "closed":
        return action in ON_A_CLOSED_CASE
    return action is not Action.REOPEN


def may_do(actor: Actor, case: CaseRecord, action: Action) -> bool:
    """Whether `actor` may do `action` to `case`: one of their roles allows it there, and the
    case's state does (a closed case takes notes only; only a closed case is reopened)."""
    return _case_allows(case, action) and _role_allows(actor, case, action)


def refusal(actor: Actor, case: CaseRecord, action: Action) -> str | None:
    """Why `actor`, who may see `case`, may not do `action`, in words; None if they may."""
    ref, lead = case.reference, case.facts.lead_committee
    if may_do(actor, case, action):
        return None
    if _role_allows(actor, case, action):
        if action is Action.REOPEN:
            return f"{ref} is open: there is nothing to reopen."
        if action is Action.CLOSE:
            return f"{ref} is closed already."
        return (
            f"{ref} is closed: only notes can be added. The lead committee ({lead}) or the"
            " secretariat may reopen it by changing its stage."
        )
    if not any(_actions_of(r.kind, r.committee, case) for r in actor.roles):
        acting = ", ".join(acting_committees(case))
        return (
            f"You may read {ref}, but actions on it are recorded by its focal points ({acting})"
            " and the secretariat."
        )
    verb = VERBS[action].format(ref=ref)
    if action is Action.ERASE:
        return f"Only the secretariat may {verb}."
    if action in OWN_ACTIONS:
        acting = ", ".join(acting_committees(case))
        return (
            f"Only the focal points of the committees acting on it ({acting}) or the secretariat"
            f" may {verb}."
        )
    return f"Only the lead committee ({lead}) or the secretariat may {verb}."
