#!/usr/bin/env python3
"""Writes corpus/gold/reported_key.jsonl, the answer key for reported
speech (quotes of kind "indirect") in the regression articles
corpus/articles/reported-*.txt, from the hand-written KEY below.

    python3 tools/reported_key_to_gold.py > corpus/gold/reported_key.jsonl

Each entry of KEY gives an article, its direct quotes (content, speaker)
and its reported speech: the content segments and the source as
written, each found in the text: a content segment at or after the one
before it, the source where it stands nearest the first segment.
Offsets are code points, end exclusive, in PolNeAR's layout
(`attributions` with `kind`, `content`, `source`, `source_text`), which
`nerq eval` scores (docs/eval.md, "Reported speech scores"). A developer
tool; its output is committed."""
import json, sys

KEY = {
    "reported-01-ferry-cuts.txt": {
        "quotes": [("We will not accept a timetable written in an office on the mainland,",
                    "Ruth Anselm")],
        "indirect": [
            (["it would cut winter sailings to the islands by a third from November"],
             "The Marrow Ferry Company"),
            (["the older vessels could no longer cope with the January storms"],
             "Linnea Haraldsen"),
            (["Fuel costs had doubled since the spring"], "Haraldsen"),
            (["about 1,200 residents depend on the ferry for work and school"],
             "the Marrow Islands Council"),
            (["The cuts would leave some islands without a boat for four days at a time"],
             "Tomas Ebbeson"),
            (["The decision", "had been taken without asking a single islander"], "Ebbeson"),
            (["the council would seek an urgent meeting with the operator"],
             "Councillor Ruth Anselm"),
            (["the islanders would hold a public meeting on Friday"], "Ebbeson"),
            (["The new timetable will be published next month"], "the operator"),
        ],
    },
    # Cues of belief and finding, infinitives, questions, noun cues before
    # "that", where content ends, subjects that are no names (issue 9,
    # reported speech recall); no reported speech in "the proposed route",
    # "to decide who", "A protest concert".
    "reported-02-tram-line.txt": {
        "quotes": [],
        "indirect": [
            (["most residents would use the tram at least once a week"],
             "A new survey of Eastgate households"),
            (["the line will cost twice what the council has budgeted"], "Opponents"),
            (["the drivers deserve a pay rise"], "Two of the unions"),
            (["the first trams could run by the spring of next year"], "Mayor Idris Calloway"),
            (["to publish every contract before the vote"], "The transport board"),
            (["to answer the petition within a month"], "Calloway"),
            (["whether the depot site had been surveyed for flooding"], "Councillor Petra Lindqvist"),
            (["the budget was too thin"], "Lindqvist"),
            (["the track bed was sound"], "The engineers"),
            (["the old rails would be sold for scrap"], "The engineers"),
            (["the depot would open in March"], "Calloway"),
            (["the scheme is already four months behind"], "a report by the city auditors"),
            (["the trams will cut traffic by a fifth"], "Supporters"),
            (["they would give up their cars"], "About one in five riders"),
            (["the vote was rushed"], "Lindqvist"),
            # the cue that ends the sentence holds the clause before it
            (["Calloway said the fares would be frozen for two years"], "a spokesman for the mayor"),
        ],
    },
    # Stance verbs and their objects, intentions (issue 9: form object).
    "reported-03-stance-verbs.txt": {
        "quotes": [],
        "indirect": [
            (["the marina plan"], "Councillor Maren Tollefsen"),
            (["it"], "The fishermen's cooperative"),
            (["the new mooring fees"], "Aldo Verhoeven"),
            (["the cost of the breakwater"], "Two of the parish councils"),
            (["a public inquiry"], "Pell Dunmore"),
            (["to comment"], "He"),
            (["to open the first berths in the spring"], "The developer"),
            (["the petition"], "The board"),
        ],
    },
    # A label line, a poll as the source, a verb and its preposition, a
    # view "as", "would like to" (issue 9); no notice ("Correction:").
    "reported-04-label-poll-phrasal.txt": {
        "quotes": [],
        "indirect": [
            (["Tolls on the Severn crossing must go"], "Okafor"),
            (["an end to the bridge tolls"], "Rhiannon Okafor"),
            (["the rising cost of commuting"], "She"),
            (["most drivers backed her plan"], "a Valley Echo poll"),
            (["the tolls as a tax on the valley"], "Many commuters"),
            (["the toll company as a landlord"], "Okafor"),
            (["to keep the tolls until 2030"], "The transport minister"),
        ],
    },
    # Verbs of a topic (discussed, expressed) and cues that are nouns as
    # often as verbs, with an object (promised, demanded; not their -s
    # forms, nouns as often: "promises", "the growing demands"); no noun
    # cue ("The promise of a depot"), no "wants" with an object (issue 9).
    "reported-05-topic-promise.txt": {
        "quotes": [],
        "indirect": [
            (["a new bus depot on Thursday"], "Mayor Idris Calloway"),
            (["the plan"], "Councillors"),
            (["relief"], "Drivers"),
            (["a written guarantee"], "The drivers' union"),
        ],
    },
    # Coordinated reports in one sentence, each with its own speaker and
    # cue (end.next-speaker); a survey and a board as sources.
    "reported-06-harbour-levy.txt": {
        "quotes": [],
        "indirect": [
            (["the levy will pay for a new breakwater within five years"], "supporters"),
            (["most skippers opposed the levy"],
             "A survey from Kell Bay College released on Friday"),
            (["Fewer boats landed cod in the autumn than in the spring"], "the survey"),
            (["The coast's small ports are losing money"], "the harbour board"),
            (["she would publish the accounts in full"], "The harbour master, Odile Varga"),
            (["the board had not yet set a date for the vote"], "Varga"),
            (["if the levy passed he would move his boat to Tarrow"], "Skipper Ruben Aalto"),
            (["Aalto said the levy had been drawn up in a hurry"], "the minutes of the meeting"),
            (["the levy was unfair"], "Most skippers"),
            (["they would stop fishing"], "about one in four"),
        ],
    },
    # Told and said with a listener, a time or a medium before the content
    # (issue 9, reported speech: listed cues with no candidate).
    "reported-08-told-when.txt": {
        "quotes": [],
        "indirect": [
            (["the first blasting would not start before the spring"], "Hella Sorvik"),
            (["the valley roads could not carry forty lorries a day"], "Councillor Brannock Ives"),
            (["the lorries would use a new haul road"], "Sorvik"),
            (["she would need a licence for the blasting"], "Oona Tembe"),
            (["the company would fund a dust monitor at the school"], "Sorvik"),
            (["the parish had not been consulted"], "Tembe"),
            (["the inquiry could take a year"], "Ives"),
            (["no blasting would take place at night"], "Sorvik"),
        ],
    },
    # "back" as a verb of support (not "back down", "brought back"), and
    # intentions: "aims to", "is looking to", "is eager to", "reluctant to"
    # (not "ready to", a capacity) (issue 9).
    "reported-09-support-intent.txt": {
        "quotes": [],
        "indirect": [
            (["the reservoir plan"], "Mayor Selma Brandvik"),
            (["he would not back a higher water rate"], "Jon Ekdahl"),
            (["a smaller dam"], "The farming union"),
            (["to put its own proposal to the county in June"], "The union"),
            (["to win over the upland villages before the vote"], "Councillor Teodor Vasko"),
            (["to hold a public hearing"], "He"),
            (["to share their cost figures"], "Water officials"),
        ],
    },
    # A headline cue, "As X noted, ...", "claims" as a verb, a quantity
    # opening the content, a clause before "that" (issue 9, reported
    # speech: listed cues with no candidate).
    "reported-10-claims-headline.txt": {
        "quotes": [],
        "indirect": [
            (["Dredging Will Start In June"], "Harbour Board"),
            (["the channel has lost two metres of depth since the last dredging"], "the harbour board"),
            (["about half of the silt would be taken out to sea"], "Sefa Moult"),
            (["the dredging will drive the herring away"], "The fishermen's guild"),
            (["he had heard that warning before"], "Guild secretary Ansel Drury"),
            (["the herring left the bay ten years ago"], "Moult"),
            (["the guild will not block the work"], "Drury"),
        ],
    },
    # A noun cue after its holder, the holder the speaker: "her attacks
    # on", "the harbour master's support for", "decision to", "his view
    # that"; no holder, no candidate ("The criticism of") (issue 9).
    "reported-11-noun-holders.txt": {
        "quotes": [],
        "indirect": [
            (["the ferry company"], "her"),
            (["a winter timetable"], "The harbour master's"),
            (["the fare rise"], "her"),
            (["to cut the evening sailing"], "The company's"),
            (["the fares must be frozen"], "his"),
        ],
    },
    # Content whose holder is unstated: an expectation, a question
    # (unattributed.*; issue 9, reported speech: raising verbs, "Asked
    # whether ..., X smiled"). Source None: kept with no speaker.
    "reported-12-expected-asked.txt": {
        "quotes": [],
        "indirect": [
            (["The ferry union", "to vote on the new offer next week"], None),
            (["to reopen in May"], None),
            (["whether the offer would pass"], None),
            (["the night sailings"], None),
            (["the crews would not work them"], "Brenning"),
            (["if the talks had stalled"], None),
            (["Harbour traders", "to join the strike"], None),
        ],
    },
    # An infinitive or a question keeps its first word ("to", "whether",
    # "how"), as object.cue-to's content does (issue 9, boundaries).
    "reported-13-infinitive-question.txt": {
        "quotes": [],
        "indirect": [
            (["to keep every branch open on Sundays"], "The library board"),
            (["to restore the book fund"], "Trustee Odile Marchetti"),
            (["whether the reading room would reopen in March"], "Parents"),
            (["how the late fees would be spent"], "Councillor Bram Oyelaran"),
        ],
    },
    # An impression with no holder ("appears to have settled", "seemed
    # relieved"): the subject with its complement, no speaker; after a
    # relative pronoun the complement alone; not "appeared in court", nor
    # when a cue of its own follows (issue 9, cues in no list).
    "reported-14-appear-seem.txt": {
        "quotes": [],
        "indirect": [
            (["The county council", "to have settled on a smaller quarry at Holm Ridge"], None),
            (["The quarry's owners", "relieved after the long meeting on Tuesday"], None),
            (["doubtful all evening"], None),
            (["The smaller pit seems unlikely to satisfy the walkers' groups"], "Valcourt"),
        ],
    },
    # Cues of two or more words: a verb and its particle ("pointed out
    # that", ", as X pointed out,"), "made it clear that", "made the case
    # that", a verb and a noun of speech ("made no mention of") (issue 9,
    # cues in no list).
    "reported-15-multiword-cues.txt": {
        "quotes": [],
        "indirect": [
            (["the north pier had not been inspected since 2019"], "Harbour master Ilse Brandvold"),
            (["no money would be spent before the spring"], "Board chair Osman Teague"),
            (["The pier", "carries most of the island's freight"], "Brandvold"),
            (["the ferry company should share the cost"], "Councillor Wren Abaroa"),
            (["the company's offer to pay half"], "Teague"),
        ],
    },
    # An object keeps the prepositions, relatives and "as" of its noun
    # phrase; a medium or a time of the act ends it (issue 9, content
    # boundaries).
    "reported-16-object-phrases.txt": {
        "quotes": [],
        "indirect": [
            (["the rise in lorry traffic from the quarry"], "Councillor Senna Obuya"),
            (["the offer of a new footpath by the quarry owners"], "The parish council"),
            (["the plan"], "Residents"),
            (["the hours of work at the site"], "Quarry manager Idris Fenwold"),
            (["the route which the owners have offered"], "The walkers' club"),
            (["the lorry drivers as careful neighbours"], "Obuya"),
            (["the expansion"], "Two county councillors"),
        ],
    },
    # "offer" as a verb of stance, its object the content ("offered a
    # shorter timetable"), and with a noun of speech, the object of its
    # preposition ("offered his thoughts on the rota"); not the noun
    # ("the operator's offer") (issue 9, cues in no list).
    "reported-17-offer.txt": {
        "quotes": [],
        "indirect": [
            (["a winter compromise"], "Ferry operator"),
            (["a shorter winter timetable"], "Sundholm Lines"),
            (["the new rota"], "Union organiser Kasimir Lowe"),
            (["the crew of the lost trawler"], "Mayor Annika Rask"),
        ],
    },
    # A cue that ends its sentence holds the clauses before it, another
    # cue included: it replaces the content found after that cue.
    "reported-18-final-cue.txt": {
        "quotes": [],
        "indirect": [
            (["The old pier, which the council says is no longer safe, will close in May"],
             "harbour master Ines Varga"),
            (["Fishing crews fear the new quota will empty the harbour by the spring"],
             "the Tavern Bay Cooperative"),
            (["The ferry company has promised a new landing stage by the summer"], "Varga"),
            (["the closure would cost them a season of visitors"], "Quay traders"),
        ],
    },
    # A list as the object runs on past its commas to its last item; a
    # clause after a comma is no item (issue 9, content boundaries).
    "reported-19-object-lists.txt": {
        "quotes": [],
        "indirect": [
            (["the ferry crews, the harbour pilots and the ticket office staff"], "The island council"),
            (["a shorter week, a pay rise or a longer summer holiday"], "Union organiser Maud Kerrigan"),
            (["the offer"], "The operator"),
            (["the timetable, the fares and the new booking system"], "Transport officer Nils Ambrose"),
        ],
    },
    # Auxiliaries, negations and adverbs between a subject and its cue
    # ("did not deny that", "have not been told when", "could not confirm").
    "reported-20-aux-subject.txt": {
        "quotes": [],
        "indirect": [
            (["when the loading cranes will run again"], "Dock workers at Eastquay"),
            (["a cable had snapped on Monday night"], "The crane's owners"),
            (["the cranes were too old"], "Two of the shipping lines"),
            (["the cranes would be repaired before the weekend"], "Harbour engineers"),
        ],
    },
    # A personal pronoun is the whole object; a reason or a charge after
    # it stays (issue 9, content boundaries).
    "reported-21-pronoun-object.txt": {
        "quotes": [],
        "indirect": [
            (["it"], "The parish council"),
            (["them"], "Councillor Edith Rambaut"),
            (["her for the delay over the access road"], "The harbour board"),
            (["it against the charge of neglect"], "Keeper's grandson Tomas Achterberg"),
        ],
    },
    # A noun of speech or thought before "that" with no holder ("there
    # were many complaints that ...", "the rumours that ..."): no
    # speaker; not a relative "that" ("the claims that have ...")
    # (issue 9, cues in no list).
    "reported-22-noun-that.txt": {
        "quotes": [],
        "indirect": [
            (["the new tram depot kept residents awake at night"], None),
            (["the depot would close in winter"], None),
            (["the suggestion that the trams were louder than the buses"], "Depot manager Ilka Serrano"),
        ],
    },
    # An adjective of belief or certainty before "that" ("is confident
    # that", "is still worried that"), its subject the holder; "It is
    # clear that ...", the writer's, no speaker (issue 9, cues in no
    # list).
    "reported-23-sure-that.txt": {
        "quotes": [],
        "indirect": [
            (["the county will pay for Sunday openings"], "Trustee Jonas Ekwueme"),
            (["the longer hours will fall on part-time workers"], "The staff union"),
            (["the reading room needs a new roof"], None),
        ],
    },
    # An adverb that puts the clause on an unstated source ("is
    # reportedly preparing", "Reportedly, ...", "allegedly ignored"): the
    # clause without the adverb, no speaker (issue 9, cues in no list).
    "reported-24-hearsay.txt": {
        "quotes": [],
        "indirect": [
            (["The port authority is", "preparing a bid for the old coal wharf"], None),
            (["two of its board members opposed the purchase in private"], None),
            (["Crane operator Halvard Moen", "ignored a safety order last winter"], None),
        ],
    },
    # A progressive before a verb of stance or a verb and its preposition
    # ("are calling for", "is seeking", "were pushing for", "is opposing").
    "reported-25-progressive.txt": {
        "quotes": [],
        "indirect": [
            (["a full recount of the postal votes"], "Two of the losing candidates"),
            (["a third term on the council"], "Hal Brennick"),
            (["a second polling station in the ward"], "Residents"),
            (["any recount"], "Ada Quennell"),
        ],
    },
    # A verb of urging with its listener, the infinitive the content
    # ("encouraged parents to join", "invited residents to comment",
    # "persuaded the county to delay"), as "urged" and "told" (issue 9,
    # cues in no list).
    "reported-26-encourage-to.txt": {
        "quotes": [],
        "indirect": [
            (["to help"], "Island school"),
            (["to join the new reading club"], "Head teacher Rosalind Achterberg"),
            (["to comment on the playground plans"], "The parish council"),
            (["to delay the merger by a year"], "Governors"),
        ],
    },
    # "compare" and "liken" as verbs of stance, the comparison the content
    # ("compared the new timetable to a slow goodbye"); not "compared
    # with last year" (issue 9, cues in no list).
    "reported-27-compare.txt": {
        "quotes": [],
        "indirect": [
            (["the new timetable to a slow goodbye for the villages"], "Councillor Tamsin Okoro"),
            (["the cuts to trimming a hedge"], "Bus company director Piet Hallgren"),
        ],
    },
    # "raise" as a stance only when it raises a concern, not money or a
    # price (issue 9).
    "reported-29-raise-concern.txt": {
        "quotes": [],
        "indirect": [
            (["questions about the new fares"], "The ferry users' group"),
            (["serious doubts over the winter timetable"], "Councillor Imogen Thorvald"),
        ],
    },
    # The cue's subject when one of its words is also a cue word ("states",
    # "advocates") or the cue is in no list ("declined", "threatened")
    # (issue 9, subject.start-cw, subject.noun-cw).
    "reported-28-subject-cue-word.txt": {
        "quotes": [],
        "indirect": [
            (["to comment on the closure of the Brackwell weir"], "Some councillors"),
            (["the lower river will run dry by August"], "Farmers in both states"),
            (["the weir should stay"], "Some advocates for local anglers"),
            (["to strike over the new rota"], "Two lock keepers"),
        ],
    },
    # "find" as locating or founding, not a finding (issue 9, after.think).
    "reported-31-find-locate.txt": {
        "quotes": [],
        "indirect": [
            (["most island households would use a second landing"],
             "A survey by the Skerne Harbour Trust"),
            (["the new timetable baffling"], "Lindqvist"),
        ],
    },
    # "according to X, an analyst at ...": an apposition to the source, no
    # clause (issue 9, after.according-to).
    "reported-32-according-apposition.txt": {
        "quotes": [],
        "indirect": [
            (["Ticket sales at Tarnmouth pier fell by a fifth in July"], "Lee Marsh"),
            (["a second landing stage will open in May"], "the harbour trust"),
        ],
    },
    # A gerund after a preposition is a verb of stance ("by rejecting the
    # new quay plan"), a verb of intention in -ing takes its infinitive
    # ("for refusing to close", "is seeking to cut"), and the speaker is
    # the subject of the clause the phrase belongs to; not "by raising
    # money" (issue 9, object.stance-ger, subject.gerund).
    "reported-33-gerund.txt": {
        "quotes": [],
        "indirect": [
            (["the new quay plan"], "The harbour board"),
            (["to close the Eastgate library"], "Councillor Wen Abara"),
            (["to cut the winter service to the islands"], "Ferry operator Sund Lines"),
            (["to publish the full accounts"], "Mayor Ilse Varga"),
        ],
    },
    # An inverted cue before a speaker with a title in lower case ("said
    # port director Ivo Stam") or a role noun after a determiner and no
    # name ("said a spokeswoman for the town council"): the content is
    # the clause before the comma (issue 9, before.cue-title,
    # before.cue-noun).
    "reported-34-inverted-role.txt": {
        "quotes": [],
        "indirect": [
            (["The winter timetable will stay in force until March"], "port director Ivo Stam"),
            (["Fares on the island route are likely to rise next year"], "political scientist Maren Holt"),
            (["The new pontoon cannot open before the spring"], "a spokeswoman for the town council"),
            (["The union has not yet seen the final offer"], "one official at the port"),
        ],
    },
    # A long subject as the speaker when no attribution rule finds one:
    # up to fourteen tokens before the cue ("Fewer than half of the
    # residents surveyed in a council poll released on Monday support").
    "reported-30-long-subject.txt": {
        "quotes": [],
        "indirect": [
            (["the bypass"], "Fewer than half of the residents surveyed in a council poll released on Monday"),
            (["the bypass would ruin trade"], "One in four shop owners in a chamber of commerce survey last month"),
        ],
    },
}


def find(text, s, after=0):
    i = text.find(s, after)
    if i < 0:
        sys.exit(f"not found: {s!r}")
    return i, i + len(s)


def nearest(text, source, seg):
    """The occurrence of source nearest to the segment, before or after it."""
    before, after = text.rfind(source, 0, seg[0]), text.find(source, seg[1])
    if before < 0 or (after >= 0 and after - seg[1] < seg[0] - (before + len(source))):
        return after
    return before


def gold(name, key):
    text = open(f"corpus/articles/{name}", encoding="utf-8").read()
    quotes, attrs = [], []
    for content, speaker in key["quotes"]:
        s, e = find(text, content)
        quotes.append({"start": s, "end": e, "speaker": speaker})
    pos = 0
    for segs, source in key["indirect"]:
        spans = []
        for seg in segs:
            s, e = find(text, seg, pos)
            spans.append([s, e])
            pos = s
        if source is None:  # a holder the text leaves unstated
            attrs.append({"kind": "indirect", "content": spans, "source": [], "source_text": None})
            continue
        src = nearest(text, source, spans[0])
        attrs.append({"kind": "indirect", "content": spans, "source": [[src, src + len(source)]],
                      "source_text": source})
    return {"id": name, "text": text, "quotes": quotes, "attributions": attrs}


for name, key in KEY.items():
    print(json.dumps(gold(name, key), ensure_ascii=False))
