"""Pledges, one mechanism at a time, on sentences written for these tests: who pledges (the
clause's actor), what (the contribution type read in context), and with what stance (read
only from the words between them)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kg.records import ContributionType as T
from kg.records import Extraction, Stance

ExtractText = Callable[[str], Extraction]
C, K, D = Stance.COMMITTED, Stance.CONSIDERING, Stance.DECLINED


def found(extraction: Extraction) -> set[tuple[str, Stance, T]]:
    return {(p.actor.key, p.stance, t) for p in extraction.pledges for t in p.types}


def pairs(extraction: Extraction) -> set[tuple[str, Stance]]:
    return {(p.actor.key, p.stance) for p in extraction.pledges if p.actor.is_state}


def run(extract_text: ExtractText, text: str, date: str = "2026-02-10") -> Extraction:
    return extract_text(f"date: {date}\n\n{text}")


# (mechanism, text, exactly the (state, stance, type) triples expected)
CASES: list[tuple[str, str, set[tuple[str, Stance, T]]]] = [
    ("negation", "Norway will not deploy soldiers in Ukraine.", {("NO", D, T.GROUND_TROOPS)}),
    (
        "negated cue",
        "There will be no Swedish boots on the ground, the Swedish prime minister said.",
        {("SE", D, T.GROUND_TROOPS)},
    ),
    (
        "neither nor",
        "Neither Ireland nor Austria will send soldiers to the mission.",
        {("IE", D, T.GROUND_TROOPS), ("AT", D, T.GROUND_TROOPS)},
    ),
    (
        "refusal verb",
        "Hungary refused to supply artillery shells to Ukraine.",
        {("HU", D, T.EQUIPMENT)},
    ),
    (
        "negated refusal",
        "Greece has not ruled out sending a frigate.",
        {("GR", K, T.MARITIME)},
    ),
    (
        "clause locality",
        "Denmark will send 40 soldiers to the force, and Austria is open to talks on the plan.",
        {("DK", C, T.GROUND_TROOPS)},
    ),
    (
        "clause locality after a conjunction",
        "France pledged two frigates after it consulted Britain.",
        {("FR", C, T.MARITIME)},
    ),
    (
        "separate clauses, separate stances",
        "Portugal will fund demining, whereas Spain is weighing whether to send engineers.",
        {("PT", C, T.DEMINING), ("PT", C, T.FUNDING)},
    ),
    (
        "passive agent",
        "Artillery shells will be delivered by Portugal next month.",
        {("PT", C, T.EQUIPMENT)},
    ),
    (
        "participle with an agent on the cue",
        "Mortars donated by Belgium and Greece arrived at the front in March.",
        {("BE", C, T.EQUIPMENT), ("GR", C, T.EQUIPMENT)},
    ),
    (
        "participle with an agent, the main clause negated",
        "The rocket launchers supplied by Norway have not yet been used.",
        {("NO", C, T.EQUIPMENT)},
    ),
    (
        "participle with an agent from a party to the war",
        "Drones built by Ukraine struck a depot.",
        set(),
    ),
    (
        "an unnamed official of a government named after the noun",
        "No decision on sending soldiers has been taken, a spokesman for the Czech government "
        "said.",
        {("CZ", K, T.GROUND_TROOPS)},
    ),
    (
        "a guess voiced by an official named after the noun",
        "A spokeswoman for the Dutch defence ministry said the Netherlands could send a frigate.",
        {("NL", K, T.MARITIME)},
    ),
    (
        "saying no to giving",
        "Austria says no to supplying artillery shells.",
        {("AT", D, T.EQUIPMENT)},
    ),
    (
        "saying yes to giving",
        "Estonia said yes to sending a frigate to the mission.",
        {("EE", C, T.MARITIME)},
    ),
    (
        "an opening no is no answer to the contribution",
        "No, Latvia will send instructors, the minister said.",
        {("LV", C, T.TRAINING)},
    ),
    (
        "a discussion between states is a topic, not a position",
        "The Czech and Slovak prime ministers met in Bratislava to discuss sending howitzers.",
        set(),
    ),
    (
        "a discussion with another state's leader is a topic",
        "The Dutch prime minister discussed the deployment of troops with the Polish president.",
        set(),
    ),
    (
        "a state's own discussion is deliberation",
        "Croatia is debating whether to send troops, its defence minister said.",
        {("HR", K, T.GROUND_TROOPS)},
    ),
    (
        "coordinated demonyms own a noun together",
        "Belgian and Dutch minehunters will be deployed off Odesa.",
        {("BE", C, T.DEMINING), ("NL", C, T.DEMINING)},
    ),
    (
        "a plural possessive of several states",
        "Norway and Iceland said their engineers would rebuild the bridges.",
        {("NO", C, T.RECONSTRUCTION), ("IS", C, T.RECONSTRUCTION)},
    ),
    (
        "a weapon system named by its name alone",
        "Luxembourg will finance two more NASAMS batteries for Kyiv.",
        {("LU", C, T.EQUIPMENT), ("LU", C, T.FUNDING)},
    ),
    (
        "a weapon system's name before a noun that is not a cue",
        "Slovenia will deliver Leopard tanks and Patriot systems to Ukraine.",
        {("SI", C, T.EQUIPMENT)},
    ),
    (
        "coordinated modifiers each make a cue phrase with their noun",
        "Slovenia will keep providing humanitarian, financial and military assistance.",
        {("SI", C, T.FUNDING), ("SI", C, T.EQUIPMENT)},
    ),
    (
        "a headline's actor parsed as the head of its infinitive",
        "Dutch to send more drones, Belgium weighs fighter jets",
        {("NL", C, T.EQUIPMENT), ("BE", K, T.AIR_POWER)},
    ),
    (
        "a wish for others that names no state is nobody's pledge",
        "The Estonian prime minister urged Europe to send more air-defence systems.",
        set(),
    ),
    (
        "what a state outside the war receives is no contribution to it",
        "Lithuania received 200 million euros from the EU to house refugees.",
        set(),
    ),
    (
        "a bare yes or no answers the question before, for the one who answers",
        "Interview with Latvian Prime Minister Evika Siliņa\n\n"
        "Q: Will Latvia send instructors to Ukraine?\n\nA: Yes.\n\n"
        "Q: Would you deploy a frigate?\n\nA: No.\n\n"
        "Q: And will Lithuania send soldiers?\n\nA: No.",
        {("LV", C, T.TRAINING), ("LV", D, T.MARITIME)},
    ),
    (
        "money written short: a currency code and a number with its magnitude",
        "Iceland will give EUR 2bn to Ukraine's energy company.",
        {("IS", C, T.FUNDING)},
    ),
    (
        "nominal agent",
        "The minister welcomed the provision of mortars by Slovenia.",
        {("SI", C, T.EQUIPMENT)},
    ),
    (
        "converse verb",
        "Ukrainian forces received 20 tanks from Spain last week.",
        {("ES", C, T.EQUIPMENT)},
    ),
    (
        "coordinated actors",
        "Latvia, Lithuania and Estonia will each send a company of soldiers.",
        {("LV", C, T.GROUND_TROOPS), ("LT", C, T.GROUND_TROOPS), ("EE", C, T.GROUND_TROOPS)},
    ),
    (
        "reported decision of another state",
        "Ireland and Malta are sending mine-clearing experts, the Belgian foreign minister said.",
        {("IE", C, T.DEMINING), ("MT", C, T.DEMINING)},
    ),
    (
        "past delivery",
        "Croatia has handed over eight howitzers to Ukraine.",
        {("HR", C, T.EQUIPMENT)},
    ),
    (
        "continuing help",
        "Belgium continues to provide Ukraine with ammunition.",
        {("BE", C, T.EQUIPMENT)},
    ),
    ("loan", "Canada will lend Ukraine 1.5 billion dollars.", {("CA", C, T.FUNDING)}),
    (
        "budget support",
        "Japan announced budget support of 300 million dollars for Kyiv.",
        {("JP", C, T.FUNDING)},
    ),
    (
        "reconstruction by a verb",
        "Switzerland will rebuild three schools in the Kharkiv region.",
        {("CH", C, T.RECONSTRUCTION)},
    ),
    (
        "trainers",
        "Norway will send 50 military instructors to Poland.",
        {("NO", C, T.TRAINING)},
    ),
    (
        "trainees are not troops offered",
        "Britain will train 5,000 Ukrainian recruits this year.",
        {("GB", C, T.TRAINING)},
    ),
    (
        "a platform handed over is equipment",
        "Portugal will donate two F-16 jets to Ukraine.",
        {("PT", C, T.EQUIPMENT)},
    ),
    (
        "a platform on a mission is air power",
        "Portugal will station two F-16s in Romania to police the airspace.",
        {("PT", C, T.AIR_POWER)},
    ),
    (
        "coordinated modifiers",
        "Croatia pledged air and naval patrols after a ceasefire.",
        {("HR", C, T.AIR_POWER), ("HR", C, T.MARITIME)},
    ),
    (
        "a value is no funding",
        "Greece will send drones worth 10 million euros.",
        {("GR", C, T.EQUIPMENT)},
    ),
    (
        "humanitarian help has no type",
        "Spain will send humanitarian aid worth 5 million euros.",
        set(),
    ),
    ("the recipient does not pledge", "Ukraine will deploy a new brigade to the front.", set()),
    ("the aggressor does not pledge", "Russia will send more troops to the border.", set()),
    (
        "an invitation is not the guest's pledge",
        "Ukraine invited Austria to join the rebuilding of Kharkiv.",
        set(),
    ),
    (
        "agreements between the warring parties",
        "Russia and Ukraine agreed to exchange prisoners and to halt strikes on ports.",
        set(),
    ),
    ("a request is not a pledge", "Kyiv urged Berlin to send Taurus missiles.", set()),
    (
        "third-party opposition",
        "Belarus warned Lithuania against sending troops to Ukraine.",
        set(),
    ),
    (
        "a state's companies are not the state",
        "Czech companies will sell shells to Ukraine.",
        set(),
    ),
    ("hypothesis", "If Norway sent troops, Moscow would retaliate, officials said.", set()),
    ("question", "Will Spain send frigates to the Black Sea?", set()),
    (
        "a question someone asks",
        "Reporters asked whether Finland would send troops.",
        set(),
    ),
    (
        "aggregate",
        "Twenty countries have pledged to send soldiers, diplomats said.",
        set(),
    ),
    (
        "a guess in an opinion piece",
        "Britain should send fighter jets, and Germany must deliver more missiles.",
        set(),
    ),
    (
        "a guess voiced by the state",
        "Germany could send more air defence systems, German Chancellor Friedrich Merz said.",
        {("DE", K, T.EQUIPMENT)},
    ),
    (
        "a guess by an analyst",
        "Italy might send jets within weeks, said Marco Rossi, an analyst at a Rome think tank.",
        set(),
    ),
    (
        "an expectation reported by others",
        "Germany is expected to announce a new package of howitzers on Friday.",
        set(),
    ),
    (
        "deciding still to come",
        "The Dutch government will decide next month whether to send troops.",
        {("NL", K, T.GROUND_TROOPS)},
    ),
    (
        "no decision yet",
        "No decision has been taken on sending troops, a Danish government spokesperson said.",
        {("DK", K, T.GROUND_TROOPS)},
    ),
    (
        "deliberation",
        "Canada is looking into sending a frigate, its defence minister said.",
        {("CA", K, T.MARITIME)},
    ),
    (
        "approval still to be sought",
        "Austria would send observers to monitor the ceasefire subject to a vote in parliament.",
        {("AT", K, T.MONITORING)},
    ),
    (
        "a negated alternative",
        "Slovakia will contribute instructors, not soldiers, its prime minister said.",
        {("SK", C, T.TRAINING), ("SK", D, T.GROUND_TROOPS)},
    ),
    (
        "a backstop role",
        "The United States will act as a backstop for the European force if Russia attacks again.",
        {("US", C, T.BACKSTOP)},
    ),
    (
        "an evaluated infinitive with its own subject",
        "It would be sensible for Finland to send more artillery.",
        set(),
    ),
    ("a passive request", "Croatia was urged to send howitzers.", set()),
    ("a request and its asker", "Croatia was asked by Kyiv to send howitzers.", set()),
    (
        "a participle request, then a refusal without its verb",
        "Croatia, asked to send howitzers, said it would not.",
        {("HR", D, T.EQUIPMENT)},
    ),
    (
        "a negated modal without its verb",
        "Greece will send two frigates, but Cyprus will not.",
        {("GR", C, T.MARITIME), ("CY", D, T.MARITIME)},
    ),
    (
        "a negated modal without its verb, the sentence before",
        "Will Malta send troops? Its prime minister says it will not.",
        {("MT", D, T.GROUND_TROOPS)},
    ),
    (
        "a refusal with nothing refused named",
        "Kyiv asked Vilnius for more mortars. Lithuania has so far refused.",
        {("LT", D, T.EQUIPMENT)},
    ),
    ("a refusal to say", "Lithuania refused to comment on mortars.", set()),
    (
        "hearsay that nobody stands for",
        "A widely shared video says Latvia sent ten tanks to Ukraine last month.",
        set(),
    ),
    (
        "what was asked about is what the answer is about",
        "Asked whether Slovenia would join the demining effort, its prime minister said his "
        "government would not take part.",
        {("SI", D, T.DEMINING)},
    ),
    (
        "an answer that names its own contribution",
        "Asked about demining, the Slovenian prime minister said Ljubljana would send jets.",
        {("SI", C, T.AIR_POWER)},
    ),
    (
        "an untitled official's report speaks for the state",
        "The Slovenian prime minister said troops would not be sent.",
        {("SI", D, T.GROUND_TROOPS)},
    ),
    (
        "a denial above the clause",
        "The Estonian government denied reports that Estonia would send a battalion.",
        set(),
    ),
    (
        "a clause that stops is no refusal",
        "Estonia could send a frigate once the shelling stops, its defence minister said.",
        {("EE", K, T.MARITIME)},
    ),
    (
        "an unnamed official's own country",
        "The Latvian foreign minister said his country would send two patrol boats.",
        {("LV", C, T.MARITIME)},
    ),
    (
        "an unnamed official's own government",
        "Belgium's defence minister said her government would not send soldiers.",
        {("BE", D, T.GROUND_TROOPS)},
    ),
    (
        "kept for the giver's own forces",
        "Ireland will allocate 40 million euros to its own air defence.",
        set(),
    ),
    ("an acquisition with no beneficiary", "Finland will buy new howitzers.", set()),
    (
        "an acquisition for a beneficiary",
        "Finland will buy howitzers for Ukraine.",
        {("FI", C, T.EQUIPMENT)},
    ),
    (
        "a host's own territory is where, not who gets",
        "Lithuania will train Ukrainian soldiers on its territory.",
        {("LT", C, T.TRAINING)},
    ),
    (
        "money spent on a contribution",
        "Iceland will spend 20 million euros on drones for Ukraine.",
        {("IS", C, T.FUNDING), ("IS", C, T.EQUIPMENT)},
    ),
    (
        "equipment words that name the mission a contribution goes to",
        "Latvia will contribute two fighter jets to the alliance's air defence mission.",
        {("LV", C, T.AIR_POWER)},
    ),
    (
        "a membership noun as what the contribution is",
        "Dutch soldiers will be part of the reassurance force.",
        {("NL", C, T.GROUND_TROOPS)},
    ),
    (
        "a membership noun, negated",
        "Danish soldiers will not be part of the reassurance force.",
        {("DK", D, T.GROUND_TROOPS)},
    ),
    (
        "a noun that takes up the contribution before",
        "Estonia will send frigates. Latvia rejected the idea.",
        {("EE", C, T.MARITIME), ("LV", D, T.MARITIME)},
    ),
    (
        "a noun with a complement of its own takes nothing up",
        "Estonia will send frigates. Latvia rejected the idea of an early election.",
        {("EE", C, T.MARITIME)},
    ),
    (
        "a question between keeps the topic",
        "Estonia will send frigates. What about Latvia? Latvia turned down the request.",
        {("EE", C, T.MARITIME), ("LV", D, T.MARITIME)},
    ),
    (
        "anaphora: the sentence before",
        "Romania may join air policing over Ukraine, its defence minister said. "
        "Moldova said it would not do that.",
        {("RO", K, T.AIR_POWER), ("MD", D, T.AIR_POWER)},
    ),
    (
        "what something is chosen over: rather than",
        "Slovenia will send instructors rather than soldiers.",
        {("SI", C, T.TRAINING), ("SI", D, T.GROUND_TROOPS)},
    ),
    (
        "what something is chosen over: instead of",
        "Croatia will provide ammunition instead of troops.",
        {("HR", C, T.EQUIPMENT), ("HR", D, T.GROUND_TROOPS)},
    ),
    (
        "repeated passive agents",
        "The new air defence batteries were financed by Ireland, by Malta and Cyprus "
        "together, and by Iceland.",
        {
            (state, C, kind)
            for state in ("IE", "MT", "CY", "IS")
            for kind in (T.FUNDING, T.EQUIPMENT)
        },
    ),
    (
        "repeated passive agents of a participle, hung on its noun",
        "The first shipments, financed by Ireland, by Malta and Cyprus together, and by "
        "Iceland and Chile, have already arrived.",
        {(state, C, T.FUNDING) for state in ("IE", "MT", "CY", "IS", "CL")},
    ),
    (
        "a state's own soldiers kept in the state: a refusal argued",
        "Prime Minister Evika Silina explained that Latvian soldiers would remain in Latvia, "
        "where they are needed to protect the border.",
        {("LV", D, T.GROUND_TROOPS)},
    ),
    (
        "own soldiers needed at home",
        "In Riga, officials point out that Latvian troops are needed at home.",
        {("LV", D, T.GROUND_TROOPS)},
    ),
    (
        "own soldiers kept at home",
        "Our soldiers will stay at home, the Latvian prime minister said.",
        {("LV", D, T.GROUND_TROOPS)},
    ),
    (
        "what a post says a leader pledged is a claim only",
        "A video shared thousands of times since Sunday says Latvian Prime Minister Evika "
        "Silina pledged 500 troops for the force.",
        set(),
    ),
    (
        "a fact check's checked claim, then the finding",
        "CLAIM: Latvia promised 500 soldiers for the force.\n\nLatvia will not send soldiers, "
        "the Latvian prime minister said.",
        {("LV", D, T.GROUND_TROOPS)},
    ),
    (
        "'it' stands for the plan its own clause names, not the contribution before",
        "Latvia will send two minehunters. The prime minister said Latvia, Estonia and others "
        "would work with Finland on a plan to stop the fighting and then take it to Brussels.",
        {("LV", C, T.DEMINING)},
    ),
    (
        "a term in quotation marks is not speech of the last speaker",
        'Donald Trump said American soldiers would not be deployed: "You have my word."\n\n'
        'The coalition is ready to deploy a "reassurance force" once the fighting stops.',
        {("US", D, T.GROUND_TROOPS)},
    ),
    (
        "a round-up paragraph's label names what 'the two' are",
        "United States. Donald Trump said American soldiers would not be deployed.\n\n"
        "Latvia and Estonia. The two governments are ready to deploy troops once the fighting "
        "stops.",
        {("US", D, T.GROUND_TROOPS), ("LV", C, T.GROUND_TROOPS), ("EE", C, T.GROUND_TROOPS)},
    ),
    (
        "rejecting a demand to halt support is not declining the support",
        "Russia continues to demand that Latvia's partners halt all military support. We reject "
        "this, the Estonian and Lithuanian defence ministers said.",
        set(),
    ),
    (
        "a decision put off is pending",
        "Estonia holds off on a decision about howitzers as allies meet.",
        {("EE", K, T.EQUIPMENT)},
    ),
    (
        "not yet having made up its mind is undecided",
        "Latvia has not yet made up its mind on sending tanks to Ukraine, its defence minister "
        "said.",
        {("LV", K, T.EQUIPMENT)},
    ),
    (
        "countries that send forces are others, not the reporter's state",
        "Donald Tusk said Poland would help countries that send forces.",
        set(),
    ),
    (
        "a wish of the actor's own",
        "Portugal wants to send troops to the mission, the Portuguese defence minister said.",
        {("PT", K, T.GROUND_TROOPS)},
    ),
    (
        "spending on its own defence",
        "Next year Greece will spend 3.5 per cent of its GDP on defence.",
        set(),
    ),
    (
        "a negated decision noun above the clause",
        "There is no consensus yet to send Czech soldiers, the Czech prime minister said.",
        {("CZ", K, T.GROUND_TROOPS)},
    ),
    (
        "what a help is not: without",
        "Austria could support the mission without sending soldiers.",
        set(),
    ),
    (
        "what sanctions are aimed at",
        "Finland imposed new sanctions on 40 ships of the shadow fleet.",
        set(),
    ),
    (
        "a counterfactual condition",
        "If I were in Oslo, I would send four frigates, the Norwegian defence minister said.",
        set(),
    ),
    (
        "a transcript's guest whom no label resolves speaks for no state",
        "PRESENTER: Good evening. With me is the Norwegian defence minister, Tore Sandvik.\n\n"
        "TORE SANDVIK: Norway will send two frigates.\n\n"
        "ANNA LIND: We will also send fighter jets.",
        {("NO", C, T.MARITIME)},
    ),
    (
        "the actor's own leader's wish above the clause",
        "Mark Carney said he wants Canada to send troops to the force.",
        {("CA", K, T.GROUND_TROOPS)},
    ),
    (
        "his country: the state the report's subject names",
        "Antony Blinken arrived first. Belgium's Prime Minister Jan Peeters said his country "
        "could send ten trucks of mortars.",
        {("BE", K, T.EQUIPMENT)},
    ),
    (
        "a degree that rules out the infinitive: too ... to",
        "The Dutch army is too stretched to deploy another battalion, the Dutch defence "
        "minister said. Greece is too far from the front to send frigates.",
        {("NL", D, T.GROUND_TROOPS), ("GR", D, T.MARITIME)},
    ),
    (
        "another state's forces taken in are no pledge of the receiver",
        "Serbia will not accept Albanian soldiers on its soil. Moldova welcomed Romanian troops.",
        set(),
    ),
    (
        "an army rebuilt is trained, not reconstructed",
        "Denmark will help rebuild the Ukrainian army. Austria will rebuild Ukrainian bridges.",
        {("DK", C, T.TRAINING), ("AT", C, T.RECONSTRUCTION)},
    ),
    (
        "who mandated a mission is not whose it is",
        "Malta would consider joining an OSCE-mandated mission to monitor the truce, the "
        "Maltese prime minister said.",
        {("MT", K, T.MONITORING)},
    ),
    (
        "a gerund subject whose consequence is weighed is an act supposed",
        "Deploying a regiment abroad would leave our own border bare, the Latvian defence "
        "minister said.",
        set(),
    ),
    (
        "a deployment as the subject of what it would bring is supposed",
        "The Dutch defence minister said a troop deployment abroad would overstretch the army.",
        set(),
    ),
    (
        "what is done with 'that' after the contribution it takes up",
        "Deploying a regiment abroad would leave our own border bare, and that is something "
        "Latvia will not do, the Latvian defence minister said.",
        {("LV", D, T.GROUND_TROOPS)},
    ),
    (
        "forces assigned to an operation are deployed",
        "Belgium and Portugal have assigned two frigates to the naval operation.",
        {("BE", C, T.MARITIME), ("PT", C, T.MARITIME)},
    ),
    (
        "'both' as a subject takes up the states named together before",
        "Chile and Peru. Both have said they will send demining teams to the region.",
        {("CL", C, T.DEMINING), ("PE", C, T.DEMINING)},
    ),
    (
        "an actor that exists only in a supposition",
        "A cabinet I would lead would offer Czech sappers for demining, the opposition leader "
        "wrote.",
        set(),
    ),
    (
        "her country: the state owning the proper name 'her' takes up",
        "Croatia's minister Ivo Horvat spoke first. Slovenia's Mojca Šušteršič said her country "
        "does not exclude sending soldiers.",
        {("SI", K, T.GROUND_TROOPS)},
    ),
    (
        "'said no' answers what was named before",
        "Kyiv has asked Madrid for more Leopard tanks. The Spanish prime minister has said no.",
        {("ES", D, T.EQUIPMENT)},
    ),
    (
        "too early: a degree of time puts the act off, a dummy 'it' is nobody",
        "Greece will send frigates. It is too soon to deploy Danish soldiers, the Danish "
        "prime minister said. Portugal's president said it was too early to talk about troops.",
        {("GR", C, T.MARITIME), ("DK", K, T.GROUND_TROOPS)},
    ),
    (
        "what an action is against is a target, not an offer",
        "Croatia will step up action against the smuggling fleet in the Adriatic Sea. Croatia "
        "will also send air-defence systems against Russian drones.",
        {("HR", C, T.EQUIPMENT)},
    ),
    (
        "personnel contributed to a force are troops, personnel trained are trainees",
        "Slovenia is ready to contribute personnel to the multinational force. Austria will "
        "train Ukrainian personnel.",
        {("SI", C, T.GROUND_TROOPS), ("AT", C, T.TRAINING)},
    ),
    (
        "a negated permission rules the clause under it out; 'it' is the subject's owner",
        "Croatia will send frigates. Malta's neutrality law does not allow it to send soldiers "
        "to the mission.",
        {("HR", C, T.MARITIME), ("MT", D, T.GROUND_TROOPS)},
    ),
    (
        "standing by someone on the condition of an attack is a backstop",
        "Canada will support the mission if it comes under attack.",
        {("CA", C, T.BACKSTOP)},
    ),
    (
        "what a contribution works by is its means, not another contribution",
        "Norway will provide a truce monitoring team relying on radars and unmanned aircraft.",
        {("NO", C, T.MONITORING)},
    ),
    (
        "a decision on whether to send is still to come; a fleet is what it is made of",
        "The Danish defence minister said a decision on whether to send part of Denmark's "
        "Leopard fleet would be taken in spring.",
        {("DK", K, T.EQUIPMENT)},
    ),
    (
        "a name in the plural is the name's cue",
        "Greece is open to sending some of its Leopards, the Greek defence minister said.",
        {("GR", K, T.EQUIPMENT)},
    ),
    (
        "nothing excluded is nothing refused",
        'The Belgian prime minister said "nothing is excluded" regarding the F-16 jets.',
        {("BE", K, T.AIR_POWER)},
    ),
    (
        "what is bought and handed on is given; what is bought alone is kept",
        "Portugal will buy ten howitzers and hand them to Ukraine. Greece will buy new "
        "frigates and train their crews.",
        {("PT", C, T.EQUIPMENT)},
    ),
    (
        "members of a force are one state's soldiers; 'that work' takes up what they do",
        "Members of the Austrian Armed Forces have been training Ukrainian sappers in mine "
        "clearance in western Poland, and that work will go on next year.",
        {("AT", C, T.TRAINING), ("AT", C, T.DEMINING)},
    ),
    (
        "a sale to no state is trade; 'them' takes up what its sentence named",
        "Those howitzers were sold back to their maker, and we will not be able to send them "
        "to Ukraine, the Danish defence minister said.",
        {("DK", D, T.EQUIPMENT)},
    ),
    (
        "who committed what a relative clause names gave it",
        "The twelve howitzers Portugal committed last year are on their way to Ukraine.",
        {("PT", C, T.EQUIPMENT)},
    ),
    (
        "what a request is for is asked, and taking note of it is no position",
        "Chile and Peru will send frigates. We took note of Ukraine's request for more "
        "howitzers, the Chilean and Peruvian ministers said.",
        {("CL", C, T.MARITIME), ("PE", C, T.MARITIME)},
    ),
    (
        "what a request is for is the topic 'that request' takes up",
        "Kyiv renewed its request for more howitzers. The Portuguese defence minister said "
        "Portugal has yet to decide on that request.",
        {("PT", K, T.EQUIPMENT)},
    ),
    (
        "'it' in what others do takes up nothing",
        "Chile will send frigates. Chile will also press for sanctions on those who help it "
        "evade them.",
        {("CL", C, T.MARITIME)},
    ),
]


@pytest.mark.parametrize(("mechanism", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_pledge_mechanism(
    extract_text: ExtractText, mechanism: str, text: str, expected: set[tuple[str, Stance, T]]
) -> None:
    states = {triple for triple in found(run(extract_text, text)) if len(triple[0]) == 2}
    assert states == expected, mechanism


def test_joint_statement_we_is_every_signatory(extract_text: ExtractText) -> None:
    text = (
        "title: Joint statement by the defence ministers of Greece and Cyprus\n"
        "date: 2026-02-10\n\n"
        "The ministers met in Nicosia. We will provide naval patrols in the eastern Mediterranean."
    )
    assert found(extract_text(text)) >= {("GR", C, T.MARITIME), ("CY", C, T.MARITIME)}


def test_a_title_line_without_a_header_names_the_signatories(
    extract_text: ExtractText,
) -> None:
    text = (
        "12 May 2026\nJoint statement of the foreign ministers of Chile and Peru\n\n"
        "We will send two frigates to the Black Sea."
    )
    assert found(extract_text(text)) == {("CL", C, T.MARITIME), ("PE", C, T.MARITIME)}


def test_the_leader_a_statement_is_by_speaks_its_we(extract_text: ExtractText) -> None:
    text = (
        "date: 2026-02-10\ntitle: Statement by the Prime Minister of Malta, Robert Abela, "
        "following the leaders' video conference on Ukraine\n\n"
        "We do not send weapons to Ukraine and we will not do so."
    )
    assert found(extract_text(text)) == {("MT", D, T.EQUIPMENT)}


def test_we_named_in_apposition(extract_text: ExtractText) -> None:
    text = "We, the prime ministers of Belgium and the Netherlands, will fund demining in Ukraine."
    assert pairs(run(extract_text, text)) == {("BE", C), ("NL", C)}


def test_a_quoted_group_speaks_for_its_states(extract_text: ExtractText) -> None:
    text = (
        '"None of us will station troops in Ukraine," the leaders of Latvia and Croatia said '
        "in a joint declaration."
    )
    assert pairs(run(extract_text, text)) == {("LV", D), ("HR", D)}


def test_pronoun_of_the_leader_who_is_the_subject(extract_text: ExtractText) -> None:
    text = (
        "Finnish President Alexander Stubb met Polish President Karol Nawrocki in Warsaw. "
        "He said his country would fund demining in Ukraine."
    )
    assert pairs(run(extract_text, text)) == {("FI", C)}


def test_the_announcer_speaks_for_the_pledging_state(extract_text: ExtractText) -> None:
    found_here = run(
        extract_text,
        "Italian Prime Minister Giorgia Meloni said the United States would provide "
        "air defence systems.",
    )
    (pledge,) = [p for p in found_here.pledges if p.actor.key == "US"]
    assert pledge.announced_by is None  # an Italian leader does not announce for Washington
    own = run(
        extract_text, "Dutch Prime Minister Dick Schoof said the Netherlands would send jets."
    )
    assert {p.announced_by for p in own.pledges} == {"Dick Schoof"}


def test_a_headline_restating_the_body_is_one_pledge(extract_text: ExtractText) -> None:
    text = (
        "title: Estonia to send more drones to Ukraine\ndate: 2026-02-10\n\n"
        "Estonia will send 500 drones to Ukraine, its defence minister said on Tuesday."
    )
    pledges = extract_text(text).pledges
    assert [(p.actor.key, p.stance) for p in pledges] == [("EE", C)]


def test_a_detail_of_the_sentence_before_keeps_its_stance(extract_text: ExtractText) -> None:
    text = (
        "Slovenia will step up its military support for Ukraine, its defence minister said. "
        "In particular, mortars and ammunition will be delivered this spring."
    )
    assert found(run(extract_text, text)) >= {("SI", C, T.EQUIPMENT)}


def test_a_condition_is_recorded_without_changing_the_stance(extract_text: ExtractText) -> None:
    found_here = run(extract_text, "Belgium will send four F-16s once a peace deal is signed.")
    (pledge,) = found_here.pledges
    assert pledge.stance is C and pledge.condition and "peace deal" in pledge.condition


def test_a_past_event_is_no_condition(extract_text: ExtractText) -> None:
    text = "Belgium will send four F-16s to the mission, after drones crossed the border in May."
    (pledge,) = run(extract_text, text).pledges
    assert pledge.stance is C and pledge.condition is None


def test_an_office_named_in_its_own_release_is_the_issuer(extract_text: ExtractText) -> None:
    text = (
        "Ministry release\n"
        "Prime Minister's Office of Slovenia\n"
        "4 May 2026\n\n"
        "The Ministry of Defence will deliver two more howitzers to Ukraine."
    )
    assert found(extract_text(text)) == {("SI", C, T.EQUIPMENT)}


def test_an_office_named_with_no_issuer_is_nobody(extract_text: ExtractText) -> None:
    text = "The Ministry of Defence will deliver two more howitzers to Ukraine."
    assert found(run(extract_text, text)) == set()


def test_the_package_taken_up_by_its_noun_is_detailed(extract_text: ExtractText) -> None:
    text = (
        "Croatia announced a new package of military aid for Ukraine. "
        "This package includes two patrol boats and mortar rounds."
    )
    assert found(run(extract_text, text)) >= {("HR", C, T.MARITIME), ("HR", C, T.EQUIPMENT)}


def test_an_unspecified_pledge_the_article_specifies_is_not_listed_beside_it(
    extract_text: ExtractText,
) -> None:
    text = (
        "Croatia announced a new package of security assistance for Ukraine. "
        "Croatia will also send two patrol boats."
    )
    found_here = run(extract_text, text)
    assert found(found_here) == {("HR", C, T.MARITIME)}


def test_a_value_is_no_money_offered(extract_text: ExtractText) -> None:
    text = "Croatia will send a package of mortar rounds valued at up to 20 million euros."
    assert found(run(extract_text, text)) == {("HR", C, T.EQUIPMENT)}


def test_a_definite_quantity_word_without_a_number_is_no_amount(
    extract_text: ExtractText,
) -> None:
    (pledge,) = run(extract_text, "Norway will double the number of troops it sends.").pledges
    assert pledge.stance is C and pledge.quantity is None
    (counted,) = run(extract_text, "Norway will send a small number of troops.").pledges
    assert counted.quantity == "a small number of troops"


def test_the_quantity_is_the_amount_as_written(extract_text: ExtractText) -> None:
    found_here = run(extract_text, "Finland will lend Ukraine roughly 100 million euros.")
    (pledge,) = found_here.pledges
    assert pledge.quantity is not None and "100 million euros" in pledge.quantity


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("Malta pledges $40m for the energy grid.", "$40m"),
        ("Austria will lend Ukraine 2 billion euros.", "2 billion euros"),
        ("Ireland announced a 90 million euro package for demining.", "90 million euro"),
    ],
)
def test_the_quantity_of_money_is_the_whole_amount(
    extract_text: ExtractText, text: str, quantity: str
) -> None:
    quantities = {p.quantity for p in run(extract_text, text).pledges}
    assert quantity in quantities


@pytest.mark.parametrize(
    "sentence",
    [
        "A total of 26 countries have pledged to send troops to Ukraine.",
        "Russia rejected any plan to place foreign troops in Ukraine.",
        "Moscow would not accept Western peacekeepers in any format.",
        "The partners are ready to deploy the force a day after the ceasefire.",
        "Any NATO peacekeepers deployed to Ukraine would trigger a war, Moscow warned.",
        "Russia committed to a ceasefire on Monday.",
    ],
)
def test_no_pledge_from_aggregates_opposition_or_hypotheses(
    extract_text: ExtractText, sentence: str
) -> None:
    assert extract_text(f"date: 2026-01-10\n\n{sentence}").pledges == ()


def test_actor_named_through_its_leader(extract_text: ExtractText) -> None:
    extraction = extract_text(
        "date: 2026-01-10\n\n"
        "Swedish Prime Minister Ulf Kristersson said Sweden's contribution would include "
        "Gripen fighter jets. Later, Kristersson pledged to send instructors."
    )
    assert ("SE", Stance.COMMITTED, T.AIR_POWER) in found(extraction)
    assert any(p.announced_by == "Ulf Kristersson" for p in extraction.pledges)
