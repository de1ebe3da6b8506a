"""The terms of the diplomacy ontology (``dip:``), one constant each.

GENERATED from ontology/diplomacy.ttl by ``python -m kg.vocab.generate``: do not edit. A
name the ontology does not declare is no attribute of `DIP`, so a misspelt term fails (an
AttributeError when it runs, an error from mypy before) instead of making a new IRI.
"""

from __future__ import annotations

__all__ = ["DIP"]

from typing import Final


class DIP:
    """The diplomacy ontology's classes, properties and individuals, as IRIs."""

    NS: Final = "https://w3id.org/diplomacy-kg/ontology#"

    acceptedBy: Final = NS + "acceptedBy"  # accepted by
    actsFor: Final = NS + "actsFor"  # acts for
    acyclic: Final = NS + "acyclic"  # acyclic
    advises: Final = NS + "advises"  # advises
    Agent: Final = NS + "Agent"  # agent
    agent: Final = NS + "agent"  # agent
    Agreed: Final = NS + "Agreed"  # agreed
    Agreement: Final = NS + "Agreement"  # agreement
    ArmedConflict: Final = NS + "ArmedConflict"  # armed conflict
    Background: Final = NS + "Background"  # background knowledge
    Basis: Final = NS + "Basis"  # basis
    basis: Final = NS + "basis"  # basis
    beganAt: Final = NS + "beganAt"  # began at
    belligerent: Final = NS + "belligerent"  # belligerent
    cameoCode: Final = NS + "cameoCode"  # CAMEO code
    Ceasefire: Final = NS + "Ceasefire"  # cease-fire
    City: Final = NS + "City"  # city
    Collapsed: Final = NS + "Collapsed"  # collapsed
    Concluded: Final = NS + "Concluded"  # concluded
    concludedAt: Final = NS + "concludedAt"  # concluded at
    Country: Final = NS + "Country"  # country
    cue: Final = NS + "cue"  # cue
    curatedAtLine: Final = NS + "curatedAtLine"  # curated at line
    CuratedFact: Final = NS + "CuratedFact"  # curated fact
    curatedIn: Final = NS + "curatedIn"  # curated in
    curationKey: Final = NS + "curationKey"  # curation key
    curatorNote: Final = NS + "curatorNote"  # curator note
    date: Final = NS + "date"  # date
    dateline: Final = NS + "dateline"  # dateline
    datelinePlace: Final = NS + "datelinePlace"  # dateline place
    declares: Final = NS + "declares"  # declares
    delayed: Final = NS + "delayed"  # delayed
    Delegation: Final = NS + "Delegation"  # delegation
    DelegationMemberRole: Final = NS + "DelegationMemberRole"  # delegation member
    demonym: Final = NS + "demonym"  # demonym
    DeprecatedRank: Final = NS + "DeprecatedRank"  # deprecated rank
    derivation: Final = NS + "derivation"  # derivation
    DiplomaticEvent: Final = NS + "DiplomaticEvent"  # diplomatic event
    Discussed: Final = NS + "Discussed"  # discussed
    distinctFrom: Final = NS + "distinctFrom"  # distinct from
    duration: Final = NS + "duration"  # duration
    durationDays: Final = NS + "durationDays"  # duration in days
    EventOutcome: Final = NS + "EventOutcome"  # event outcome
    evidence: Final = NS + "evidence"  # evidence
    EvidencePassage: Final = NS + "EvidencePassage"  # evidence passage
    facilitatedBy: Final = NS + "facilitatedBy"  # facilitated by
    focus: Final = NS + "focus"  # focus
    GovernmentBody: Final = NS + "GovernmentBody"  # government body
    hasMember: Final = NS + "hasMember"  # has member
    hasParticipant: Final = NS + "hasParticipant"  # has participant
    headedBy: Final = NS + "headedBy"  # headed by
    HeadOfDelegationRole: Final = NS + "HeadOfDelegationRole"  # head of delegation
    holdsPost: Final = NS + "holdsPost"  # holds post
    HostRole: Final = NS + "HostRole"  # host
    inEvent: Final = NS + "inEvent"  # in event
    locatedIn: Final = NS + "locatedIn"  # located in
    location: Final = NS + "location"  # location
    maxDuration: Final = NS + "maxDuration"  # longest duration
    MediatorRole: Final = NS + "MediatorRole"  # mediator
    Meeting: Final = NS + "Meeting"  # meeting
    memberOf: Final = NS + "memberOf"  # member of
    Memorandum: Final = NS + "Memorandum"  # memorandum
    minDuration: Final = NS + "minDuration"  # shortest duration
    NegativeProperty: Final = NS + "NegativeProperty"  # negative property
    Negotiation: Final = NS + "Negotiation"  # negotiation
    NewsAgency: Final = NS + "NewsAgency"  # news agency
    NewsArticle: Final = NS + "NewsArticle"  # news article
    Organization: Final = NS + "Organization"  # organisation
    outcome: Final = NS + "outcome"  # outcome
    paragraph: Final = NS + "paragraph"  # paragraph
    ParticipantRole: Final = NS + "ParticipantRole"  # participant
    Participation: Final = NS + "Participation"  # participation
    ParticipationRole: Final = NS + "ParticipationRole"  # participation role
    partOf: Final = NS + "partOf"  # part of
    party: Final = NS + "party"  # party
    Person: Final = NS + "Person"  # person
    PhoneCall: Final = NS + "PhoneCall"  # phone call
    Place: Final = NS + "Place"  # place
    planned: Final = NS + "planned"  # planned
    Post: Final = NS + "Post"  # post
    postIn: Final = NS + "postIn"  # post in
    precededBy: Final = NS + "precededBy"  # preceded by
    PreferredRank: Final = NS + "PreferredRank"  # preferred rank
    prisonerCount: Final = NS + "prisonerCount"  # prisoner count
    PrisonerExchange: Final = NS + "PrisonerExchange"  # prisoner exchange
    Proposal: Final = NS + "Proposal"  # proposal
    ProposalStatus: Final = NS + "ProposalStatus"  # proposal status
    proposedBy: Final = NS + "proposedBy"  # proposed by
    PublicStatement: Final = NS + "PublicStatement"  # public statement
    quotation: Final = NS + "quotation"  # quotation
    quotationPassage: Final = NS + "quotationPassage"  # quotation passage
    Rank: Final = NS + "Rank"  # rank
    rank: Final = NS + "rank"  # rank
    rankReason: Final = NS + "rankReason"  # reason for rank
    Read: Final = NS + "Read"  # read
    reading: Final = NS + "reading"  # reading
    Rejected: Final = NS + "Rejected"  # rejected
    rejectedBy: Final = NS + "rejectedBy"  # rejected by
    reportedThrough: Final = NS + "reportedThrough"  # reported through
    reports: Final = NS + "reports"  # reports
    represents: Final = NS + "represents"  # represents
    resumes: Final = NS + "resumes"  # resumes
    role: Final = NS + "role"  # role
    serves: Final = NS + "serves"  # serves
    Session: Final = NS + "Session"  # session
    sha256: Final = NS + "sha256"  # SHA-256
    since: Final = NS + "since"  # since
    source: Final = NS + "source"  # source
    sourceFile: Final = NS + "sourceFile"  # source file
    speaker: Final = NS + "speaker"  # speaker
    speechVerb: Final = NS + "speechVerb"  # speech verb
    Stated: Final = NS + "Stated"  # stated
    status: Final = NS + "status"  # status
    subOrganizationOf: Final = NS + "subOrganizationOf"  # sub-organisation of
    summary: Final = NS + "summary"  # summary
    textLength: Final = NS + "textLength"  # text length
    timeScoped: Final = NS + "timeScoped"  # time-scoped
    topic: Final = NS + "topic"  # topic
    translation: Final = NS + "translation"  # translation
    unnamed: Final = NS + "unnamed"  # unnamed
    until: Final = NS + "until"  # until
    validFrom: Final = NS + "validFrom"  # valid from
    validTo: Final = NS + "validTo"  # valid to
    valueKind: Final = NS + "valueKind"  # kind of value
    Venue: Final = NS + "Venue"  # venue
    withoutParticipant: Final = NS + "withoutParticipant"  # without participant
    year: Final = NS + "year"  # year
