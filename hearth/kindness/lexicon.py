"""Word lists behind the judge's cues, written for Hearth.

Small hand-made lists of words that name, belittle or threaten people, and of
the groups people are attacked for. They let the model generalise past its
examples: a sentence never seen before that puts "you" next to a belittling
word looks like the ones it has seen. All lists are over normalised text
(lower case, leetspeak undone; see `normalize`).
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Nouns and adjectives that insult a person outright.
INSULTS: Final = _words(
    "idiot idiots idiotic moron morons moronic stupid stupidest dumb dumber dumbest dumbass "
    "loser losers clown clowns imbecile imbeciles halfwit halfwits cretin cretins fool fools "
    "foolish jerk jerks dick dicks dickhead dickheads prick pricks twat twats wanker wankers "
    "asshole assholes arsehole arseholes bitch bitches cunt cunts bastard bastards scumbag "
    "scumbags lowlife lowlifes creep creeps creepy freak freaks weirdo weirdos pathetic "
    "worthless useless disgusting brainless braindead ugly fat vile repulsive spineless "
    "gutless clueless ignorant delusional insufferable talentless dense thick trash garbage "
    "scum slag slags slut sluts whore whores hoe hoes cow cows pig pigs parasite parasites "
    "degenerate degenerates fraud frauds hack hacks dimwit dimwits nitwit nitwits tool tools "
    "muppet muppets narcissist narcissists liar liars coward cowards troglodyte troglodytes "
    "sheep snowflake snowflakes noob noobs simpleton simpletons buffoon buffoons dunce "
    "dolt oaf oafs numpty knobhead knob tosser tossers git gits pillock plonker bellend "
    "douche douchebag douchebags sleazebag slimeball rat rats snake snakes weasel weasels "
    "maggot maggots vermin swine hag hags witch crone skank skanks tramp bimbo airhead "
    "retard retards retarded psycho psychos lunatic lunatics nutjob nutcase sociopath "
    "incel incels neckbeard karen karens troll trolls shill shills grifter grifters "
    "hypocrite hypocrites bigot bigots thug thugs pervert perverts predator failure "
    "failures nonentity leech leeches freeloader freeloaders mongrel brat brats "
    "crybaby crybabies wimp wimps pussy sissy dumbo fatso harpy toad worm worms philistine "
    "dipshit shithead twit hick slob slobs pervert perv goblin gremlin ghoul clod "
    "blockhead bonehead knucklehead airhead meathead scrounger chav chavs"
)

# Words that judge a person harshly without being a name as such.
NEGATIVE: Final = _words(
    "wrong annoying boring embarrassing irrelevant unbearable awful terrible horrible rude "
    "lazy weak sad cringe cringey toxic evil nasty gross hideous revolting sickening "
    "despicable contemptible shameful shameless hateful spiteful petty jealous bitter "
    "miserable insignificant inferior incompetent inept hopeless unlovable unwanted "
    "unwelcome pointless worthless meaningless laughable ridiculous absurd deranged "
    "unhinged mental insane crazy sick dirty filthy smelly stinking greedy selfish arrogant "
    "entitled spoiled spoilt whiny whining pitiful sorry lame fake phony dishonest "
    "untrustworthy sleazy slimy creepy obnoxious irritating tiresome exhausting dull "
    "mediocre subhuman inhuman backwards primitive savage savages animals ashamed "
    "disgrace disgraceful embarrassment joke mess waste nothing"
)

# Verbs and phrases of violence and harm.
HARM: Final = _words(
    "kill killed killing murder murdered stab stabbed shoot shot strangle strangled choke "
    "choked hang hanged hung lynch lynched burn burned burnt bleed suffer die dies dead "
    "death destroy crush smash break broken ruin bury buried drown drowned torture "
    "tortured rape raped attack attacked hunt hunted slaughter slaughtered exterminate "
    "exterminated deport deported cage caged gas gassed hit slap slapped whip whipped "
    "punch punched kick kicked beat beaten batter battered maim maimed wreck bullet bullets "
    "gun knife bat hurt hurting harm harmed execute executed behead shove"
)

# Groups of people, for attacks on a group rather than a person.
GROUPS: Final = _words(
    "immigrant immigrants migrant migrants muslim muslims jew jews jewish gay gays lesbian "
    "lesbians trans transgender queer queers bisexual women woman girls black blacks white "
    "whites mexican mexicans refugee refugees disabled asian asians roma gypsy gypsies "
    "foreigner foreigners autistic christian christians arab arabs indian indians pole poles "
    "polish chinese african africans latino latinos latinas hispanic hispanics catholic "
    "catholics hindu hindus sikh sikhs atheist atheists boomers elderly pakistani "
    "pakistanis romanian romanians irish scots welsh english americans russians "
    "ukrainians nigerians somalis syrians afghans turks kurds japanese koreans "
    "vietnamese filipinos brazilians"
)

# Things and situations people vent about (not people).
THINGS: Final = _words(
    "bus train tram metro printer wifi laptop computer phone car traffic weather queue "
    "dishwasher heating website app update alarm washing machine router spreadsheet "
    "meeting deadline form forms system bank insurance council pothole rent flight airport "
    "game code tests cold heat rain wind day week monday mondays morning job tax taxes "
    "oven fridge kettle boiler keyboard mouse software server internet network email "
    "emails bill bills parking ticket construction noise"
)

PROFANITY: Final = _words(
    "fuck fucking fucked fucker fuckers motherfucker shit shitty shite bullshit damn "
    "damned goddamn hell crap crappy bloody piss pissed bollocks arse ass bastard wtf ffs "
    "omfg bugger sod joder puta putain merde scheisse"
)
