"""A week to four days ago: new jobs, new cities, a knee, a notebook in the shed."""

from __future__ import annotations

from hearth.demo.script import CIRCLE, FOLLOWERS, MENTIONED, Entry, Photo

MIDWEEK: tuple[Entry, ...] = (
    Entry(
        "omar_listening",
        "omar",
        165,
        "Helpline shift last night. Nothing I can share, except this: if you're the friend "
        "who listens without trying to fix it, thank you. It matters more than any advice. "
        "/srs",
        reactions="amara:thank_you noor:thank_you jonah:thank_you theo:love dev:thank_you",
    ),
    Entry(
        "lena_dawn",
        "lena",
        160,
        "Plot 14 at 7am, before anyone else arrives. Beans are up, the shed door still "
        "sticks, the robin is supervising. #gardening #allotment",
        photos=(
            Photo(
                "allotment",
                51,
                "Rows of green vegetable beds on brown soil running towards a "
                "small blue-grey shed under a clear sky.",
            ),
        ),
        reactions="maya:love rosa:love kenji:love bea:love amara:love",
    ),
    Entry(
        "noor_portfolio",
        "noor",
        155,
        "Portfolio review on Friday and I'm spiralling a bit. How do you choose what to "
        "leave OUT? Everything feels either too messy or too safe.",
        tone="advice",
        reactions="maya:with_you ines:relate omar:with_you priya:with_you",
    ),
    Entry(
        "maya_to_noor",
        "maya",
        154,
        "I review student work at my job sometimes. The pages I remember are never the "
        "polished ones, they're the ones where I can see someone thinking. Keep some mess.",
        reply_to="noor_portfolio",
        reactions="noor:thank_you",
    ),
    Entry(
        "noor_to_maya",
        "noor",
        153,
        "Oh. That's genuinely the opposite of what I assumed. Thank you.",
        reply_to="maya_to_noor",
    ),
    Entry(
        "ines_to_noor",
        "ines",
        152,
        "Ten pieces you love beat twenty you think you should show. Good luck on Friday!",
        reply_to="noor_portfolio",
        reactions="noor:thank_you",
    ),
    Entry(
        "maya_tesco",
        "maya",
        150,
        "Close circle only: I cried in the big Tesco today because they didn't have the "
        "bread I like. It was not about the bread. Thank you for letting me be this person "
        "with you two.",
        audience=CIRCLE,
        tone="venting",
        reactions="priya:with_you rosa:with_you",
    ),
    Entry(
        "priya_to_maya_bread",
        "priya",
        149,
        "@maya it is never about the bread. Call tonight? I'll be the one eating toast.",
        reply_to="maya_tesco",
        audience=MENTIONED,
        reactions="maya:love",
    ),
    Entry(
        "dev_thursday",
        "dev",
        147,
        "Thursday slow runners: 14 of us tonight, including three first-timers. The last "
        "person in got the loudest cheer, as always. We finish together. #running",
        tone="celebrating",
        reactions="theo:celebrate omar:celebrate maya:celebrate priya:love",
    ),
    Entry(
        "ines_bakery",
        "ines",
        143,
        "Month three in Rotterdam. Today I understood a whole conversation at the bakery. "
        "(She was asking if I wanted my bread sliced. I did.) #movingcity",
        tone="celebrating",
        photos=(
            Photo(
                "canal",
                61,
                "Tall narrow houses with pointed gables in brick red and slate "
                "grey, reflected in a canal.",
            ),
        ),
        reactions="maya:celebrate kenji:celebrate rosa:celebrate noor:celebrate",
    ),
    Entry(
        "sam_assessment",
        "sam",
        140,
        "The assessment letter came. They want me to prove, again, that I'm ill. Forms that "
        "take more energy than I have, to prove I don't have the energy. /vent",
        audience=FOLLOWERS,
        warning="benefits assessment, health",
        reactions="maya:with_you priya:with_you rosa:with_you noor:with_you bea:with_you",
    ),
    Entry(
        "priya_to_sam",
        "priya",
        139,
        "That's exhausting and unfair. If it helps, I can fill in the boring boxes while you "
        "dictate the rest, like last time.",
        reply_to="sam_assessment",
        audience=FOLLOWERS,
        reactions="sam:thank_you",
    ),
    Entry(
        "sam_to_priya",
        "sam",
        138,
        "Yes please. Sunday afternoon? I'll have rested all morning for it.",
        reply_to="priya_to_sam",
        audience=FOLLOWERS,
    ),
    Entry(
        "kenji_dal",
        "kenji",
        135,
        "Week four of learning to cook: tarka dal from the recipe card @bea posted me. It "
        "tastes like someone who cares about me made it, which, technically, is true? "
        "#learningtocook",
        tone="celebrating",
        photos=(
            Photo(
                "bowl",
                71,
                "A white bowl of golden dal scattered with chopped coriander on a "
                "wooden table, with a round flatbread beside it.",
            ),
        ),
        reactions="bea:love maya:celebrate ines:celebrate jonah:celebrate lena:love",
    ),
    Entry(
        "theo_knee",
        "theo",
        125,
        "Knee niggle. Physio says rest for three days. With the marathon on Sunday. I'm being "
        "extremely mature and calm about it /s",
        reactions="dev:with_you jonah:with_you maya:with_you omar:relate",
    ),
    Entry(
        "dev_to_theo",
        "dev",
        124,
        "Rest is training too. Ice, elevate, and watch something long. Your legs already "
        "know how to do this; the last few days won't change that.",
        reply_to="theo_knee",
        reactions="theo:thank_you",
    ),
    Entry(
        "theo_to_dev",
        "theo",
        123,
        "Watching all of Planet Earth with my leg on three cushions. Attenborough is a good "
        "physio.",
        reply_to="dev_to_theo",
        reactions="dev:love",
    ),
    Entry(
        "maya_newjob",
        "maya",
        118,
        "New job, week three: I sat in on a consultation about a playground and a "
        "nine-year-old told us the slide should be 'longer than a bus'. She is right. It's "
        "going in the brief. #newjob",
        reactions="priya:love theo:love jonah:love lena:celebrate omar:love dev:love",
    ),
    Entry(
        "rosa_notebook",
        "rosa",
        114,
        "Only for you three. I found Papá's notebook in the shed: every rose, the date he "
        "planted it, and little notes. 'Sulks in wind.' 'Forgive her, she tries.' I've been "
        "sitting on the shed floor for an hour.",
        audience=CIRCLE,
        reactions="maya:love lena:love bea:with_you",
    ),
    Entry(
        "maya_to_rosa_notebook",
        "maya",
        113,
        "@rosa 'Forgive her, she tries.' He was writing about more than roses, I think. "
        "Sit as long as you need.",
        reply_to="rosa_notebook",
        audience=MENTIONED,
        reactions="rosa:love",
    ),
    Entry(
        "lena_to_rosa_notebook",
        "lena",
        112,
        "@rosa bring it to the plot on Saturday if you want. We can match his notes to the "
        "bushes together. No rush, no pressure.",
        reply_to="rosa_notebook",
        audience=MENTIONED,
        reactions="rosa:thank_you",
    ),
    Entry(
        "amara_rota",
        "amara",
        109,
        "Anyone run volunteer rotas with a free tool that isn't a cursed spreadsheet? Sixty "
        "volunteers, about half without smartphones, so it has to print nicely too /gen",
        reactions="priya:relate omar:relate bea:relate",
    ),
    Entry(
        "bea_to_amara",
        "bea",
        108,
        "At the library we used a paper diary by the door and one person who typed it up on "
        "Fridays. Old-fashioned, but nobody was ever left out.",
        reply_to="amara_rota",
        reactions="amara:thank_you",
    ),
    Entry(
        "jonah_3am",
        "jonah",
        100,
        "3am feed. Ada is staring at me like I owe her money. Efua is asleep for the first "
        "time in two days. This is the quietest, strangest, best shift I've ever worked. "
        "#newborn",
        reactions="maya:love bea:love omar:relate theo:love kenji:love",
    ),
    Entry(
        "omar_to_jonah",
        "omar",
        99,
        "Night shift solidarity from another 3am person. Mine are seven and ten now and I "
        "still miss that quiet sometimes. Not the sleep deprivation. The quiet.",
        reply_to="jonah_3am",
        reactions="jonah:thank_you",
    ),
    Entry(
        "priya_complaint",
        "priya",
        95,
        "First proper customer complaint today. He told me I 'didn't look like a mechanic'. "
        "I fixed his gears anyway, and they're perfect.\n\n"
        "I'm okay. But I'd love a few kind words from people who know I am one.",
        tone="support",
        reactions="maya:with_you sam:with_you amara:with_you noor:with_you theo:with_you "
        "dev:with_you lena:with_you",
    ),
    Entry(
        "maya_to_priya",
        "maya",
        94.5,
        "You are a mechanic. You're the mechanic who trued a wheel alone in week one. He "
        "rode away on your work and he'll never know how lucky he was.",
        reply_to="priya_complaint",
        reactions="priya:love",
    ),
    Entry(
        "sam_to_priya_complaint",
        "sam",
        94,
        "Looking like a mechanic = having fixed the thing. You look exactly like one.",
        reply_to="priya_complaint",
        reactions="priya:love maya:love",
    ),
    Entry(
        "lena_courgettes",
        "lena",
        90,
        "Courgette count: 31. I've started leaving them on neighbours' doorsteps after dark "
        "like a reverse burglar /j #gardening",
        reactions="maya:relate kenji:love rosa:love bea:love amara:love",
    ),
    Entry(
        "noor_shortlist",
        "noor",
        87,
        "@maya could I send you my portfolio shortlist before Friday? Completely fine to say "
        "no if you're busy.",
        audience=MENTIONED,
    ),
)
