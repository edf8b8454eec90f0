"""The Easy Read minutes: for lived-experience members and families, what the panel decided and what will
happen next, in short sentences of plain words, each block beside a picture that has a text alternative.

Every sentence is written here from the record, so its length is known; typed text (a review's own Easy
Read summary) is used only when it passes the Easy Read check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.models import AgendaItem, Meeting
from features.actions.actions import ActionRow, actions_for_meeting
from features.meetings.attendance import attendance_rows
from features.meetings.meetings import load_meeting
from features.minutes.minutes import NO_ATTENDANCE, agreed_since_last_meeting, next_meeting_date, refuse_identifiers_in
from features.panel_settings.panels import panel_rules
from features.reviews.comments import comment_sections
from features.reviews.jargon import jargon_pairs
from features.reviews.reviews import ReviewDetail, review_detail
from features.voting.decisions import decision_for_item
from rules.actors import Actor
from rules.easy_read import MAX_WORDS_PER_SENTENCE, check_easy_read, sentences_of, word_count
from rules.errors import Invalid
from rules.formatting import long_date
from rules.permissions import Permission, require
from rules.vocabulary import AgendaItemKind, DecisionOutcome, FindingKind

# The pictures the project ships (assets/icons/<key>.png), each with its text alternative.
ICONS: dict[str, str] = {
    "meeting": "A group of people sitting round a table",
    "review": "A sheet of paper with a magnifying glass",
    "good": "A thumbs-up",
    "improve": "A light bulb",
    "said": "A speech bubble",
    "vote": "A hand putting a paper into a box",
    "signed_off": "A green tick in a circle",
    "returned": "An arrow going back",
    "escalated": "An arrow going up",
    "action": "A list with ticks",
    "calendar": "A calendar",
    "help": "A telephone",
}


@dataclass(frozen=True)
class EasyReadBlock:
    """One row of the document: a picture on the left, short sentences on the right."""

    icon: str
    sentences: tuple[str, ...]

    @property
    def alt(self) -> str:
        return ICONS[self.icon]


@dataclass(frozen=True)
class EasyReadSection:
    heading: str
    blocks: tuple[EasyReadBlock, ...]


@dataclass(frozen=True)
class EasyReadMinutes:
    title: str
    marking: str
    sections: tuple[EasyReadSection, ...]

    def sentences(self) -> list[str]:
        return [s for section in self.sections for block in section.blocks for s in block.sentences]


LEDER_EXPLAINED = ("LeDeR means learning from the lives and deaths of people with a learning disability.",
                   "The panel checks reviews about people who have died.",
                   "It helps services learn, so fewer people die too early.")
REFERENCE_EXPLAINED = ("Each review has a number, not the person's name.",
                       "This keeps the person and their family private.",
                       "LDR is short for LeDeR review.")
DECIDED = {
    DecisionOutcome.SIGNED_OFF: ("signed_off", "The panel agreed the review was done well."),
    DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS: ("signed_off", "The panel agreed the review, with some small changes."),
    DecisionOutcome.RETURNED: ("returned", "The panel asked the reviewer to do more work."),
    DecisionOutcome.ESCALATED: ("escalated", "The panel asked the regional NHS team for help."),
}


def _things(count: int, what: str) -> str:
    return f"The review found {count} {'thing' if count == 1 else 'things'} {what}."


def _job(action: ActionRow) -> str:
    """Who does it and by when; a long organisation name would make the sentence too long, so it is left out."""
    due = long_date(action.due_on)
    sentence = f"{action.owner_organisation} will do a job by {due}."
    return sentence if word_count(sentence) <= MAX_WORDS_PER_SENTENCE else f"A service will do a job by {due}."


def findings_blocks(review: ReviewDetail) -> list[EasyReadBlock]:
    """How many things went well and how many must get better, each beside its picture (none if none)."""
    good = len(review.findings_of(FindingKind.GOOD_PRACTICE))
    better = len(review.findings_of(FindingKind.LEARNING)) + len(review.findings_of(FindingKind.CONCERN))
    blocks = [EasyReadBlock("good", (_things(good, "that went well"),))] if good else []
    if better:
        blocks.append(EasyReadBlock("improve", (_things(better, "that must get better"),)))
    return blocks


def own_summary(text: str, jargon: list[tuple[str, str]]) -> tuple[str, ...]:
    """A review's own Easy Read summary is used only when it passes the Easy Read check."""
    if not text.strip() or not check_easy_read(text, jargon).ok:
        return ()
    return tuple(sentences_of(text))


def _review_blocks(session: Session, actor: Actor, item: AgendaItem, review_id: int, actions: list[ActionRow],
                   today: dt.date, jargon: list[tuple[str, str]]) -> EasyReadSection:
    review = review_detail(session=session, actor=actor, review_id=review_id, today=today)
    blocks = [EasyReadBlock("review", (f"The panel looked at review {review.reference}.",
                                       *own_summary(review.easy_read_summary, jargon)))]
    blocks.extend(findings_blocks(review))
    voices = comment_sections(session, review.id)
    said = []
    if voices.lived_experience:
        said.append("Panel members with lived experience said what they think.")
    if voices.ethnic_minority_lead:
        said.append("The lead for ethnic minority communities said what they think.")
    if said:
        blocks.append(EasyReadBlock("said", tuple(said)))
    decision = decision_for_item(session=session, actor=actor, item_id=item.id)
    if decision is None:
        blocks.append(EasyReadBlock("vote", ("The panel has not decided yet.",)))
    else:
        blocks.append(EasyReadBlock("vote", (f"{decision.voted} panel members voted.",)))
        icon, sentence = DECIDED[decision.outcome]
        blocks.append(EasyReadBlock(icon, (sentence,)))
    mine = [a for a in actions if a.review_id == review.id and not a.is_draft]
    if mine:
        count = f"{len(mine)} {'job' if len(mine) == 1 else 'jobs'}"
        blocks.append(EasyReadBlock("action", (f"There {'is' if len(mine) == 1 else 'are'} {count} to do now.",
                                               *(_job(a) for a in mine))))
    return EasyReadSection(f"Review {review.reference}", tuple(blocks))


def _agreed_by_circulation(session: Session, actor: Actor, meeting: Meeting) -> list[EasyReadSection]:
    """The reviews decided by a vote in the app since the last meeting, as the full minutes list them."""
    agreed = agreed_since_last_meeting(session, actor, meeting)
    if not agreed:
        return []
    blocks = [EasyReadBlock("vote", ("Some reviews could not wait for this meeting.",
                                     "Panel members voted on them in the app, before the meeting."))]
    for review in agreed:
        icon, sentence = DECIDED[review.outcome]
        blocks.append(EasyReadBlock(icon, (f"Review {review.reference}: {review.voted} panel members voted.",
                                           sentence)))
    return [EasyReadSection("Decided before the meeting", tuple(blocks))]


def build_easy_read_minutes(*, session: Session, actor: Actor, meeting_id: int, today: dt.date) -> EasyReadMinutes:
    """What the panel decided and what happens next, from the same record as the full minutes."""
    require(actor, Permission.EXPORT)
    meeting = load_meeting(session, actor, meeting_id)
    present = sum(1 for r in attendance_rows(session=session, actor=actor, meeting_id=meeting.id) if r.present)
    if not present:
        raise Invalid(NO_ATTENDANCE)
    jargon = jargon_pairs(session, actor.panel_id)
    actions = actions_for_meeting(session=session, actor=actor, meeting=meeting)
    sections = [EasyReadSection("About this meeting", (
        EasyReadBlock("meeting", (f"The LeDeR panel met on {long_date(meeting.meeting_date)}.", *LEDER_EXPLAINED,
                                  f"{present} people came to the meeting.")),
        EasyReadBlock("review", REFERENCE_EXPLAINED)))]
    sections += [_review_blocks(session, actor, item, item.review_id, actions, today, jargon)
                 for item in meeting.agenda_items if item.kind == AgendaItemKind.REVIEW and item.review_id is not None]
    sections += _agreed_by_circulation(session, actor, meeting)
    following = next_meeting_date(session, meeting)
    next_meeting = (f"The next meeting is on {long_date(following)}." if following
                    else "The date of the next meeting is not set yet.")
    sections.append(EasyReadSection("What happens next", (
        EasyReadBlock("calendar", (next_meeting,)),
        EasyReadBlock("help", ("Do you have a question about this?", "Ask the person who runs the panel meetings.",
                               "You can bring someone to help you.")))))
    marking = panel_rules(session=session, panel_id=actor.panel_id).protective_marking
    minutes = EasyReadMinutes(title=f"What the panel decided on {long_date(meeting.meeting_date)}",
                              marking=marking, sections=tuple(sections))
    refuse_identifiers_in("The Easy Read minutes", (("", sentence) for sentence in minutes.sentences()))
    return minutes
