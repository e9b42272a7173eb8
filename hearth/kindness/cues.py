"""Category cues: small word lists and patterns over normalised text.

Cues never decide whether a text gets a prompt; the trained model does. They
are used to say *why* in plain words, to keep threats and attacks on groups
prompted between friends, and as a few extra model features (a second-person
word next to an insult says more than either alone).
"""

from __future__ import annotations

import re
from typing import Final

from hearth.kindness import lexicon


def _split(text: str) -> list[str]:
    return text.split()


# Cue names, most serious first: reasons are listed in this order.
THREAT: Final = "threat"
IDENTITY: Final = "identity"
HARASSMENT: Final = "harassment"
INSULT: Final = "insult"
CONTEMPT: Final = "contempt"
SARCASM: Final = "sarcasm"
PROFANITY: Final = "profanity"
CUES: Final = (THREAT, IDENTITY, HARASSMENT, INSULT, CONTEMPT, SARCASM, PROFANITY)

# Between friends these keep the normal threshold. Harassment joins threats
# and attacks on groups: people who stalk an ex often still follow each other.
SEVERE: Final = frozenset({THREAT, IDENTITY, HARASSMENT})

REASONS: Final = {
    THREAT: "this reads as a threat",
    IDENTITY: "this attacks a group of people",
    HARASSMENT: "this could feel like harassment",
    INSULT: "this calls someone a name",
    CONTEMPT: "this tells someone they don't matter",
    SARCASM: "this may come across as a put-down",
    PROFANITY: "the strong language may land harder than you mean",
}
GENERIC_REASON: Final = "this may come across as hurtful"


_THREAT = re.compile(
    "|".join(
        [
            # "I'll kill you", "I'm going to break your legs", "gonna hurt your kids"
            r"\b(?:i'll|ill|i will|i'm going to|im going to|i'm gonna|im gonna|gonna|i'd|"
            r"i would|we'll|we will|someone should|somebody should|someone needs to|"
            r"somebody needs to)\b(?:\s+\w+){0,3}?\s+(?:kill|murder|stab|shoot|strangle|hang|"
            r"burn|beat|hurt|cut|smash|slit|choke|break|end|bury|run \w+ over|run over|"
            r"knock|punch|rape|destroy|find|make you|put you|put a bullet|rearrange)\b",
            r"\b(?:should|deserve to|deserves to|need to|needs to|ought to) (?:be |get )?"
            r"(?:shot|hanged|hung|killed|executed|beaten|burned|burnt|stabbed|lynched|gassed|"
            r"put down|strung up|wiped out|run over|locked up|exterminated|die|dead)\b",
            r"\bhope (?:you|ya|your|u|he|she|they|someone)\b.{0,40}\b(?:die|dies|dead|burn|"
            r"crash|crashes|choke|rot|cancer|hit by|get shot|gets shot|get hurt|suffer|"
            r"get \w+ed|run over|makes you pay)",
            r"\b(?:kill|hang|end) (?:yourself|urself|your self)\b",
            r"\b(?:kys|drink bleach|jump off a bridge|die in a fire|burn alive|end it)\b",
            r"\b(?:watch your back|know where you live|where you live|dead meat|you're dead|"
            r"youre dead|six feet under|in the ground|bullet with your name|your name on it|"
            r"sleep well tonight|coming for you|see what happens|you'll regret|"
            r"you will regret|accidents happen|would be a shame if|last day you|"
            r"eating through a straw|lined up against a wall)\b",
            r"\b(?:i will|i'll|ill|i'm going to|gonna) (?:kill|murder|end|hurt|find) (?:you|him|"
            r"her|them|your)\b",
            r"\bte voy a matar\b",
            r"\b(?:i'll|i will|gonna|going to|i'm going to) (?:get|catch) you\b",
            r"\bcome alone\b|\bwon't walk away\b|\bwon't be laughing\b",
            r"\bhope (?:you|u|ya|he|she|they|your \w+) (?:get|gets|are|is) (?:beaten|shot|hit|"
            r"stabbed|hurt|killed|raped|run over|strung up|hanged|hung|lynched|burned|burnt|"
            r"attacked|mugged|cancer|what's coming)",
            r"\bhope (?:you|u|ya) (?:lose everything|die|suffer|rot|never wake up|choke)",
            r"\bwhat's coming (?:to|for) you\b|\bget what you deserve\b",
            r"\bmake you (?:disappear|suffer|pay|bleed|regret)\b",
            r"\b(?:break|breaking|smash|smashing) your (?:jaw|legs?|nose|neck|face|teeth|skull)",
            r"\bcan't protect you\b|\bi'm coming\b|\bhunted down\b|\bbullet\b",
            r"\b(?:sleep with one eye open|keep your doors locked|lock your doors|"
            r"count your days|go missing|go die|you'll be sorry|you will be sorry|you're done|"
            r"it's over for|you're finished|won't see it coming|run while you|your only warning|"
            r"days are numbered|matter of time|get your hands on|teach you a lesson|"
            r"end up in a|find your body|planning your funeral|dealt with|mark my words|"
            r"last warning|be afraid|you're next|you are next|not safe|your time is up|"
            r"won't last|won't survive|something (?:bad|terrible) (?:is going to|will) happen|"
            r"shame if|(?:end|wind) up (?:dead|in hospital|in a ditch|in a box)|"
            r"(?:see|meet) you outside|come for you|hunt you|deserve to be (?:deported|"
            r"punished|hurt|attacked|hunted|beaten|shot|killed|hanged|burned|locked up))\b",
        ]
    )
)

_GROUPS = (
    r"(?:immigrants?|migrants?|muslims?|jews?|jewish|gays?|gay people|lesbians?|trans people|"
    r"trans women|trans men|trannies|tranny|women|woman|girls|black people|blacks|whites|"
    r"mexicans?|refugees?|disabled people|disabled|asians?|roma|gypsies|gypsy|foreigners?|"
    r"autistic people|autistic|christians?|arabs?|indians?|poles|polish|chinese|"
    r"fat people|old people|boomers|atheists?|queers?|you people|your kind|your lot|"
    r"those people|these people|that estate)"
)
_DEHUMANISING = (
    r"(?:vermin|rats|animals|parasites|a disease|disease|cockroaches|a plague|plague|filth|"
    r"subhuman|savages|scum|trash|terrorists|criminals|rapists|perverts|thieves|liars|"
    r"dirty|lazy|backwards|violent|mentally ill|a mistake|a drain|brainwashed|scammers|"
    r"breed like|mistake of nature|not real people|aren't real|don't belong|doesn't belong|"
    r"shouldn't be allowed|should not be allowed|go back|send them|get out|ruin|ruining|"
    r"cult|diseased|too emotional|belong in the kitchen|only good for|near my kids|exist|"
    r"in this (?:neighbourhood|neighborhood|country|city|town|group)|"
    r"in our (?:street|town|country|schools|group|neighbourhood)|don't want|moved in|"
    r"showed up|deported|sick of|can't stand|too many|make me sick|don't deserve|"
    r"aren't human|not welcome|born \w+|ban|out of our|never rent|never hire|wouldn't hire|"
    r"wouldn't let|without|don't serve|won't serve|refuse to serve|won't hire|don't hire|"
    r"won't rent)"
)
_IDENTITY = re.compile(
    "|".join(
        [
            rf"\b{_GROUPS}\b.{{0,60}}\b{_DEHUMANISING}",
            rf"\b{_DEHUMANISING}.{{0,30}}\b{_GROUPS}\b",
            r"\bgo back (?:to )?(?:where you came from|your (?:own )?country|home)\b",
            r"\blearn english or\b",
            r"\b(?:f[a@]gs?|f[a@]ggots?|trann(?:y|ies)|retards?|retarded|dykes?|pakis?|"
            r"kikes?|spics?|chinks?|wetbacks?|towelheads?|gyppos?|n[i1!*]gg\w*)\b",
            r"\bdiversity hire\b",
            r"\bthe only good \w+ is\b",
            r"\bno (?:blacks|gays|muslims|jews|immigrants|foreigners|arabs|gypsies|women)\b",
            r"\btypical (?:woman|women|immigrant|foreigner|muslim|jew|gay|arab)\b",
            r"\bbuild a wall\b",
            r"\btypical \w+ (?:trash|scum)\b",
        ]
    )
)

_HARASSMENT = re.compile(
    "|".join(
        [
            r"\banswer me\b",
            r"\breply (?:or|to me)\b",
            r"\bi can see you(?:'re| are)? (?:online|read)",
            r"\bi know you saw\b",
            r"\bwhy (?:are you|won't you|wont you) (?:ignoring|reply|answer)",
            r"\b(?:your|ur) (?:address|boss|employer|landlord|wife|husband|parents|family|"
            r"sister|daughter|son|kids|school|new account|old account|instagram|linkedin|number)\b"
            r".{0,40}\b(?:send|sent|tell|email|emailing|post|posting|see|know|found|have|"
            r"message|messaging)",
            r"\b(?:found|have|got|know|posting|post) (?:your|ur) (?:address|number|instagram|"
            r"linkedin|new account|profile)",
            r"\b(?:new|another|make another|make a new) account\b",
            r"\bdelete (?:your|ur) account\b",
            r"\bleave the internet\b",
            r"\beveryone (?:go|look|spam|report)\b",
            r"\bpile on\b",
            r"\bi'll (?:keep|be in your|tag|report|tell|find|make sure everyone)\b",
            r"\bkeep (?:posting|tagging|messaging|making)\b",
            r"\buntil you(?:'re)? (?:answer|reply|delete|quit|leave|crack|apologi[sz]e|fired|"
            r"banned|gone|talk)",
            r"\b(?:watching|following) you\b",
            r"\bsend (?:me )?nudes\b",
            r"\byou can't hide\b",
            r"\bnever get rid of me\b",
            r"\bi'm outside\b",
            r"\bkill yourself\b|\bkys\b",
            r"\bi saved it\b|\bsaw you (?:at|in|outside|on)\b|\bhome address\b",
            r"\b(?:message|messaging|tell|told|email|emailing) your (?:sister|mum|mom|dad|boss|"
            r"wife|husband|family|relation|employer|office|teacher|girlfriend|boyfriend)\b",
            r"\b(?:i know|i found) (?:which|where|your)\b|\byou moved to\b",
            r"\byour new (?:username|account|number|profile)\b|\bsmile more\b",
            r"\bunfollow(?:ed)? me\b|\bshowing up\b|\bdon't ignore me\b",
            r"\bi know you're reading\b|\blaughing at your\b|\bat your (?:office|work)\b",
            r"\b(?:i'll|i will|i'm going to|gonna) (?:tell|show|send|email|message|call|text) "
            r"(?:everyone|everybody|your)\b",
            r"\b(?:i'm|i am|i've been|i have been) (?:watching|following|outside|saving|"
            r"collecting)\b",
            r"\bcan't (?:hide|escape|block me)\b|\bnever (?:get rid of|escape|be free of)\b",
            r"\b(?:dogpile|brigade|raid) (?:her|him|them|@user)\b|\b(?:spam|flood|swarm) "
            r"(?:her|his|him|their|them|@user)\b",
        ]
    )
)

_CONTEMPT = re.compile(
    "|".join(
        [
            r"\b(?:nobody|no one|noone|no body) (?:cares|asked|wants|likes|respects|"
            r"will (?:miss|remember)|could care less|is reading)\b",
            r"\bwho (?:even )?asked\b",
            r"\bshut (?:up|your mouth|your face|it)\b",
            r"\bshut the fuck up\b",
            r"\b(?:go away|get lost|piss off|fuck off|log off|sit down|zip it|take a hike|"
            r"crawl back|go cry|cry more|cry about it|touch grass|stay in your lane|"
            r"get a life|stop posting|stop talking|be quiet|get the fuck out)\b",
            r"\bnot worth (?:my|the|your)\b",
            r"\b(?:beneath me|irrelevant|a nobody|waste of (?:everyone's )?(?:time|space))\b",
            r"\bratio\b",
            r"\bok boomer\b",
            r"\bpoint of you\b",
            r"\bwithout you in it\b",
            r"\bembarrass(?:ed|ing)? (?:for you|yourself)\b",
            r"\b(?:nobody|no one|not one person)(?: here)? (?:respects|likes|wants|listens|"
            r"is listening|will ever love)\b",
            r"\byou don't matter\b|\bcould(?:n't| not) care less about you\b",
            r"\bwasting everyone's time\b|\binsignificant\b|\bwhy would anyone\b",
            r"\bwaste of a\b|\byou're (?:a|the) (?:problem|reason)\b|\btake the hint\b",
            r"\btiny violin\b|\bpeaked\b|\bcontribute nothing\b|\binconvenience\b",
            r"\bnobody with a\b|\bnobody asked\b|\bspare us\b",
            r"\b(?:nobody|no one) (?:gives a|would notice|reads|listens|will notice)\b",
            r"\bwhatever you (?:say|think)\b|\bwho are you\b|\bwho cares\b",
            r"\b(?:run|go) (?:along|home)\b|\bstay (?:quiet|out of|away)\b",
            r"\byou(?:'re| are) (?:nothing|no one|a nobody|a non-?entity|a joke)\b",
            r"\byour (?:existence|life|opinion|post|posts) (?:is|are|means) (?:worthless|"
            r"pointless|nothing|irrelevant|a joke)\b",
            r"\bdon't (?:care|give a (?:damn|shit|fuck)) (?:about|what) you\b",
        ]
    )
)

_SARCASM = re.compile(
    "|".join(
        [
            r"\b(?:genius|einstein|sherlock|captain obvious|nobel|galaxy[- ]brained|"
            r"big[- ]brained)\b",
            r"\bbless your heart\b",
            r"\b(?:oh )?(?:sweetie|sweetheart|honey|hun|darling)\b",
            r"\bcute (?:that|how) you\b",
            r"\ball by yourself\b",
            r"\bslow clap\b",
            r"\bcongrat(?:s|ulations) on being\b",
            r"\b(?:so|really) brave\b",
            r"\bmust be (?:nice|exhausting)\b",
            r"\bdid (?:your mum|your mom|someone) (?:help|write)\b",
            r"\bclown college\b",
            r"\b(?:how|very) (?:clever|original|refreshing)\b",
            r"\bcool story\b",
            r"\b(?:resident|village) (?:genius|idiot)\b",
            r"\bhot take\b|\bbad takes?\b",
            r"\bwow,? (?:what a|another|such|you)\b",
            r"\bimagine (?:being|thinking)\b",
            r"🤡|🙄",
            r"\bhow (?:cute|adorable)\b|\bsaid no one ever\b|\balert the (?:press|media)\b",
            r"\bgold star\b|\blet me guess\b|\boh look\b|\bin your own head\b",
            r"\blove that for you\b|\bgolf clap\b|\bwe are blessed\b",
            r"\bcongrat(?:s|ulations),? you(?:'ve)?\b|\bbig words from\b",
            r"\bmasterpiece from\b|\bhas spoken\b|\bexpert on everything\b",
            # Stock phrases of mock praise and mock sympathy.
            r"\b(?:stop the presses|hold the front page|call the (?:press|newspapers|papers)|"
            r"give (?:him|her|them|this \w+) a (?:medal|prize|trophy|cookie)|participation "
            r"trophy|(?:a|the) nobel|aw+,? bless|bless (?:him|her|them|you)\b|how (?:precious|"
            r"sweet of you)|that's (?:cute|adorable|precious)|oh (?:honey|sweetie|sweetheart|"
            r"darling|dear|hun|bless)|ok(?:ay)?,? (?:buddy|pal|champ|chief|sweetie|karen|jan)|"
            r"sure,? (?:jan|buddy|pal)|and i'm the (?:queen|king|pope)|said (?:no ?one|nobody)|"
            r"we're all (?:riveted|dying to|so impressed|so grateful)|did (?:it|that) hurt|"
            r"(?:learned|learnt) a new word|found the caps lock|thanks for (?:nothing|the lecture|"
            r"mansplaining)|what would we do without|high horse|main character|never change|"
            r"i'm (?:so|very|truly) impressed|wow,? just wow|good for you,? (?:you|sweetie)|"
            r"must be (?:so )?(?:nice|hard|exhausting|tiring) (?:being|to be)|"
            r"one day you'll|maybe one day|galaxy brain|big brain|tiny (?:brain|violin))\b",
        ]
    )
)


_REPORTED = re.compile(
    r"\b(?:called|call|calls|calling|told|tell|tells|said|says|say|saying|wrote|sent|shouted|"
    r"screamed|yelled|messaged|threatened|harassed|dm'd|dmed)\b(?:\s+\w+){0,2}?\s+"
    r"(?:me|my|us|our|him|her|them|i)\b|\b(?:messages? i'm getting|i was (?:told|called)|"
    r"got (?:a|this) (?:message|dm|threat)|received a|getting called|being called|"
    r"was called|were called)\b"
    # "my boss said", "a man on the bus told", "someone wrote": a report of
    # what someone else said; "people like me": the writer is the target.
    r"|\b(?:my|a|an|some|this|the) (?:\w+ ){0,4}?(?:said|told|called|says|wrote|yelled|"
    r"shouted|screamed|messaged|commented|replied|keeps saying|kept saying)\b"
    r"|\b(?:someone|somebody|people|they|he|she) (?:\w+ ){0,3}?(?:said|told|called|says|"
    r"wrote|yelled|shouted|screamed|messaged|commented|replied|saying)\b"
    r"|\blike me\b"
)
_WARM = re.compile(
    r"\b(?:congrat\w*|proud|love|lovely|amazing|beautiful|brilliant|incredible|gorgeous|"
    r"happy for|well done|thank you|thanks|legend|so good|best|perfect|adore)\b|"
    r"[❤🥳🎉🙌😍✨🫶💪😭🥰💕😊]"
)
_LAUGH = re.compile(r"\b(?:lol|lmao|haha\w*|hehe\w*)\b|😂|🤣")
_AT_YOU = re.compile(
    r"\b(?:fuck|screw|damn|sod|f) (?:you|your|yourself|off)\b|\bgo (?:fuck|f|screw) yourself\b"
)
_QUOTED = re.compile(r"[\"“”«»]")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|@user")

_INSULT_SET = frozenset(lexicon.INSULTS)
_NEGATIVE_SET = frozenset(lexicon.NEGATIVE)
_JUDGING_SET = _INSULT_SET | _NEGATIVE_SET
_HARM_SET = frozenset(lexicon.HARM)
_GROUP_SET = frozenset(lexicon.GROUPS)
_THING_SET = frozenset(lexicon.THINGS)
_PROFANITY_SET = frozenset(lexicon.PROFANITY)
_YOU_SET = frozenset(
    _split(
        "you your you're youre yours yourself yourselves ya thee y'all ur @user you'll you'd you've"
    )
)
_SELF_SET = frozenset(_split("i i'm im me myself my i've i'd i'll"))
# Words that address the reader, and words of the writer about themself.
YOU_WORDS: Final = _YOU_SET
SELF_WORDS: Final = _SELF_SET
# "all immigrants", "those gays", "women are", "Muslims should": a statement
# about a whole group, the frame of most attacks on one (and of some praise).
_GROUP_BEFORE = frozenset(
    _split("all those these the no every typical bloody fucking damn filthy dirty your")
)
_GROUP_AFTER = frozenset(
    _split(
        "are should shouldn't can't cannot don't never always will belong deserve need "
        "aren't ruin ruined steal breed smell"
    )
)
# Private details: "your address", "your kids", "your shift" in a stranger's
# message is the language of stalking and doxxing.
_POSSESSIVE_SET = frozenset(_split("your ur your's"))
_PRIVATE_SET = frozenset(
    _split(
        "address house flat home car work office school kids children daughter son wife "
        "husband mum mom dad parents sister brother family boss employer landlord number "
        "phone street gym routine shift schedule photos pictures messages location window "
        "door neighbours workplace"
    )
)
_PERSISTENCE = re.compile(
    r"\b(?:every (?:day|hour|night|morning|single day|time you)|until you|again and again|"
    r"won't stop|will never stop|always be (?:here|there|watching)|keep (?:\w+ing)|"
    r"(?:another|new|fake) accounts?|block(?:ed)? me|ignor(?:e|ing) me|answer me|reply to me|"
    r"screenshot\w*|everyone (?:go|look|report|share|tell|send)|i (?:know|found|saw) "
    r"(?:where|which|what|your|you))\b"
)
# "oh wow, a genius": an interjection before praise, the shape of mock praise.
_INTERJECTION_SET = frozenset(
    _split(
        "oh wow gosh aww aw ah sure yes well truly congrats congratulations thanks bravo "
        "great ooh my imagine"
    )
)
_PRAISE_SET = frozenset(
    _split(
        "genius geniuses brilliant clever smart original expert experts deep impressive "
        "incredible amazing insightful groundbreaking revolutionary brave wise intellectual "
        "mastermind einstein sherlock professor scholar visionary profound enlightened "
        "fascinating riveting inspiring classy"
    )
)
_WARM_EMOJI = re.compile(r"[❤🥳🎉🙌😍✨🫶💪🥰💕😊]")
_SELF_STRONG = frozenset(_split("i'm im myself"))
_SELF_VERBS = frozenset(_split("am was feel felt look looked become became sound"))
_COPULA = frozenset(_split("is was are keeps broke can just"))
_DETERMINERS = frozenset(_split("this that the my our these those"))
_THIRD_SET = frozenset(_split("he he's she she's they they're him her guy man woman"))
_NEGATION_SET = frozenset(_split("not no never isn't aren't wasn't weren't don't didn't"))
_IMPERATIVE_SET = frozenset(
    _split(
        "go get shut sit stop piss log fuck die drop crawl leave delete kys uninstall jump "
        "drink hang kill"
    )
)

# Extra model features, in the order the model stores their weights.
HAND_FEATURES: Final = (
    "threat",
    "identity",
    "group",
    "group_negative",
    "group_general",
    "harassment",
    "insult",
    "you_insult",
    "you_negative",
    "you_harm",
    "harm",
    "self_insult",
    "negated",
    "contempt",
    "sarcasm",
    "profanity",
    "at_you",
    "second_person",
    "third_insult",
    "reported",
    "quoted",
    "warm",
    "laugh",
    "thing",
    "imperative",
    "your_private",
    "persistence",
    "mock_praise",
    "bare_insult",
    "bare_harm",
    "bare_you_judging",
)


def _about_thing(tokens: list[str], heated: set[int]) -> bool:
    """Harsh words aimed at a thing: "this stupid printer", "fuck the bus",
    "the wifi is useless". The thing needs a determiner ("hit by a bus" is
    not venting about a bus) and the harsh word must sit right beside it."""
    for i, token in enumerate(tokens):
        if token not in _THING_SET:
            continue
        if not any(t in _DETERMINERS for t in tokens[max(0, i - 2) : i]):
            continue
        if any(j in heated for j in range(i - 3, i)):
            return True
        if (
            i + 1 < len(tokens)
            and tokens[i + 1] in _COPULA
            and any(j in heated for j in range(i + 2, i + 5))
        ):
            return True
    return False


def _about_self(tokens: list[str], judging: list[int]) -> bool:
    """Harsh words about the writer: "I'm such an idiot", "I feel stupid",
    "what a moron I am", but not "you make me sick"."""
    for j in judging:
        for k in range(j - 1, max(-1, j - 5), -1):
            word = tokens[k]
            if word in _YOU_SET:
                break
            if word in _SELF_STRONG or (
                word == "i" and k + 1 < len(tokens) and tokens[k + 1] in _SELF_VERBS
            ):
                return True
        after = tokens[j + 1 : j + 3]
        if after[:2] == ["i", "am"] or (after and after[0] in _SELF_STRONG):
            return True
    return False


def values_warm_emoji(norm: str) -> bool:
    return bool(_WARM_EMOJI.search(norm))


def _near(a: list[int], b: list[int], before: int, after: int) -> bool:
    """Whether some position in `b` lies within [i - before, i + after] of some i in `a`."""
    return any(i - before <= j <= i + after for i in a for j in b)


def _positions(tokens: list[str], words: frozenset[str]) -> list[int]:
    return [i for i, t in enumerate(tokens) if t in words]


def detect(norm: str) -> set[str]:
    """Cue names (see `CUES`) present in normalised text."""
    return _detect(norm, _TOKEN.findall(norm))


def _detect(norm: str, tokens: list[str]) -> set[str]:
    found: set[str] = set()
    if _THREAT.search(norm):
        found.add(THREAT)
    if _IDENTITY.search(norm):
        found.add(IDENTITY)
    if _HARASSMENT.search(norm):
        found.add(HARASSMENT)
    if not _INSULT_SET.isdisjoint(tokens) or "waste of" in norm or "piece of" in norm:
        found.add(INSULT)
    if _CONTEMPT.search(norm):
        found.add(CONTEMPT)
    if _SARCASM.search(norm):
        found.add(SARCASM)
    if not _PROFANITY_SET.isdisjoint(tokens):
        found.add(PROFANITY)
    return found


def hand_features(norm: str, found: set[str] | None = None) -> list[float]:
    """Values for `HAND_FEATURES`, each 0.0 or 1.0."""
    tokens = _TOKEN.findall(norm)
    if found is None:
        found = _detect(norm, tokens)
    you = _positions(tokens, _YOU_SET)
    insult = _positions(tokens, _INSULT_SET)
    judging = _positions(tokens, _JUDGING_SET)
    negative = _positions(tokens, _NEGATIVE_SET)
    harm = _positions(tokens, _HARM_SET)
    groups = _positions(tokens, _GROUP_SET)
    heated = judging + harm + _positions(tokens, _PROFANITY_SET)
    private = _positions(tokens, _PRIVATE_SET)
    praise = _positions(tokens, _PRAISE_SET)
    values = {
        "threat": THREAT in found,
        "identity": IDENTITY in found,
        "group": bool(groups),
        "group_negative": _near(groups, judging + harm, 2, 6),
        "group_general": any(
            (i > 0 and tokens[i - 1] in _GROUP_BEFORE)
            or (i + 1 < len(tokens) and tokens[i + 1] in _GROUP_AFTER)
            for i in groups
        ),
        "harassment": HARASSMENT in found,
        "insult": INSULT in found,
        "you_insult": _near(you, insult, 3, 4),
        "you_negative": _near(you, negative, 3, 4),
        "you_harm": _near(you, harm, 4, 4),
        "harm": bool(harm),
        "self_insult": _about_self(tokens, judging),
        "negated": _near(_positions(tokens, _NEGATION_SET), judging, 0, 3),
        "contempt": CONTEMPT in found,
        "sarcasm": SARCASM in found,
        "profanity": PROFANITY in found,
        "at_you": bool(_AT_YOU.search(norm)),
        "second_person": bool(you),
        "third_insult": _near(_positions(tokens, _THIRD_SET), insult, 0, 4),
        "reported": bool(_REPORTED.search(norm)),
        "quoted": bool(_QUOTED.search(norm)),
        "warm": bool(_WARM.search(norm)),
        "laugh": bool(_LAUGH.search(norm)),
        "thing": _about_thing(tokens, set(heated)),
        "imperative": bool(tokens) and tokens[0] in _IMPERATIVE_SET,
        "your_private": _near(_positions(tokens, _POSSESSIVE_SET), private, 0, 2),
        "persistence": bool(_PERSISTENCE.search(norm)),
        "mock_praise": _near(_positions(tokens, _INTERJECTION_SET), praise, 0, 4)
        and not values_warm_emoji(norm),
    }
    # Harsh words with nothing around them that softens them: not about
    # oneself, not reported or quoted, not negated, not about a thing.
    excused = (
        values["self_insult"]
        or values["reported"]
        or values["quoted"]
        or values["negated"]
        or values["thing"]
    )
    values["bare_insult"] = values["insult"] and not excused
    values["bare_harm"] = values["harm"] and not excused
    values["bare_you_judging"] = (values["you_insult"] or values["you_negative"]) and not excused
    return [1.0 if values[name] else 0.0 for name in HAND_FEATURES]


def reasons(found: set[str]) -> list[str]:
    """Plain-words reasons for a prompted text, most serious first."""
    named = [cue for cue in CUES if cue in found]
    if len(named) > 1 and PROFANITY in named:
        # Next to a threat or an insult, the swearing is not the point.
        named.remove(PROFANITY)
    return [REASONS[cue] for cue in named] or [GENERIC_REASON]
