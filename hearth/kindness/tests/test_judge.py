"""The judge: held-out floors, friends' banter, dodges, kind texts, CLI, bad model files.

No database: the judge is plain Python over a shipped model file.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from hearth.kindness import clusters, cues, frames
from hearth.kindness.dataset import fold
from hearth.kindness.judge import (
    MODEL_PATH,
    Assessment,
    Judge,
    JudgeUnavailable,
    clip_text,
    featurize,
    get_judge,
)
from hearth.kindness.normalize import normalize
from hearth.kindness.tone_check import main_tone_check
from hearth.kindness.training import DATA_PATH, TEST_PATH, Dataset, evaluate, load_csv, train

# Design targets (shared/DESIGN.md, issue 4): at least 90% of hurtful texts
# prompted, at most 5% of the others.
TARGET_RECALL = 0.90
TARGET_FALSE_ALARMS = 0.05
# The shipped judge meets the targets: recall 0.920 at
# 3.9% false alarms on all 4,803 held-out texts (the split closed with the
# eleventh batch; the twelfth to twenty-second went to training whole),
# with the encoder averaged in. Each batch's rows follow the earlier ones
# in judge_test.csv; on the first 2, 6, 7, 8, 9 and 10 batches' rows:
# 0.976, 0.954, 0.945, 0.925, 0.929 and 0.920 (the linear model alone, as
# shipped before the encoder: 0.904, 0.870, 0.859, 0.823, 0.815 and 0.800,
# and 0.801 on all rows); see docs/kindness.md. On those slices a retrained
# model may not fall more than about two points below the shipped one:
# (rows, recall floor) for the first 2, 6, 7, 8, 9 and 10 batches' rows.
EARLIER_BATCHES: tuple[tuple[int, float], ...] = (
    (1330, 0.955),
    (2260, 0.935),
    (2635, 0.925),
    (3501, 0.905),
    (4296, 0.91),
    (4611, 0.90),
)


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge.load()


@pytest.fixture(scope="module")
def held_out(judge: Judge) -> dict[str, float]:
    return evaluate(judge, load_csv(TEST_PATH))


def test_held_out_false_alarms_within_target(held_out):
    assert held_out["false_alarm_rate"] <= TARGET_FALSE_ALARMS


@pytest.mark.parametrize(("rows", "floor"), EARLIER_BATCHES)
def test_earlier_batches_held_out_stays_above_floor(judge, rows, floor):
    """Earlier batches' held-out rows, unchanged by later batches: no step back on them."""
    data = load_csv(TEST_PATH)
    earlier = Dataset(
        data.texts[:rows], data.labels[:rows], data.categories[:rows], data.groups[:rows]
    )
    metrics = evaluate(judge, earlier)
    assert metrics["recall"] >= floor
    assert metrics["false_alarm_rate"] <= TARGET_FALSE_ALARMS


def test_held_out_recall_meets_design_target(held_out):
    assert held_out["recall"] >= TARGET_RECALL


def test_shipped_model_was_trained_on_the_shipped_data(judge):
    import hashlib

    assert judge.data_sha256 == hashlib.sha256(DATA_PATH.read_bytes()).hexdigest()


@pytest.mark.skipif(
    bool(os.environ.get("HEARTH_DATABASE_URL")),
    reason="touches no database; runs in the SQLite pass (CI runs both, once each)",
)
def test_retraining_reproduces_the_shipped_metrics(judge, tmp_path):
    """The shipped model is what `hearth train-judge` makes of the shipped data.

    About seven minutes of training, so it runs once per CI run, not once per
    database.
    """
    shipped = json.loads(judge.metrics_json)
    metrics = train(DATA_PATH, tmp_path / "judge.npz")
    for key in ("precision", "recall", "false_alarm_rate"):
        assert metrics["test"][key] == pytest.approx(shipped["test"][key], abs=0.01)
    assert metrics["threshold"] == pytest.approx(shipped["threshold"], abs=0.01)
    retrained = Judge.load(tmp_path / "judge.npz")
    assert retrained.data_sha256 == judge.data_sha256


def test_judging_one_text_matches_the_training_features(judge):
    """`Judge` hashes all blocks in one call; `featurize` (training) block by block."""
    texts = load_csv(TEST_PATH).texts[:200]
    norms = [normalize(t) for t in texts]
    x = featurize(judge.params, norms, judge.clusters)
    z = np.clip(x @ judge.coef.astype(np.float64) + judge.intercept, -30.0, 30.0)
    expected = 1.0 / (1.0 + np.exp(-z))
    got = [judge.score_normalized(n, cues.detect(n)) for n in norms]
    assert got == pytest.approx(list(expected), abs=1e-9)


def test_frames_describe_who_is_addressed_and_how():
    found = frames.frames("oh wow, what a genius... you're so forgettable")
    values = dict(zip(frames.FRAME_FEATURES, found.values, strict=True))
    assert values["you_judgement"] == values["praise_then_judgement"] == 1.0
    assert values["ellipsis"] == 1.0
    assert values["question"] == 0.0
    assert "<s> oh" in found.word_grams
    assert "genius ..." in found.word_grams
    assert "<s> HEDGE HEDGE" in found.class_grams
    assert "YOU _ NEG" in found.class_grams
    assert all(any(ch.isupper() for ch in gram) for gram in found.class_grams)
    kind = frames.frames("thank you, that was a lovely idea!")
    kind_values = dict(zip(frames.FRAME_FEATURES, kind.values, strict=True))
    assert kind_values["you_praise"] == 1.0
    assert kind_values["judgement"] == 0.0


def test_word_clusters_travel_in_the_model_file(judge, tmp_path, monkeypatch):
    """Judging needs no cluster table file; the model holds the one it was trained with."""
    table = clusters.read_table()
    assert judge.clusters == table
    monkeypatch.setattr(clusters, "TABLE_PATH", tmp_path / "absent.tsv")
    texts = ["oh wow, what a genius... you're so forgettable", "see you at the allotment at 9"]
    copy = tmp_path / "judge.npz"
    copy.write_bytes(MODEL_PATH.read_bytes())
    loaded = Judge.load(copy)
    assert [loaded.assess(t).score for t in texts] == [judge.assess(t).score for t in texts]


def test_cluster_grams_replace_known_words_by_their_cluster(judge):
    """Two words of one cluster give the same cluster grams, so a weight learnt
    for one carries over to the other."""
    table = judge.clusters
    by_cluster: dict[int, list[str]] = {}
    for word, cluster in table.items():
        by_cluster.setdefault(cluster, []).append(word)
    a, b = next(words for words in by_cluster.values() if len(words) >= 2)[:2]
    first = frames.frames(f"you are so {a}", table).cluster_grams
    second = frames.frames(f"you are so {b}", table).cluster_grams
    assert first == second
    assert f"c{table[a]} </s>" in first
    unknown = frames.frames("you are so qzxv", table).cluster_grams
    assert "qzxv </s>" in unknown  # a word outside the table keeps its spelling
    assert frames.frames("you are so qzxv").cluster_grams == []  # no table, no grams


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "not found"),
        ("", "empty"),
        ("idiot\tseven\n", "expected word<TAB>cluster"),
        ("idiot 3\n", "expected word<TAB>cluster"),
        ("idiot\t99999\n", "expected word<TAB>cluster"),
    ],
)
def test_a_bad_cluster_table_stops_training_with_a_clear_error(tmp_path, content, message):
    from hearth.kindness.training import TrainingError

    path = tmp_path / "clusters.tsv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(TrainingError, match=message):
        train(DATA_PATH, tmp_path / "judge.npz", clusters_path=path)
    assert not (tmp_path / "judge.npz").exists()


@pytest.mark.parametrize("field", ["cluster_words", "cluster_ids"])
def test_a_model_without_its_cluster_table_is_refused(tmp_path, field):
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        data = {key: npz[key] for key in npz.files if key != field}
    path = tmp_path / "judge.npz"
    np.savez_compressed(path, **data)
    with pytest.raises(JudgeUnavailable, match=field):
        Judge.load(path)


def test_a_model_with_mismatched_cluster_arrays_is_refused(tmp_path):
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        data = {key: npz[key] for key in npz.files}
    data["cluster_ids"] = data["cluster_ids"][:-1]
    path = tmp_path / "judge.npz"
    np.savez_compressed(path, **data)
    with pytest.raises(JudgeUnavailable, match="malformed"):
        Judge.load(path)


# --- friends' banter ---------------------------------------------------------

FRIENDS_BANTER = [
    "fuck off, you did not win the raffle 😂",
    "shut the fuck up, that's the best news ever!!",
    "you absolute bastard, you got tickets?!",
    "holy shit, you madman, you actually did it",
    "oh piss off, you always win at cards",
    "you lucky bastard, enjoy the sunshine",
    "damn you and your perfect sourdough",
    "fuck you for being this good at karaoke 😂",
]


@pytest.mark.parametrize("text", FRIENDS_BANTER)
def test_profanity_between_friends_is_not_prompted(judge, text):
    assert not judge.assess(text, friends=True).nudge


@pytest.mark.parametrize(
    "text",
    [
        "I will kill you",
        "I'm going to break your legs when I see you",
        "people like you should be shot",
        "gays are vermin",
        "go back to your own country",
    ],
)
def test_threats_and_attacks_on_groups_are_prompted_even_between_friends(judge, text):
    assert judge.assess(text).nudge
    assert judge.assess(text, friends=True).nudge


def test_friends_threshold_is_higher(judge):
    assert judge.friends_threshold > judge.threshold


# --- dodges --------------------------------------------------------------------


@pytest.mark.parametrize(
    "dodged",
    [
        "id\u200biot",
        "i d i o t",
        "1d10t",
        "idi0t",
        "\uff49\uff44\uff49\uff4f\uff54",  # full-width letters
        "i.d.i.o.t",
        "i\u2060d\u2060i\u2060o\u2060t",
        "idiooooot",
        "\u200eid\u00adiot",
    ],
)
@pytest.mark.parametrize("frame", ["you're an {}", "shut up, {}", "what an absolute {}"])
def test_obfuscated_insults_are_judged_like_the_plain_word(judge, dodged, frame):
    plain = judge.assess(frame.format("idiot"))
    assert normalize(frame.format(dodged)) == normalize(frame.format("idiot"))
    result = judge.assess(frame.format(dodged))
    assert plain.nudge
    assert result.nudge
    assert result.score == pytest.approx(plain.score)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("b1tch", "bitch"),
        ("stup1d", "stupid"),
        ("f*ck you", "fuck you"),
        ("F**K Y0U", "fuck you"),
        ("a$$hole", "asshole"),
        ("sh!t", "shit"),
        ("l053r", "loser"),
        ("ki11 yourself", "kill yourself"),
        ("k y s", "kys"),
        ("y o u  a r e  w o r t h l e s s", "you are worthless"),
        ("ï̴d̷i̶o̵t", "idiot"),
        ("id\u0456ot", "idiot"),  # a Cyrillic letter i
        ("@maya hello", "@user hello"),
        ("10am on the 2nd, $5", "10am on the 2nd, $5"),
        ("*hugs*", "*hugs*"),
        ("идиот", "идиот"),
        ("שבת שלום", "שבת שלום"),
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


# --- kind texts that share words with hurtful ones -------------------------------

WARM_PROFANITY = [
    "holy fuck, you finished the whole quilt!!",
    "this is so fucking cool, well done",
    "damn, that sunset though 🌅",
    "fuck yes, the library is staying open!",
    "you're a bloody genius, the shelf fits perfectly",
    "shit, I'm so happy for you both",
    "that was a hell of a performance tonight",
    "goddamn that's a good-looking pie",
    "holy crap, the twins are walking already",
    "best fucking day of my life, thank you everyone",
    "she's a badass climber, look at that route",
    "fucking finally, my visa came through!!",
    "hot damn, your tomatoes are huge",
    "the choir was so damn good tonight",
    "wow, what a bloody brilliant idea",
    "fuck me, this curry is incredible",
    "oh shit, congrats on the new job!!",
    "hell yes, count me in for the beach clean",
    "that's some seriously fucking good coffee",
    "you legend, thanks for the lift 🙏",
]
SELF_DEPRECATION = [
    "I'm such an idiot, I left my lunch on the bus",
    "I'm so stupid, I booked the train for the wrong day",
    "what a moron I am, I washed my phone",
    "I'm a complete disaster in the mornings",
    "I'm hopeless at remembering names, sorry",
    "ugh, I'm useless at parallel parking",
    "I'm such a loser, I cried at a cartoon",
    "I felt like a total fool at the dance class",
    "I'm the worst at keeping secrets",
    "I'm an absolute klutz, broke another glass",
    "I look like a mess today but I don't care",
    "my brain is mush, I'm so dumb this week",
    "I'm a terrible gardener, everything dies",
    "I'm so pathetic, I'm scared of the hoover",
    "I'm a clown, I wore odd socks to the wedding",
    "dumb me forgot to press send",
    "I'm a failure at sourdough, attempt five",
    "I'm such a dork about trains",
    "I'm lazy today and I'm owning it",
    "I'm a mess, I forgot my own password again",
]
REPORTED_ABUSE = [
    "my boss called me an idiot today and I cried",
    "a man on the bus called me a fat cow",
    "someone commented 'kill yourself' under my art. reported.",
    "my ex used to say I was worthless",
    "a kid at school told my son he's a freak",
    "a stranger told me to go back to my country, I was born here",
    "I got a message saying 'I know where you live'. police are involved",
    "my dad called me stupid every day growing up",
    "the troll in my replies called me a whore again",
    "my manager said I'm useless in front of everyone",
    "a customer screamed that I was a stupid bitch",
    "they called my daughter ugly at the party",
    "someone said people like me should be shot. I reported it.",
    "my teacher told me I'd never amount to anything",
    "a guy yelled slurs at my partner and me on the train",
    "my coach used to call me a lazy pig",
    "I was called a loser every day in year 9",
    "he told me nobody would ever love me",
    "a woman in the queue called me a terrorist because of my hijab",
    "someone wrote 'die' on my car. I'm scared.",
]


# Short everyday posts, notices and thanks (none of them in the data set;
# "Back in five." replaced "Hold on.", which the twelfth batch's writer of
# terse notes also wrote; the nineteenth batch's writer of plain posts wrote
# "Back in five" too, and it was taken out of that batch, which is not
# trained on anyway): a short text has few features, so a word seen
# mostly in put-downs ("almost", "once") used to decide it alone.
SHORT_EVERYDAY = [
    "Later.",
    "Back in five.",
    "Tomorrow then.",
    "Snowing here too.",
    "Almost home.",
    "Kettle's on.",
    "Sun out, finally.",
    "Fog this morning.",
    "Dinner's ready.",
    "Cake o'clock.",
    "Moving on.",
    "Quick question.",
    "Good news!",
    "Lovely weather.",
    "Done for today.",
    "On the bus.",
    "Running club?",
    "Roses are out.",
    "Hi neighbours!",
    "Evening all.",
    "Thanks again, you.",
    "You were great tonight.",
    "Well played, you.",
    "Just for the book club.",
    "Members only, sorry.",
    "Bring your neighbour along.",
    "Bring your wellies.",
    "Spare jars, anyone?",
    "Twice a month.",
    "See everyone Friday.",
    "Any spare boxes?",
    "First frost.",
    "Back in ten.",
    "Ready for tomorrow.",
    "Seeds swapped!",
]


# Plain notes about posting itself, written as a check after the ninth batch's
# model prompted "A post with extra fields"; the tenth batch's notes about
# posting were written without seeing them. Three were already training
# texts when the list was written ("Home at last", "Long day", "Minutes
# attached", from the fourth batch) and one a held-out text ("Same time next
# week", from the third). "Replied to your question in the thread" replaced
# "Reply to your question below" when the fourteenth batch's writer, given it
# as an example, put it in the data.
# The model before the seventh batch prompted 2 of the old list, the ninth
# batch's 4, the tenth's and eleventh's 3 ("Unknown fields, ignored",
# "Another post with a photo", "Reply to your question below"), the
# thirteenth's 2, the fifteenth's 1 ("Unknown fields, ignored"); the one
# shipped prompts 1 ("Another post with a photo").
PLAIN_NOTES = [
    "A post with extra fields",
    "Posted with extra fields",
    "Unknown fields, ignored",
    "Testing the new camera",
    "First post here",
    "Meeting moved to Thursday",
    "The shop closes at five",
    "New photos from the walk",
    "Trying a new recipe tonight",
    "Back from holiday",
    "Library books due Monday",
    "The train was on time today",
    "Power cut on our street",
    "Garden update: tomatoes in",
    "My first attempt at bread",
    "Road closed near the school",
    "Found a wallet by the park",
    "Lost cat, grey and white",
    "Parcel arrived, thank you",
    "Still raining here",
    "Quick question about the rota",
    "Notes from tonight's meeting",
    "Minutes attached",
    "Updated the schedule",
    "Lights out at ten",
    "Off to work",
    "Long day",
    "Home at last",
    "Weekend plans?",
    "A photo of my desk",
    "Another post with a photo",
    "My dog in the snow",
    "The view from the hill",
    "Sunday roast",
    "Early start tomorrow",
    "New bike",
    "Rainy walk",
    "A quiet evening in",
    "Fixed the fence today",
    "Just a test",
    "Draft, will edit later",
    "Edited for clarity",
    "Sorry for the late reply",
    "Replied to your question in the thread",
    "Same time next week",
]


# Posts that mention people (none of them in the data set; the eleventh
# batch's texts with mentions were written without seeing them). Every model
# before the eleventh batch prompted greetings such as "Hi @sam" (0.76-0.90;
# 7 of these 20 with the tenth's): most training texts with a mention were
# put-downs and pile-ons. The one shipped prompts none of them. "See you at
# 7" was taken out of the sixteenth batch before training: folded to its
# words it is "@maya see you at 7" without the mention.
MENTION_POSTS = [
    "Hi @sam",
    "Hi @sam and @jo",
    "cc @sam @jo",
    "Thanks @sam and @jo for a lovely evening!",
    "@maya see you at 7",
    "@maya @bob are you coming on Saturday?",
    "Happy birthday @jo!!",
    "@sam did you get the seeds?",
    "Welcome @newbie, glad you found us",
    "Hey @sam and @jo, the plot next to yours is free",
    "Hi @Bob_Gardens and @nobody_here, see #Gardening",
    "Morning @ellie",
    "@tom thanks mate",
    "Photo by @rosa_paints",
    "Congrats @li_wei on the new job",
    "@jo @kim @ana dinner at mine Friday?",
    "Shout out to @the_choir for tonight",
    "@dev the link works now",
    "Good luck today @amir!",
    "@sam @jo",
]


# Friendly requests and invitations to "you" (none of them in the data set;
# the fifteenth batch's requests were written without seeing them). Harassers
# write "tell me", "send me a photo", "show me" too, and the models before
# the fifteenth batch prompted these: 6 of 30 with the eleventh's, 7 with the
# thirteenth's and 10 with the fourteenth's ("Tell me about your garden."
# 0.85, "Send me a photo of your balcony tomatoes" 0.94). The fifteenth's
# prompted 3, the one shipped 2; models with batches 19 to 22 prompted 4.
KIND_REQUESTS = [
    "Tell me about your garden.",
    "Tell me about your dog",
    "Tell me about your new job",
    "Tell me about your day.",
    "Send me a photo of your balcony tomatoes",
    "I'd love to hear about your holiday.",
    "Tell me everything about the wedding!",
    "Send me the link to your shop, I want to order one",
    "Show me the quilt when it's finished",
    "Tell us how the first week at school went",
    "Post a picture of the cake please 🎂",
    "Tell me what you thought of the book",
    "Send me your sourdough recipe when you have a sec",
    "Show us the view from the top!",
    "Give me all the details about the new flat",
    "Tell me how the interview went",
    "Send me pics of the puppy!!",
    "I want to hear all about your trip to Lisbon",
    "Talk me through how you built the shelves",
    "Tell me your secret for such green tomatoes",
    "Share the pattern for that jumper please",
    "Describe the new studio for me, I can't make it this week",
    "Tell me about your choir, what are you singing at Christmas?",
    "Send a photo of the allotment when the beans are up",
    "Show me how you did the braids",
    "Tell me which trail you took, it looks amazing",
    "Text me a photo of the menu so I can choose",
    "Tell me how your mum's doing after the operation",
    "Send me the video of the recital",
    "Show me your new tattoo when it heals!",
]


def test_posts_that_mention_people_are_mostly_not_prompted(judge):
    prompted = [t for t in MENTION_POSTS if judge.assess(t).nudge]
    assert len(MENTION_POSTS) == 20
    assert len(prompted) <= 2, prompted


def test_friendly_requests_to_you_are_mostly_not_prompted(judge):
    prompted = [t for t in KIND_REQUESTS if judge.assess(t).nudge]
    assert len(KIND_REQUESTS) == 30
    assert len(prompted) <= 3, prompted


def test_plain_notes_about_posting_are_mostly_not_prompted(judge):
    prompted = [t for t in PLAIN_NOTES if judge.assess(t).nudge]
    assert len(PLAIN_NOTES) == 45
    assert len(prompted) <= 3, prompted


def test_short_everyday_posts_are_mostly_not_prompted(judge):
    prompted = [t for t in SHORT_EVERYDAY if judge.assess(t).nudge]
    assert len(SHORT_EVERYDAY) == 35
    assert len(prompted) <= 2, prompted


# Check texts that are in the training data, and why: two were hand-written
# into the first batch, and three notes were fourth-batch training texts
# before the plain-notes list was written (see the comment on PLAIN_NOTES).
KNOWN_IN_TRAINING = {
    "oh piss off, you always win at cards",
    "my boss called me an idiot today and I cried",
    "Home at last",
    "Long day",
    "Minutes attached",
}


def test_check_lists_stay_outside_the_training_data():
    """A check text a data writer happens to write too ("Hold on.", "Reply to
    your question below", "Back in five") measures nothing: it must go from
    the data, or the check must get another text."""
    training = {fold(text) for text in load_csv(DATA_PATH).texts}
    checks = (
        FRIENDS_BANTER
        + WARM_PROFANITY
        + SELF_DEPRECATION
        + REPORTED_ABUSE
        + SHORT_EVERYDAY
        + PLAIN_NOTES
        + MENTION_POSTS
        + KIND_REQUESTS
    )
    assert {text for text in checks if fold(text) in training} == KNOWN_IN_TRAINING


@pytest.mark.parametrize(
    "texts",
    [WARM_PROFANITY, SELF_DEPRECATION, REPORTED_ABUSE],
    ids=["warm profanity", "self-deprecation", "reports of abuse"],
)
def test_kind_texts_are_mostly_not_prompted(judge, texts):
    prompted = [t for t in texts if judge.assess(t).nudge]
    assert len(texts) == 20
    assert len(prompted) <= 2, prompted


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("people like you should be shot", cues.REASONS[cues.THREAT]),
        ("you're a pathetic idiot", cues.REASONS[cues.INSULT]),
        ("immigrants are vermin", cues.REASONS[cues.IDENTITY]),
        ("nobody cares what you think, just shut up", cues.REASONS[cues.CONTEMPT]),
        (
            "wow, what a genius take, did you think of that all by yourself?",
            cues.REASONS[cues.SARCASM],
        ),
    ],
)
def test_reasons_are_plain_words(judge, text, reason):
    result = judge.assess(text)
    assert result.nudge
    assert reason in result.reasons


# --- bad input ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\u200b\u200b", "\u2060"])
def test_empty_text_is_not_prompted(judge, text):
    assert judge.assess(text) == Assessment(nudge=False, score=0.0, reasons=[])


def test_enormous_text_is_judged_on_head_and_tail_quickly(judge):
    text = "Bring a chair and a flask. " * 40_000 + "I will find you and kill you"
    assert len(text) > 1_000_000
    start = time.perf_counter()
    result = judge.assess(text)
    assert time.perf_counter() - start < 0.5
    assert result.nudge
    clipped = clip_text(text)
    assert len(clipped) <= 6_001
    assert clipped.endswith("kill you")
    assert not judge.assess("Bring a chair and a flask. " * 40_000).nudge


def test_any_unicode_is_judged_without_error(judge):
    for text in [
        "שלום עולם",
        "مرحبا بالعالم",
        "🙂🙃" * 500,
        "\U0001f9d1\u200d\U0001f91d",
        "\x00\x07",
    ]:
        result = judge.assess(text)
        assert 0.0 <= result.score <= 1.0


def test_missing_model_raises_a_clear_error(tmp_path):
    path = tmp_path / "nope.npz"
    with pytest.raises(JudgeUnavailable, match=r"not found at .*nope\.npz.*train-judge"):
        Judge.load(path)


@pytest.mark.parametrize(
    "content", [b"", b"not a zip file", b"PK\x03\x04 truncated", MODEL_PATH.read_bytes()[:5000]]
)
def test_corrupt_model_raises_a_clear_error(tmp_path, content):
    path = tmp_path / "judge.npz"
    path.write_bytes(content)
    with pytest.raises(JudgeUnavailable, match=r"judge model at .*judge\.npz.*train-judge"):
        Judge.load(path)


def _rewrite(tmp_path: Path, **changes: object) -> Path:
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        data = {key: npz[key] for key in npz.files}
    data.update({key: np.asarray(value) for key, value in changes.items()})
    for key in [k for k, v in changes.items() if v is None]:
        del data[key]
    path = tmp_path / "judge.npz"
    with path.open("wb") as fh:
        np.savez(fh, **data)
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": "hearth-judge/0"}, "format"),
        ({"normalizer_version": 0}, "normaliser"),
        ({"hand_features": ["threat"]}, "hand features"),
        ({"coef": np.zeros(10, dtype=np.float32)}, "weights"),
        ({"threshold": 2.0}, "invalid"),
        ({"hand_scale": -1.0}, "invalid"),
        ({"n_features": 2**10}, "weights"),
        ({"threshold": None}, "lacks the field"),
        ({"careful_threshold": 0.999}, "invalid"),
        ({"careful_threshold": None}, "lacks the field"),
        ({"encoder_weight": None}, "lacks the field"),
        ({"encoder_weight": 1.5}, "malformed"),
        ({"encoder_sha256": "0" * 64}, "not the one the judge was trained with"),
    ],
)
def test_incompatible_model_is_refused(tmp_path, changes, message):
    with pytest.raises(JudgeUnavailable, match=message):
        Judge.load(_rewrite(tmp_path, **changes))


def test_model_file_is_small_and_holds_no_pickles():
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    with np.load(MODEL_PATH, allow_pickle=False) as npz:
        assert all(npz[key].dtype != object for key in npz.files)


def test_get_judge_loads_once():
    assert get_judge() is get_judge()


# --- hearth tone-check ------------------------------------------------------------

LINES = ["people like you should be shot", "this is fucking amazing, congrats!!", "", "id\u200biot"]


def _records(out: str) -> list[dict[str, object]]:
    records = [json.loads(line) for line in out.splitlines()]
    for record in records:
        assert set(record) == {"text", "nudge", "score", "reasons"}
        assert isinstance(record["text"], str)
        assert isinstance(record["nudge"], bool)
        assert isinstance(record["score"], float)
        assert 0.0 <= record["score"] <= 1.0
        assert isinstance(record["reasons"], list)
        assert all(isinstance(r, str) for r in record["reasons"])
        assert bool(record["reasons"]) == record["nudge"]
    return records


def test_tone_check_reads_a_file(tmp_path, capsys):
    path = tmp_path / "texts.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    assert main_tone_check([str(path)]) == 0
    records = _records(capsys.readouterr().out)
    assert [r["text"] for r in records] == LINES
    assert [r["nudge"] for r in records] == [True, False, False, True]


def test_tone_check_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(LINES)))
    assert main_tone_check(["-"]) == 0
    records = _records(capsys.readouterr().out)
    assert [r["text"] for r in records] == LINES


def test_tone_check_missing_file_exits_2(tmp_path, capsys):
    assert main_tone_check([str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "missing.txt" in err


def test_tone_check_missing_model_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("hello"))
    assert main_tone_check(["--model", str(tmp_path / "none.npz"), "-"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not found" in err
