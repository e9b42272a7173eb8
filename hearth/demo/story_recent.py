"""The last few days: long nights, small wins, a marathon finished."""

from __future__ import annotations

from hearth.demo.script import CIRCLE, FOLLOWERS, MENTIONED, UNLISTED, Entry, Photo

RECENT: tuple[Entry, ...] = (
    Entry(
        "maya_to_noor_shortlist",
        "maya",
        86,
        "@noor of course! Send it over tonight and I'll look tomorrow lunchtime. Bring the "
        "watercolours.",
        reply_to="noor_shortlist",
        audience=MENTIONED,
        reactions="noor:thank_you",
    ),
    Entry(
        "theo_shakeout",
        "theo",
        76,
        "Knee's fine. 5 km shakeout, no pain. I nearly cried at a bus stop, which is a "
        "normal thing for a bus driver to do. #marathon",
        tone="celebrating",
        reactions="dev:celebrate maya:celebrate jonah:celebrate omar:celebrate kenji:celebrate",
    ),
    Entry(
        "sam_crash",
        "sam",
        70,
        "Bad crash this week. I cancelled my sister's birthday dinner. I know you two will "
        "understand, which is why I'm telling you and not the group chat.",
        audience=CIRCLE,
        tone="support",
        warning="health, low mood",
        reactions="maya:with_you priya:with_you",
    ),
    Entry(
        "maya_to_sam_crash",
        "maya",
        69,
        "@sam of course we understand. Your sister loves you and she'll understand too. Do "
        "you want company on the phone, or quiet? Both are fine.",
        reply_to="sam_crash",
        audience=MENTIONED,
        reactions="sam:thank_you",
    ),
    Entry(
        "kenji_onions",
        "kenji",
        65,
        "Question for people who cook: how do you know when onions are 'soft and "
        "translucent'? Mine go from raw to charcoal with nothing in between /gen",
        reactions="maya:relate ines:relate jonah:relate",
    ),
    Entry(
        "bea_onions",
        "bea",
        64.5,
        "Lower heat than you think, a pinch of salt, and a lid on for the first five minutes.",
        reply_to="kenji_onions",
        reactions="kenji:thank_you maya:thank_you",
    ),
    Entry("kenji_lid", "kenji", 64, "A LID??", reply_to="bea_onions", reactions="bea:love"),
    Entry("bea_lid", "bea", 63.8, "A lid.", reply_to="kenji_lid", reactions="kenji:love maya:love"),
    Entry(
        "maya_lid",
        "maya",
        63.5,
        "The lid changed my life too, Kenji. Nobody tells you about the lid.",
        reply_to="bea_lid",
        reactions="kenji:relate bea:love",
    ),
    Entry(
        "kenji_report",
        "kenji",
        62,
        "Report: soft. Translucent. Not charcoal. My mum says she has been saying 'lid' for "
        "twenty years and I never listened. Thank you both.",
        reply_to="maya_lid",
        tone="celebrating",
        reactions="bea:celebrate maya:celebrate",
    ),
    Entry(
        "bea_hospice",
        "bea",
        58,
        "At the hospice reading group today, a man who hasn't said much in weeks asked us to "
        "read a poem twice. Then he told us about his wife's garden for twenty minutes. "
        "Books are doors. Sometimes you just have to hold one open.",
        tone="serious",
        reactions="maya:love rosa:love amara:love noor:love kenji:love jonah:love lena:love",
    ),
    Entry(
        "omar_line",
        "omar",
        54,
        "My daughter asked why it's called a helpline 'line' if nobody queues. She's seven "
        "and I have no answer /j",
        reactions="amara:love jonah:relate theo:love dev:love",
    ),
    Entry(
        "ines_homesick",
        "ines",
        48,
        "Homesick today. Lisbon is 24 degrees and golden and here it's raining sideways. "
        "Nothing to fix, I'm just saying it out loud /vent",
        reactions="maya:with_you rosa:with_you kenji:with_you noor:with_you",
    ),
    Entry(
        "maya_to_ines",
        "maya",
        47.5,
        "Same kind of day here. I miss Bristol's hills: Leeds is lovely but my legs keep "
        "waiting for a climb that doesn't come.",
        reply_to="ines_homesick",
        reactions="ines:relate",
    ),
    Entry(
        "ines_to_maya",
        "ines",
        47,
        "Homesick for the wrong kind of ground under your feet. Yes. Exactly that.",
        reply_to="maya_to_ines",
        reactions="maya:relate",
    ),
    Entry(
        "maya_to_ines2",
        "maya",
        46.5,
        "Video call on Sunday? You show me the rain, I'll show you my bread failing to rise.",
        reply_to="ines_to_maya",
        reactions="ines:love",
    ),
    Entry(
        "amara_thousand",
        "amara",
        44,
        "We passed 1,000 families supported this year. Every one of them deserved to be met "
        "with a smile and a cup of tea, and thanks to sixty brilliant volunteers, they were. "
        "#volunteering",
        tone="celebrating",
        reactions="maya:celebrate priya:celebrate omar:celebrate bea:celebrate rosa:celebrate "
        "lena:celebrate",
    ),
    Entry(
        "rosa_first_bloom",
        "rosa",
        40,
        "First bloom on the bush Papá called 'la terca', the stubborn one. It hasn't "
        "flowered since he died. He'd be insufferable about this. #gardening",
        tone="celebrating",
        photos=(Photo("roses", 22, "Deep red and pink roses opening among green leaves."),),
        reactions="maya:celebrate lena:celebrate bea:love ines:celebrate sam:love amara:love",
    ),
    Entry(
        "lena_to_rosa_bloom",
        "lena",
        39,
        "'Sulks in wind' and still blooms. Like someone else I know.",
        reply_to="rosa_first_bloom",
        reactions="rosa:love maya:love",
    ),
    Entry(
        "dev_banner",
        "dev",
        36,
        "@theo the slow runners are making you a banner for mile 20. Tell us your pace so "
        "we know when to start shouting.",
        reactions="theo:love omar:celebrate",
    ),
    Entry(
        "noor_review",
        "noor",
        28,
        "The portfolio review went well! I kept the messy watercolours in, like @maya "
        "suggested, and my tutor said they were 'the most honest pages'. #illustration",
        tone="celebrating",
        photos=(
            Photo(
                "watercolour",
                81,
                "A sketchbook page of loose watercolour washes in blue, "
                "peach, green and lilac, with pencil lines of hills across it.",
            ),
        ),
        reactions="maya:celebrate ines:celebrate sam:celebrate omar:celebrate priya:celebrate",
    ),
    Entry(
        "priya_quick_look",
        "priya",
        24,
        "Today I replaced a chain, two tyres and my entire understanding of what a customer "
        "means by 'could you just have a quick look' /j",
        reactions="maya:relate theo:relate amara:relate",
    ),
    Entry(
        "jonah_brain",
        "jonah",
        20,
        "Efua's asleep, Ada's asleep, and I'm awake watching the baby monitor. Does anyone "
        "else's brain refuse to switch off after the baby's does? How did you learn to rest? "
        "#newborn",
        tone="advice",
        reactions="omar:relate bea:with_you theo:with_you maya:with_you",
    ),
    Entry(
        "omar_to_jonah_brain",
        "omar",
        19,
        "Every new parent I know went through this. What helped me: the monitor on the far "
        "side of the room, face down. You'll still hear her. You don't need to see every "
        "breath.",
        reply_to="jonah_brain",
        reactions="jonah:thank_you bea:love",
    ),
    Entry(
        "sam_robin",
        "sam",
        16,
        "Better day. Sat in the garden for twenty minutes and a robin came close enough to "
        "touch. I'm counting that as a visitor. #spoonie",
        audience=FOLLOWERS,
        reactions="maya:love rosa:love noor:love priya:love bea:love",
    ),
    Entry(
        "theo_medal",
        "theo",
        9,
        "I DID IT. 4:58:12. Walked some of mile 22, ran the rest. The slow runners' banner at "
        "mile 20 made me cry in front of about four hundred people.\n\n"
        "The medal is on the kitchen table and I'm going to look at it all week. "
        "#marathon",
        tone="celebrating",
        photos=(
            Photo(
                "medal",
                91,
                "A gold finisher's medal engraved 42K on a blue and yellow "
                "ribbon, lying on a dark running top.",
            ),
        ),
        reactions="dev:celebrate maya:celebrate jonah:celebrate omar:celebrate kenji:celebrate "
        "priya:celebrate",
    ),
    Entry(
        "dev_to_theo_medal",
        "dev",
        8.5,
        "We saw you at mile 20 and the whole club lost its voice. Proud of you, mate.",
        reply_to="theo_medal",
        reactions="theo:love",
    ),
    Entry(
        "theo_to_dev_medal",
        "theo",
        8,
        "The banner is going on my wall. Thursday runs from now on, if you'll have me.",
        reply_to="dev_to_theo_medal",
        reactions="dev:love",
    ),
    Entry(
        "maya_dinner",
        "maya",
        6,
        "Cooked for my first guests in Leeds: two colleagues and my neighbour downstairs. "
        "Bea's dal, with Kenji's hard-won onion wisdom. Nobody got food poisoning and "
        "someone asked for seconds. #learningtocook",
        tone="celebrating",
        photos=(
            Photo(
                "bowl",
                72,
                "A bowl of golden dal topped with coriander on a wooden table, a "
                "flatbread at the edge of the plate.",
            ),
        ),
        reactions="kenji:celebrate bea:love priya:celebrate rosa:celebrate ines:celebrate",
    ),
    Entry(
        "kenji_to_maya_dinner",
        "kenji",
        5.5,
        "The lid! The lid has spread to Leeds.",
        reply_to="maya_dinner",
        reactions="maya:love bea:love",
    ),
    Entry(
        "lena_swap",
        "lena",
        4,
        "Seed and cutting swap at the allotments this Saturday, 10 till 12. Bring seeds, "
        "jars, cuttings, stories. Leave with courgettes (compulsory). #gardening",
        reactions="maya:love rosa:love kenji:love bea:love",
    ),
    Entry(
        "maya_to_lena_swap",
        "maya",
        3.5,
        "I'll be there, with two pots of balcony mint and an empty bag for courgettes.",
        reply_to="lena_swap",
        reactions="lena:love",
    ),
    Entry(
        "omar_sea",
        "omar",
        2,
        "Took the kids to the coast. Sat on a cold bench and didn't look at my phone for "
        "two hours. Recommended.",
        photos=(
            Photo(
                "sea",
                101,
                "A calm grey-blue sea under a pale sky, a low headland on the far "
                "right and a faint sun.",
            ),
        ),
        reactions="amara:love jonah:love theo:love",
    ),
    Entry(
        "jonah_quiet_note",
        "jonah",
        1.5,
        "Small one, not for the timelines: I finally fixed the squeaky gate. "
        "Neighbours, you're welcome.",
        audience=UNLISTED,
        reactions="omar:love",
    ),
)
