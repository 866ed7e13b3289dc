"""Planning fictional demo cases: who, where, what happened, and when (pure, seeded)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from commands import vocabulary as v
from storage.actions import NewAction
from storage.confidentiality import RESTRICTED
from storage.records import Consents, NewCase
from storage.reference import committee

DAY = dt.timedelta(days=1)


class Odds:
    """Codes with relative weights, drawn from a seeded Random."""

    def __init__(self, weights: Mapping[str, float]) -> None:
        self.codes = tuple(weights)
        self._cumulative = tuple(accumulate(weights.values()))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.codes, cum_weights=self._cumulative)[0]

    def draw_distinct(self, rng: random.Random, count: int) -> tuple[str, ...]:
        chosen: list[str] = []
        while len(chosen) < count:
            if (code := self.draw(rng)) not in chosen:
                chosen.append(code)
        return tuple(sorted(chosen))


LEADS = Odds(dict(CAT=18, CCPR=18, CEDAW=13, CRC=13, CERD=8, SPT=8, CESCR=6, CRPD=6, CED=6, CMW=4))
COOPERATION = Odds(
    dict(session_geneva=40, alternative_report=28, individual_communication=20, country_visit=8)
    | dict(other=4)
)
SPT_COOPERATION = Odds(dict(country_visit=80, session_geneva=12, other=8))
CED_COOPERATION = Odds(dict(urgent_action=40, session_geneva=25, individual_communication=25))
SOURCE_OF = {
    "session_geneva": "session",
    "alternative_report": "email",
    "individual_communication": "individual_communication",
    "country_visit": "country_visit",
    "urgent_action": "urgent_action",
    "other": "other",
}
TIMING = Odds(dict(after=60, before=15, during=15, unknown=10))
TARGET_TYPES = Odds(
    dict(defender=36, ngo=14, lawyer=12, journalist=12, relative=12, other=6, nhri=5, npm=3)
)
COUNTS = Odds({"1": 60, "2": 18, "3": 10, "4": 6, "5": 6})
ACTS = Odds(
    dict(threats=14, intimidation=12, harassment=10, online_smear=8, travel_ban=8, surveillance=8)
    | dict(arrest_detention=7, interrogation=5, lawsuits=4, public_denunciation=4, hate_speech=3)
    | dict(passport_confiscation=3, family_ill_treatment=3, detention_ill_treatment=3)
    | dict(police_raid=3, denial_of_return=2, disbarment=2, asset_freeze=2, foreign_funding=2)
    | dict(licence_non_renewal=2, terrorism_label=2, budget_cuts=1, deportation_order=1)
    | dict(work_permit_revoked=1, extremist_material=1, identity_disclosure=1, other=1)
)
ACT_COUNTS = Odds({"1": 50, "2": 35, "3": 15})
OTHER_ACTS = ("Repeated tax inspections", "Summons by the security services", "Eviction")
SIGNED_BY = Odds(dict(both=50, focal_point=35, chair=15))
SUBSTANCE = Odds(dict(denial=45, investigation=25, protection=10, other=20))
OUTCOME_AFTER = {
    "denial": Odds(dict(denied=60, no_progress=30, other=10)),
    "investigation": Odds(dict(positive=55, no_progress=35, other=10)),
    "protection": Odds(dict(positive=85, other=15)),
    "other": Odds(dict(no_progress=50, positive=25, other=25)),
    None: Odds(dict(no_progress=60, withdrawn=25, other=15)),
}
FIRST_NAMES = (
    "Amina Kofi Leila Tomás Nadia Ibrahim Mei Arjun Sofia Yusuf Elena Kwame Fatima Diego Aisha "
    "Omar Lucía Dmitri Zainab Hamid Ngozi Pablo Farah Jamal Irina Tenzin Marisol Samir Ayesha "
    "Joseph Chidi Rania Viktor Nasrin Mateo Esi Grace Hassan Oksana Rafael Priya Bilal Thandiwe "
    "Carlos Hoa Emeka Selin Andrés Layla Musa Yara Gabriel Mariam Kenji Noura Felipe Sipho Aliya "
    "Rustam Inés"
)
LAST_NAMES = (
    "Diallo Mensah Haddad Okafor Rahman Costa Nguyen Petrova Silva Karimi Mwangi Rossi Hussein "
    "Morales Chen Kaya Traoré Ivanova Banda Alvarez Sato Kumar Osei Fernandes Abdi Popescu "
    "Nasser Quispe Achieng Lindqvist Moreau Sandoval Tembo Yilmaz Zhou Barzani Wanjiru Gonzaga "
    "Harutyunyan Boateng Castillo Ndlovu Rashidova Pereira Demir Nyirenda Salazar Kowalski "
    "Abubakar Tran Guerrero Mahmoud Otieno Serrano Jovanović Adeyemi Farouk Lungu Mendoza Park"
)
FIRST, LAST = tuple(FIRST_NAMES.split()), tuple(LAST_NAMES.split())
STEP = 469  # coprime with len(FIRST) * len(LAST): walks every pair once, in a scattered order
QUALIFIERS = ("", "Independent ", "National ", "Youth ", "Community ", "Regional ")
FORMS = ("Centre", "Network", "Association", "Coalition", "Forum", "Initiative", "Alliance")
CAUSES: tuple[str, ...] = ("Human Rights", "Justice", "Women's Rights", "Child Rights")
CAUSES += ("Press Freedom", "Legal Aid", "Minority Rights", "Disability Rights")


@dataclass(slots=True)
class Named:
    kind: str  # person or organisation
    name: str
    cases: int = 1


@dataclass(slots=True)
class Names:
    """Fictional names: a fresh one is new (until 97,200 persons, or 336 organisations in one
    State, are used), and a few of a State's recent targets are named again in its later cases."""

    rng: random.Random
    repeat: float = 0.12
    _fresh: int = 0
    _offset: int = 0
    _orgs: dict[str, int] = field(default_factory=dict)
    _recent: dict[str, list[Named]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._offset = self.rng.randrange(len(FIRST) * len(LAST))

    def person(self) -> str:
        plain = len(FIRST) * len(LAST)
        block, n = divmod(self._fresh, plain)
        self._fresh += 1
        first, last = divmod((n * STEP + self._offset) % plain, len(LAST))
        middle = f" {chr(ord('A') + (block - 1) % 26)}." if block else ""
        return f"{FIRST[first]}{middle} {LAST[last]}"

    def organisation(self, state: str) -> str:
        n = self._orgs[state] = self._orgs.get(state, -1) + 1
        n %= len(QUALIFIERS) * len(FORMS) * len(CAUSES)
        qualifier, n = divmod(n, len(FORMS) * len(CAUSES))
        form, cause = divmod(n, len(CAUSES))
        return f"{QUALIFIERS[qualifier]}{FORMS[form]} for {CAUSES[cause]} in {state}"

    def targets(self, state: str, kind: str, count: int) -> tuple[list[str], list[str]]:
        """(persons, organisations) named in a new case against `state`."""
        organisation = kind == "ngo"  # an NHRI's or NPM's members are named, not the institution
        named = count if not organisation and self.rng.random() < 0.85 else 0
        people = [self.person() for _ in range(named)]
        orgs = [self.organisation(state)] if organisation else []
        recent = self._recent.setdefault(state, [])
        wanted = "organisation" if organisation else "person"
        again = [named for named in recent if named.kind == wanted]
        if (people or orgs) and again and self.rng.random() < self.repeat:
            chosen = self.rng.choice(again)
            (orgs if organisation else people)[0] = chosen.name
            chosen.cases += 1
            if chosen.cases >= 3:  # named in three cases: enough
                recent.remove(chosen)
        elif people or orgs:
            recent.append(Named(wanted, (orgs or people)[0]))
            del recent[:-4]
        return people, orgs


@dataclass(slots=True)
class Track:
    """A case's actions as they are drawn; none after today."""

    today: dt.date
    actor: int
    committees: tuple[str, ...]
    actions: list[NewAction] = field(default_factory=list)

    def add(
        self,
        kind: str,
        day: dt.date,
        detail: dict[str, object] | None = None,
        due: dt.date | None = None,
        actor: int | None = None,
    ) -> bool:
        if day > self.today:
            return False
        self.actions.append(NewAction(kind, day, actor or self.actor, self.committees, detail, due))
        return True


@dataclass(frozen=True, slots=True)
class Draft:
    """One planned case: its facts, where it stands and what was done."""

    facts: NewCase
    reporter_id: int
    stage: str
    reply_due_on: dt.date | None
    closed_on: dt.date | None
    outcome: str | None
    actions: tuple[NewAction, ...]
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(slots=True)
class Planner:
    """Draws cases, deterministically for a seed, a clock and a directory."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    reply_due_days: int
    reporters: dict[str, list[int]]
    asg_id: int | None
    names: Names
    states: Odds

    def received_dates(self, count: int, months: int) -> list[dt.date]:
        """Spread over the last `months` months, the latest half again as busy as the first."""
        span = max(1, round(months * 30.44))
        busier = 0.5
        days = []
        for _ in range(count):
            u = self.rng.random() * (1 + busier / 2)
            x = (math.sqrt(1 + 2 * busier * u) - 1) / busier  # inverse of x + busier * x²/2
            days.append(self.today - dt.timedelta(days=span - min(span, int(x * (span + 1)))))
        return sorted(days)

    def draft(self, received_on: dt.date) -> Draft:
        facts = self.facts(received_on)
        reporter = self.rng.choice(self.reporters[facts.lead_committee])
        joint = facts.effective_confidentiality != RESTRICTED
        codes = (facts.lead_committee, *facts.other_committees) if joint else ()
        track = Track(self.today, reporter, codes or (facts.lead_committee,))
        stage, due, closed_on, outcome = self.follow(facts, track)
        created = self._moment(received_on + self.rng.randint(0, 2) * DAY)
        actions = tuple(sorted(track.actions, key=lambda a: a.taken_on))
        last = max([a.taken_on for a in actions] + [closed_on or received_on])
        updated = max(created, self._moment(last))
        return Draft(facts, reporter, stage, due, closed_on, outcome, actions, created, updated)

    def facts(self, received_on: dt.date) -> NewCase:
        rng = self.rng
        state, lead = self.states.draw(rng), LEADS.draw(rng)
        others = rng.sample([c for c in LEADS.codes if c != lead], k=rng.randint(1, 3))
        cooperation = {"SPT": SPT_COOPERATION, "CED": CED_COOPERATION}.get(lead, COOPERATION)
        coop = cooperation.draw(rng)
        kind, count = TARGET_TYPES.draw(rng), int(COUNTS.draw(rng))
        people, orgs = self.names.targets(state, kind, count)
        acts = ACTS.draw_distinct(rng, int(ACT_COUNTS.draw(rng)))
        timing = TIMING.draw(rng)
        shared = rng.random() < 0.6
        return NewCase(
            state_party=state,
            lead_committee=lead,
            other_committees=tuple(sorted(others)) if rng.random() < 0.25 else (),
            received_on=received_on,
            source=SOURCE_OF[coop] if rng.random() < 0.65 else "email",
            cooperation=coop,
            timing=timing,
            target_type=kind,
            target_count=count,
            target_names=tuple(people),
            organisations=tuple(orgs),
            acts=acts,
            acts_other=rng.choice(OTHER_ACTS) if "other" in acts else None,
            summary=_summary(people or orgs, kind, count, lead, coop, acts, timing),
            urgent=rng.random() < 0.1,
            confidentiality="shared" if shared else "restricted",
            consents=Consents(
                share_committees=shared,
                share_asg=rng.random() < 0.4,
                name_to_state=rng.random() < 0.3,
                publish=shared and rng.random() < 0.17,
            ),
        )

    def follow(
        self, facts: NewCase, track: Track
    ) -> tuple[str, dt.date | None, dt.date | None, str | None]:
        """Stage, reply due date, closing date and outcome, with the actions that led there."""
        rng, age = self.rng, (self.today - facts.received_on).days
        start = facts.received_on + rng.randint(1, 3 if facts.urgent else 30) * DAY
        if start > self.today or rng.random() < 0.03:
            return ("received" if age < 7 else "under_assessment"), None, None, None
        self.extras(facts, track, start)
        stage, due, substance = "action_taken", None, None
        if rng.random() < 0.85:
            stage, due, substance = self.letter(track, start)
        elif not track.actions:
            track.add("special_procedures", start)
        if stage == "reply_received" and rng.random() < 0.3:
            after = max(a.taken_on for a in track.actions) + rng.randint(5, 40) * DAY
            if track.add("follow_up_selected", after):
                stage = "follow_up"
        if rng.random() < (0.35 if age > 180 else 0.1 if stage != "awaiting_reply" else 0):
            last = max(a.taken_on for a in track.actions)
            closed_on = min(self.today, last + rng.randint(7, 90) * DAY)
            return "closed", None, closed_on, OUTCOME_AFTER[substance].draw(rng)
        return stage, due, None, None

    def letter(self, track: Track, day: dt.date) -> tuple[str, dt.date | None, str | None]:
        """A letter, perhaps a reminder, perhaps the State's reply."""
        rng, days = self.rng, self.reply_due_days
        due = day + days * DAY
        track.add("letter_to_state", day, {"signed_by": SIGNED_BY.draw(rng)}, due)
        replied = day + rng.randint(14, days * 2) * DAY if rng.random() < 0.6 else None
        reminded = due + rng.randint(7, 21) * DAY
        later = reminded + days // 2 * DAY
        reminder: dict[str, object] = {"signed_by": SIGNED_BY.draw(rng)}
        if replied is None or reminded < replied:
            due = later if track.add("reminder_to_state", reminded, reminder, later) else due
        substance = SUBSTANCE.draw(rng)
        if replied is not None and track.add("state_reply", replied, {"substance": substance}):
            return "reply_received", None, substance
        return "awaiting_reply", due, None

    def extras(self, facts: NewCase, track: Track, start: dt.date) -> None:
        """What else the committees (and the ASG) did besides writing to the State."""
        rng, consents = self.rng, facts.consents
        if consents.share_asg and (facts.urgent or rng.random() < 0.25):
            referred = start + rng.randint(0, 10) * DAY
            if track.add("asg_referral", referred) and rng.random() < 0.5:
                track.add("asg_raised", referred + rng.randint(10, 40) * DAY, actor=self.asg_id)
        if rng.random() < 0.15:
            place = "geneva" if rng.random() < 0.75 else "new_york"
            track.add("mission_meeting", start + rng.randint(5, 60) * DAY, {"place": place})
        if facts.cooperation == "individual_communication" and rng.random() < 0.4:
            track.add("interim_measures", start + rng.randint(0, 3) * DAY)
        if consents.publish and rng.random() < 0.5:
            track.add("public_statement", start + rng.randint(7, 60) * DAY)
        if consents.publish and committee(facts.lead_committee).publishes_letters:
            track.add("letter_published", start + rng.randint(10, 60) * DAY)
        if rng.random() < 0.12:
            track.add("special_procedures", start + rng.randint(0, 30) * DAY)
        if rng.random() < 0.06:
            track.add("loi_or_co", start + rng.randint(30, 200) * DAY)

    def _moment(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randrange(7 * 60, 17 * 60)
        moment = dt.datetime.combine(day, dt.time(), dt.UTC) + dt.timedelta(minutes=minutes)
        return min(moment, self.now)


def _summary(
    named: Sequence[str],
    kind: str,
    count: int,
    lead: str,
    cooperation: str,
    acts: Sequence[str],
    timing: str,
) -> str:
    """A short, plainly fictional summary."""
    who = named[0] if named else f"A {v.TARGET_TYPES[kind].lower()}"
    if count > 1:
        who += f" and {count - 1} other{'s' if count > 2 else ''}"
    how = v.COOPERATION[cooperation].lower()
    what = ", ".join(v.ACTS[act].lower().replace(" (describe below)", "") for act in acts)
    when = {"before": " before the cooperation", "during": " during it", "after": " after it"}
    return (
        f"{who} cooperated with {lead} ({how}) and reports: {what}"
        f"{when.get(timing, '')}. Fictional demo data."
    )
