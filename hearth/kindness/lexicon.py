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

# Words that judge a person or their work, beyond NEGATIVE: the judge tags
# them as one class ("you're so forgettable" looks like "you're so boring"),
# so a put-down in words the training set never used still reads as one.
NEGATIVE_EVAL: Final = _words(
    "stupid dumb idiotic moronic foolish silly ridiculous absurd laughable pathetic pitiful "
    "sad sorry lame weak useless worthless pointless meaningless hopeless helpless clueless "
    "brainless mindless thoughtless careless ignorant dense thick slow dim dull boring "
    "tedious tiresome tiring exhausting draining annoying irritating grating obnoxious "
    "insufferable unbearable intolerable unpleasant nasty vile gross disgusting revolting "
    "repulsive repugnant sickening nauseating hideous ugly horrid horrible terrible awful "
    "dreadful atrocious appalling abysmal lousy crappy shoddy sloppy mediocre forgettable "
    "unremarkable irrelevant insignificant negligible disposable replaceable expendable "
    "unwanted unwelcome unloved unlovable unlikeable unpopular friendless loner nobody "
    "nothing nonentity failure failed flop flopped disaster embarrassing embarrassment "
    "shameful shameless disgraceful disgrace humiliating cringe cringey cringeworthy "
    "clumsy incompetent inept inadequate unqualified amateur amateurish hack fraud fake "
    "phony phoney fraudulent dishonest lying liar deceitful sneaky shady slimy sleazy "
    "creepy weird freak freakish bizarre deranged unhinged crazy insane mad mental psycho "
    "delusional paranoid hysterical dramatic whiny whining whinge whinging moaning moany "
    "needy clingy desperate arrogant smug conceited pompous pretentious snobby snob "
    "entitled spoiled spoilt bratty selfish greedy lazy idle slacker filthy dirty smelly "
    "stinky stinking greasy fat obese bloated toxic poisonous evil wicked cruel vicious "
    "spiteful hateful malicious bitter petty jealous envious resentful rude mean hostile "
    "aggressive abusive bully bullying coward cowardly spineless gutless naive gullible "
    "brainwashed sheep sheeple uneducated illiterate uncultured primitive backward backwards "
    "savage inferior subhuman worse worst lesser cheap trashy tacky garbage rubbish trash "
    "junk crap waste wasted wasting parasite leech burden nuisance pest plague cancer "
    "disease noise clutter spam joke clown circus mess wreck trainwreck catastrophe "
    "miserable obsolete outdated washed peaked lifeless soulless charmless talentless "
    "tasteless humourless humorless witless gormless aimless hapless graceless unfunny "
    "unoriginal uninspired unimaginative derivative predictable generic bland vapid shallow "
    "empty hollow plastic superficial fickle flaky unreliable untrustworthy incapable wrong "
    "mistaken misguided deluded muddled incoherent garbled nonsense nonsensical drivel "
    "babble babbling rambling tantrum meltdown crybaby sulk sulking sulky grumpy shrill "
    "screechy ungrateful disrespectful disloyal treacherous creep pervert invisible ignored "
    "unnoticed unheard overlooked unnecessary trivial"
)

# Words of praise. Praise aimed at "you" beside a word of judgement, or
# praise from an interjection ("wow, genius"), is the shape of mock praise.
POSITIVE_EVAL: Final = _words(
    "genius brilliant clever smart wise intelligent bright gifted talented skilled skilful "
    "skillful expert masterful masterpiece master pro professional visionary pioneer legend "
    "legendary iconic icon hero heroic brave courageous bold fearless inspiring inspirational "
    "inspired impressive impressed amazing amazed astonishing astounding incredible "
    "unbelievable extraordinary remarkable outstanding exceptional phenomenal sensational "
    "spectacular stunning stunned gorgeous beautiful lovely pretty handsome elegant graceful "
    "classy stylish sophisticated refined cultured fascinating riveting gripping captivating "
    "compelling thrilling exciting groundbreaking revolutionary innovative original unique "
    "fresh creative imaginative inventive insightful profound deep thoughtful enlightening "
    "enlightened illuminating educational informative helpful useful valuable precious "
    "priceless treasure gem wonderful marvellous marvelous fantastic fabulous terrific superb "
    "excellent great awesome magnificent glorious splendid perfect flawless ideal best "
    "greatest finest superior proud pride honour honor privilege blessed grateful thankful "
    "thanks thank congrats congratulations bravo kudos applause medal trophy prize award "
    "nobel oscar champion winner star superstar rockstar queen king royalty sweet cute "
    "adorable charming delightful pleasant nice kind generous humble modest patient polite "
    "gentle caring warm fun funny hilarious witty entertaining amusing refreshing subtle "
    "nuanced"
)

# Words that set up irony or mock sincerity: "apparently", "oh", "sure".
HEDGES: Final = _words(
    "apparently clearly obviously surely evidently presumably supposedly allegedly somehow "
    "finally actually even just truly really genuinely honestly totally literally seriously "
    "definitely certainly sure right wow oh ah aw aww gosh golly yay yes bless"
)
