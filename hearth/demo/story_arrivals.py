"""Ten to seven days ago: introductions, a baby comes home, a hard anniversary."""

from __future__ import annotations

from hearth.demo.script import FOLLOWERS, Entry, Photo

ARRIVALS: tuple[Entry, ...] = (
    Entry(
        "maya_intro",
        "maya",
        238,
        "Hello! I'm Maya. Three weeks ago I moved from Bristol to Leeds for a new job "
        "designing parks, and I know almost nobody here yet.\n\n"
        "I'd love to meet people who garden, walk, cook badly and hopefully, or are also "
        "starting over somewhere new. Tell me one small thing you love about where you live? "
        "#introductions",
        reactions="bea:love lena:love ines:relate priya:love theo:love kenji:relate",
    ),
    Entry(
        "bea_welcome",
        "bea",
        236.5,
        "Welcome, Maya! I love that my library card still works at the branch where I "
        "worked for thirty years, and the staff pretend not to notice when I reshelve things.",
        reply_to="maya_intro",
        reactions="maya:love",
    ),
    Entry(
        "maya_to_bea",
        "maya",
        236,
        "Bea, that is the most librarian thing I've ever heard and I love it.",
        reply_to="bea_welcome",
        reactions="bea:love",
    ),
    Entry(
        "lena_welcome",
        "lena",
        235.5,
        "The allotments at the end of my road: nobody cares what job you do, only whether "
        "you'd like some rhubarb. Plot 14 is always open for visitors who don't mind mud.",
        reply_to="maya_intro",
        reactions="maya:love",
    ),
    Entry(
        "maya_to_lena",
        "maya",
        235,
        "I very much don't mind mud. I have a balcony with four pots and big ambitions.",
        reply_to="lena_welcome",
    ),
    Entry(
        "lena_to_maya",
        "lena",
        234.5,
        "Four pots is how it starts. Nine years later you're swapping seed potatoes with "
        "strangers at 7am. Come on a Saturday, the kettle's always on.",
        reply_to="maya_to_lena",
        reactions="maya:thank_you",
    ),
    Entry(
        "ines_welcome",
        "ines",
        234,
        "Also new somewhere! I moved to Rotterdam in January. What I love: the bakery lady "
        "now says my name right. It took two months. It was worth it.",
        reply_to="maya_intro",
        reactions="maya:relate",
    ),
    Entry(
        "bea_intro",
        "bea",
        231,
        "My granddaughter set this up for me and told me Hearth is 'the kind one', so here "
        "I am. I'm Bea, 71, a retired librarian. I knit tiny hats for the neonatal unit and "
        "help run a reading group at the hospice. Happy to recommend a book to anyone who "
        "asks. #introductions",
        reactions="maya:love noor:love rosa:love kenji:love jonah:love amara:love",
    ),
    Entry(
        "jonah_home",
        "jonah",
        227,
        "Ada came home today. 2.9 kg of opinions.\n\n"
        "The neonatal unit gave us this tiny hat, knitted by a volunteer. Whoever you are: "
        "thank you. It's the first thing she ever wore that wasn't from a hospital. #newborn",
        tone="celebrating",
        photos=(
            Photo(
                "knit",
                4,
                "A tiny knitted baby hat with a ribbed band and a pompom, lying on "
                "a cream blanket.",
            ),
        ),
        reactions="maya:celebrate theo:celebrate bea:love omar:celebrate kenji:celebrate",
    ),
    Entry(
        "bea_to_jonah",
        "bea",
        225,
        "Oh! With a little pompom, from the General? That might well be one of mine. "
        "Congratulations to all three of you.",
        reply_to="jonah_home",
        reactions="jonah:love",
    ),
    Entry(
        "jonah_to_bea",
        "jonah",
        224,
        "It IS from the General. Bea, I'm a bit teary. Efua says thank you too.",
        reply_to="bea_to_jonah",
        reactions="bea:love maya:love",
    ),
    Entry(
        "bea_to_jonah2",
        "bea",
        223.5,
        "Then she's in good company: I've knitted about four hundred of them. Tell Ada they "
        "come with a lifetime guarantee.",
        reply_to="jonah_to_bea",
    ),
    Entry(
        "noor_intro",
        "noor",
        222,
        "Hi, I'm Noor, second-year illustration student. I draw to calm down, mostly in "
        "watercolour because it does what it wants and that's somehow relaxing. I'm anxious "
        "and working on asking for help earlier. #introductions",
        reactions="maya:love sam:relate ines:love omar:love priya:love",
    ),
    Entry(
        "ines_intro",
        "ines",
        219,
        "Olá! I'm Inês. I moved from Lisbon to Rotterdam for my partner's job. I'm learning "
        "Dutch, the wind, and cycling in the wind. Looking for other people who moved far "
        "and miss the light of home. #introductions #movingcity",
        reactions="maya:relate kenji:love rosa:love noor:love",
    ),
    Entry(
        "priya_newjob",
        "priya",
        212,
        "First full week as a mechanic at the bike co-op: done. Today I trued a wheel on my "
        "own, start to finish, and the customer rode off without wobbling.\n\n"
        "Eight years in insurance never felt like this. I earn less and I sleep better. "
        "#newjob",
        tone="celebrating",
        reactions="maya:celebrate sam:celebrate amara:celebrate theo:celebrate noor:celebrate "
        "dev:celebrate lena:celebrate",
    ),
    Entry(
        "theo_longrun",
        "theo",
        208,
        "Last long run before race week: 32 km. Set off in the dark, watched the sun come "
        "up over the moor at about 19 km and forgot my legs for a while. Eight days to go. "
        "#marathon",
        photos=(
            Photo(
                "hills",
                11,
                "Soft green hills in layers under a peach dawn sky, a pale sun low "
                "on the right and a sandy path running into the distance.",
            ),
        ),
        reactions="dev:celebrate maya:love jonah:celebrate omar:celebrate kenji:love",
    ),
    Entry(
        "rosa_six_months",
        "rosa",
        201,
        "Six months today since Papá died.\n\n"
        "I went out to his roses before my night shift and just stood there with his "
        "secateurs. I didn't cut anything. I think I wanted them to see me. I don't know "
        "what I'm asking for by posting this. Maybe just for someone to know.",
        audience=FOLLOWERS,
        tone="support",
        warning="grief, death of a parent",
        photos=(
            Photo(
                "roses",
                21,
                "Red and pink roses among dark green leaves, close up, in soft evening light.",
            ),
        ),
        reactions="maya:with_you bea:with_you lena:with_you sam:with_you amara:with_you "
        "ines:with_you",
    ),
    Entry(
        "maya_to_rosa",
        "maya",
        200,
        "I know. I'm here. Standing with them counts as looking after them.",
        reply_to="rosa_six_months",
        audience=FOLLOWERS,
        reactions="rosa:love",
    ),
    Entry(
        "bea_to_rosa",
        "bea",
        199,
        "When my Harold died I talked to his tomato plants for a whole summer. They grew "
        "beautifully. Grief needs somewhere to go, love. The roses can take it.",
        reply_to="rosa_six_months",
        audience=FOLLOWERS,
        reactions="rosa:thank_you maya:love",
    ),
    Entry(
        "kenji_nikujaga",
        "kenji",
        196,
        "Attempted my mum's nikujaga tonight. The smoke alarm has opinions. The potatoes "
        "are somehow both burnt and raw, which I'm told is a skill /j #learningtocook",
        reactions="maya:relate bea:love ines:relate lena:relate jonah:relate",
    ),
    Entry(
        "sam_toast",
        "sam",
        190,
        "Today's victory: showered AND made toast. Sat down between. Counting both. "
        "#spoonie #chronicillness",
        audience=FOLLOWERS,
        tone="celebrating",
        reactions="maya:celebrate rosa:celebrate priya:celebrate bea:celebrate noor:celebrate",
    ),
    Entry(
        "amara_delivery",
        "amara",
        185,
        "Thursday delivery is in and the shelves look like this. Thank you to everyone who "
        "donated this week.\n\n"
        "We're short on tinned fish, UHT milk and toiletries, especially deodorant and "
        "period products. If you can, drop them at any supermarket collection point. "
        "#volunteering #foodbank",
        photos=(
            Photo(
                "shelves",
                31,
                "Three wooden shelves stacked with colourful tins and packets "
                "in a food bank store room.",
            ),
        ),
        reactions="maya:thank_you priya:thank_you omar:thank_you bea:thank_you rosa:thank_you "
        "lena:thank_you",
    ),
    Entry(
        "maya_balcony",
        "maya",
        170,
        "First evening on the balcony where the new flat actually felt like mine. Cup of tea, "
        "the city lighting up, the four pots doing their best.",
        photos=(Photo("skyline", 41),),
        reactions="ines:love rosa:love lena:love theo:love priya:love",
    ),
)
