"""The `/goals` / `goals` grammar: words in, one request (or one helpful error) out.

Checked against the shipped canon's vocabulary (what users type today) and against a small
vocabulary built here, so the rules do not hold only by accident of the shipped data.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.canon.repository import (
    CanonRepository,
    FamilyEntry,
    LevelEntry,
    Vocabulary,
)
from bot.frames.frameworks import Framework
from bot.grammar.parse import parse
from bot.grammar.requests import (
    SUGGESTION_WORDS_MAX,
    SUGGESTIONS_MAX,
    CompareRequest,
    DraftRequest,
    DraftsRequest,
    FrameRequest,
    GrammarError,
    HelpRequest,
    ListRequest,
    ReviewsRequest,
    Suggestion,
    example_words,
)
from bot.grammar.usage import help_text
from bot.settings import SHIPPED_CANON_DIR

ALL_FOUR = (Framework.SMART, Framework.OKR, Framework.MBO, Framework.SCORECARD)
RESULT_TYPES = (HelpRequest, ListRequest, FrameRequest, DraftRequest, DraftsRequest, ReviewsRequest, CompareRequest,
                GrammarError)
# What an error's example may be: a request that does something.
WORKING = (ListRequest, FrameRequest, DraftRequest, DraftsRequest, ReviewsRequest, CompareRequest)

# The shipped canon, whatever GOALS_CANON_DIR says in the environment running the tests.
SHIPPED = CanonRepository.open(SHIPPED_CANON_DIR).vocabulary()

CTO_M2_OKR = FrameRequest(
    family="clinical-trials-ops", level="M2", frameworks=(Framework.OKR,), framework_given=True
)

# A small vocabulary of our own: three levels, a family with no canon yet (listed first, so
# the error example must skip it), a family with an upper-case alias, and one with a single
# level.
SMALL = Vocabulary(
    levels=(
        LevelEntry("L1", "Associate", 3),
        LevelEntry("L2", "Lead", 3),
        LevelEntry("L3", "Principal", 3),
    ),
    families=(
        FamilyEntry("empty-shelf", "Empty Shelf", "Storage", (), ()),
        FamilyEntry("gadget-repair", "Gadget Repair", "Service", ("gr",), ("L3",)),
        FamilyEntry("widgets", "Widget Making", "Manufacturing", ("wdg", "WM"), ("L1", "L2")),
    ),
)

WIDGETS_L2_SMART = FrameRequest(
    family="widgets", level="L2", frameworks=(Framework.SMART,), framework_given=True
)


def expect_error(words: str | list[str], vocabulary: Vocabulary = SHIPPED) -> GrammarError:
    result = parse(words, vocabulary)
    assert isinstance(result, GrammarError), f"{words!r} should be refused, got {result!r}"
    assert result.message.strip()
    return result


# --- requests that work -------------------------------------------------------------------


def test_level_family_framework_gives_frame_request() -> None:
    assert parse("M2 clinical-trials-ops okr", SHIPPED) == CTO_M2_OKR


@pytest.mark.parametrize("order", list(itertools.permutations(["CTO", "okrs", "m2"])))
def test_words_in_any_order_and_case_give_the_same_request(order: tuple[str, ...]) -> None:
    assert parse(list(order), SHIPPED) == CTO_M2_OKR
    assert parse(" ".join(order), SHIPPED) == CTO_M2_OKR


@pytest.mark.parametrize(
    ("words", "family", "level"),
    [
        ("M2 cto", "clinical-trials-ops", "M2"),
        ("m4 CTO", "clinical-trials-ops", "M4"),
        ("M4 cpm", "clinical-project-management", "M4"),
        ("Cpm m4", "clinical-project-management", "M4"),
        ("M4 Clinical-Project-Management", "clinical-project-management", "M4"),
    ],
)
def test_aliases_and_slugs_in_any_case_name_the_family_by_slug(
    words: str, family: str, level: str
) -> None:
    result = parse(words, SHIPPED)
    assert isinstance(result, FrameRequest)
    assert (result.family, result.level) == (family, level)


def test_level_is_returned_as_the_canon_spells_it() -> None:
    result = parse("m2 cto", SHIPPED)
    assert isinstance(result, FrameRequest) and result.level == "M2"


@pytest.mark.parametrize(
    "words",
    [
        "  M2\t\tclinical-trials-ops   okr  ",
        "M2\tcto\tokr\n",
        ["M2", "cto", "okr"],
        ["  M2 ", "\tcto", "okr  "],
        ["M2 cto", "okr"],
        ("M2", "cto", "okr"),
    ],
)
def test_whitespace_and_string_or_list_input_do_not_matter(words: str | list[str]) -> None:
    assert parse(words, SHIPPED) == CTO_M2_OKR


@pytest.mark.parametrize(
    ("word", "framework"),
    [
        ("smart", Framework.SMART),
        ("okr", Framework.OKR),
        ("okrs", Framework.OKR),
        ("mbo", Framework.MBO),
        ("scorecard", Framework.SCORECARD),
        ("SCORECARD", Framework.SCORECARD),
    ],
)
def test_each_framework_word_chooses_its_framework(word: str, framework: Framework) -> None:
    result = parse(f"M4 cpm {word}", SHIPPED)
    assert result == FrameRequest("clinical-project-management", "M4", (framework,), True)


def test_all_gives_the_four_frameworks_in_order_as_named() -> None:
    result = parse("all M4 cpm", SHIPPED)
    assert result == FrameRequest("clinical-project-management", "M4", ALL_FOUR, True)


def test_no_framework_gives_the_four_frameworks_as_not_named() -> None:
    result = parse("M4 cpm", SHIPPED)
    assert result == FrameRequest("clinical-project-management", "M4", ALL_FOUR, False)


@pytest.mark.parametrize("words", ["M2 cto okr okrs", "okrs M2 OKR cto okr"])
def test_repeating_the_same_framework_is_fine(words: str) -> None:
    assert parse(words, SHIPPED) == CTO_M2_OKR


def test_repeating_all_is_fine() -> None:
    assert parse("M2 cto all ALL", SHIPPED) == FrameRequest(
        "clinical-trials-ops", "M2", ALL_FOUR, True
    )


@pytest.mark.parametrize("words", ["help", "HELP", "-h", "--help", "", "   \t ", [], [""]])
def test_help_words_and_empty_input_ask_for_help(words: str | list[str]) -> None:
    assert parse(words, SHIPPED) == HelpRequest()


@pytest.mark.parametrize("words", ["list", "LIST", " list\t", ["list"]])
def test_list_asks_for_the_listing(words: str | list[str]) -> None:
    assert parse(words, SHIPPED) == ListRequest()


def test_list_with_another_word_is_refused_naming_that_word() -> None:
    error = expect_error("list foo")
    assert '"foo"' in error.message


# --- errors that say what was wrong ---------------------------------------------------------


def test_unknown_family_is_named_with_a_suggestion_and_the_families() -> None:
    error = expect_error("M2 clinical-trial-ops okr")
    message = error.message
    assert "unknown job family" in message.lower()
    assert '"clinical-trial-ops"' in message
    assert "did you mean" in message.lower()
    assert '"clinical-trials-ops"' in message
    # The listing of families: both slugs and their aliases.
    for name in ("clinical-project-management", "cpm", "cto"):
        assert name in message


def test_unknown_level_is_named_with_the_levels() -> None:
    error = expect_error("M3 cto")
    assert "unknown level" in error.message.lower()
    assert '"M3"' in error.message
    assert "M2" in error.message and "M4" in error.message


def test_level_the_family_lacks_names_the_family_and_the_levels_it_has() -> None:
    error = expect_error("M2 cpm")
    assert "Clinical Project Management" in error.message
    assert "M4" in error.message
    # M2 is only mentioned as the level asked for, not offered as one the family has.
    assert error.message.count("M2") == 1


def test_missing_level_lists_the_levels_the_family_has() -> None:
    assert "M4" in expect_error("cpm").message
    message = expect_error("cto").message
    assert "M2" in message and "M4" in message


def test_missing_family_lists_the_families() -> None:
    message = expect_error("M2").message
    assert "clinical-trials-ops" in message and "clinical-project-management" in message


@pytest.mark.parametrize("words, named", [
    ("M2 cto okr smart", ['"okr"', '"smart"']),  # several frameworks
    ("M2 cto all mbo", ['"all"', '"mbo"']),  # all with a single framework
    ("M2 M4 cto", ["M2", "M4"]),  # several levels
    ("M2 cto cpm", ["clinical-trials-ops", "clinical-project-management"]),  # several families
], ids=["frameworks", "all-and-one", "levels", "families"])
def test_several_of_one_kind_are_refused_naming_each(words: str, named: list[str]) -> None:
    message = expect_error(words).message
    for name in named:
        assert name in message


def test_stray_word_is_quoted() -> None:
    assert '"bananas"' in expect_error("M2 cto bananas").message


def test_every_stray_word_is_quoted() -> None:
    message = expect_error("M2 cto bananas apples").message
    assert '"bananas"' in message and '"apples"' in message


BAD_INPUTS = [
    "list foo",
    "M2 clinical-trial-ops okr",
    "M3 cto",
    "M2 cpm",
    "cto",
    "M2",
    "M2 cto okr smart",
    "M2 M4 cto",
    "M2 cto cpm",
    "M2 cto bananas",
    "bananas",
    "canon check",
    "okr",
]


@pytest.mark.parametrize("words", BAD_INPUTS)
def test_error_example_is_a_request_that_works(words: str) -> None:
    error = expect_error(words)
    assert isinstance(parse(error.example, SHIPPED), FrameRequest)


# --- a vocabulary built here, not the shipped canon --------------------------------------


def test_own_vocabulary_parses_in_any_order_and_case() -> None:
    for order in itertools.permutations(["smart", "WIDGETS", "l2"]):
        assert parse(list(order), SMALL) == WIDGETS_L2_SMART


@pytest.mark.parametrize("alias", ["wdg", "WDG", "wm", "WM", "Wm"])
def test_own_vocabulary_aliases_match_in_any_case(alias: str) -> None:
    assert parse(f"L2 {alias} smart", SMALL) == WIDGETS_L2_SMART


def test_own_vocabulary_level_the_family_lacks_names_the_levels_it_has() -> None:
    error = expect_error("L3 widgets", SMALL)
    assert "Widget Making" in error.message
    assert "L1" in error.message and "L2" in error.message


def test_own_vocabulary_unknown_level_lists_its_levels() -> None:
    error = expect_error("L9 widgets", SMALL)
    assert "unknown level" in error.message.lower() and '"L9"' in error.message
    for code in ("L1", "L2", "L3"):
        assert code in error.message


def test_own_vocabulary_unknown_family_suggests_the_close_one() -> None:
    error = expect_error("L1 widget", SMALL)
    assert "unknown job family" in error.message.lower()
    assert '"widgets"' in error.message


def test_own_vocabulary_levels_of_another_canon_are_unknown() -> None:
    assert "unknown level" in expect_error("M2 widgets", SMALL).message.lower()


def test_own_vocabulary_family_without_canon_says_it_has_no_level() -> None:
    error = expect_error("L1 empty-shelf", SMALL)
    assert "Empty Shelf" in error.message


def test_own_vocabulary_example_skips_a_family_without_levels() -> None:
    error = expect_error("bananas", SMALL)
    assert isinstance(parse(error.example, SMALL), FrameRequest)


# --- properties ---------------------------------------------------------------------------

KNOWN_WORDS = sorted(
    {"M2", "M4", "L1", "L2", "L3", "clinical-trials-ops", "cto", "clinical-project-management",
     "cpm", "widgets", "wdg", "WM", "gr", "gadget-repair", "empty-shelf",
     "smart", "okr", "okrs", "mbo", "scorecard", "all", "help", "-h", "--help", "list", "canon",
     "compare", "draft", "drafts", "reviews"}
)


@st.composite
def random_case(draw: st.DrawFn, word: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if up else c.lower() for c, up in zip(word, flips, strict=True))


known_word = st.sampled_from(KNOWN_WORDS).flatmap(random_case)
whitespace = st.sampled_from([" ", "  ", "\t", "\n", " \t "])
vocabularies = st.sampled_from([SHIPPED, SMALL])


def check_result(result: object, vocabulary: Vocabulary) -> None:
    assert isinstance(result, RESULT_TYPES)
    if isinstance(result, GrammarError):
        assert isinstance(result.message, str) and result.message.strip()
        assert "Traceback" not in result.message
        assert isinstance(parse(result.example, vocabulary), WORKING)
        check_suggestions(result, vocabulary)
    if isinstance(result, FrameRequest):
        entry = vocabulary.family(result.family)
        assert entry is not None and result.level in entry.level_codes
        assert result.frameworks and set(result.frameworks) <= set(ALL_FOUR)
    if isinstance(result, CompareRequest):
        order = vocabulary.level_codes
        assert order.index(result.lower.level) < order.index(result.higher.level)
        for side in (result.lower, result.higher):
            entry = vocabulary.family(side.family)
            assert entry is not None and side.level in entry.level_codes


def check_suggestions(error: GrammarError, vocabulary: Vocabulary) -> None:
    """Every suggestion runs: its words parse to a request, each once, a few at most."""
    assert len(error.suggestions) <= SUGGESTIONS_MAX
    assert len({s.words for s in error.suggestions}) == len(error.suggestions)
    for suggestion in error.suggestions:
        assert suggestion.label.strip() and len(suggestion.words) <= SUGGESTION_WORDS_MAX
        assert not isinstance(parse(suggestion.words, vocabulary), GrammarError), suggestion


@settings(max_examples=300, deadline=None)
@given(text=st.text(), vocabulary=vocabularies)
def test_any_text_gives_a_result_and_never_raises(text: str, vocabulary: Vocabulary) -> None:
    check_result(parse(text, vocabulary), vocabulary)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.one_of(known_word, st.text(max_size=30)), max_size=8),
    vocabulary=vocabularies,
)
def test_any_mix_of_words_gives_a_result_and_never_raises(
    words: list[str], vocabulary: Vocabulary
) -> None:
    check_result(parse(words, vocabulary), vocabulary)
    check_result(parse(" ".join(words), vocabulary), vocabulary)


def test_huge_input_gives_an_error_not_a_crash() -> None:
    check_result(parse("M2 cto " + "x" * 200_000, SHIPPED), SHIPPED)
    check_result(parse(["M2", "\x00" * 10_000, "\u202e\ud7ff\U0010ffff"], SHIPPED), SHIPPED)


VALID_REQUESTS = [
    (SHIPPED, ["M2", "clinical-trials-ops", "okr"], CTO_M2_OKR),
    (SHIPPED, ["m4", "cpm"], FrameRequest("clinical-project-management", "M4", ALL_FOUR, False)),
    (SHIPPED, ["M4", "cto", "all"], FrameRequest("clinical-trials-ops", "M4", ALL_FOUR, True)),
    (SHIPPED, ["M4", "cto", "scorecard"],
     FrameRequest("clinical-trials-ops", "M4", (Framework.SCORECARD,), True)),
    (SMALL, ["L2", "wdg", "smart"], WIDGETS_L2_SMART),
    (SMALL, ["L3", "gadget-repair", "mbo"],
     FrameRequest("gadget-repair", "L3", (Framework.MBO,), True)),
]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), case=st.sampled_from(VALID_REQUESTS))
def test_any_order_casing_and_spacing_of_a_valid_request_gives_that_request(
    data: st.DataObject, case: tuple[Vocabulary, list[str], FrameRequest]
) -> None:
    vocabulary, words, expected = case
    shuffled = data.draw(st.permutations(words))
    cased = [data.draw(random_case(word)) for word in shuffled]
    assert parse(cased, vocabulary) == expected
    gaps = [data.draw(whitespace) for _ in cased]
    assert parse("".join(g + w for g, w in zip(gaps, cased, strict=True)), vocabulary) == expected


def test_an_error_never_echoes_a_flood_of_input() -> None:
    """A message quotes at most a few words, each shortened, and counts the rest."""
    result = parse("x " * 300_000 + "y" * 5_000, SHIPPED)
    assert isinstance(result, GrammarError)
    assert len(result.message) < 400
    assert "more" in result.message


# --- draft and drafts --------------------------------------------------------------------

CTO_M2_OKR = FrameRequest(family="clinical-trials-ops", level="M2",
                          frameworks=(Framework.OKR,), framework_given=True)


@pytest.mark.parametrize("words", ["draft M2 clinical-trials-ops okr", "M2 DRAFT cto OKRs",
                                   "okr cto m2 Draft", "draft draft M2 cto okr"])
def test_draft_takes_one_frame_in_any_order(words: str) -> None:
    result = parse(words, SHIPPED)
    assert result == DraftRequest(CTO_M2_OKR)
    assert isinstance(result, DraftRequest) and result.framework is Framework.OKR


@pytest.mark.parametrize(("words", "says", "example"), [
    ("draft M2 cto", "one framework", "draft M2 clinical-trials-ops okr"),
    ("draft M2 cto all", "one framework", "draft M2 clinical-trials-ops okr"),
    ("draft", "needs a level, a job family and one framework", "draft M4 clinical-project-management okr"),
    ("draft list", "needs a level, a job family and one framework", "draft M4 clinical-project-management okr"),
    ("draft M3 cto okr", 'Unknown level "M3"', "draft M4 clinical-project-management okr"),
    ("drafts M2", 'drafts takes no other words, but got "M2"', "drafts"),
])
def test_draft_errors_say_what_is_missing_and_give_a_draft_that_works(words: str, says: str, example: str) -> None:
    error = expect_error(words)
    assert says in error.message
    assert error.example == example
    assert isinstance(parse(example, SHIPPED), DraftRequest | DraftsRequest)


def test_drafts_alone_lists_the_persons_drafts() -> None:
    assert parse("drafts", SHIPPED) == DraftsRequest()
    assert parse("DRAFTS", SHIPPED) == DraftsRequest()


def test_reviews_alone_lists_what_was_sent_to_the_person() -> None:
    assert parse("reviews", SHIPPED) == ReviewsRequest()
    assert parse("  Reviews ", SHIPPED) == ReviewsRequest()


@pytest.mark.parametrize("words", ["reviews M2", "reviews export --reviewer U1"])
def test_reviews_takes_no_other_words_and_suggests_itself(words: str) -> None:
    error = expect_error(words)
    assert error.message.startswith("reviews takes no other words, but got ")
    assert error.example == "reviews" and parse(error.example, SHIPPED) == ReviewsRequest()
    assert error.suggestions == (Suggestion("reviews", "reviews"),)


def test_a_mistyped_reviews_is_corrected_to_it() -> None:
    error = expect_error("reveiws")
    assert error.example == "reviews" and error.suggestions == (Suggestion("reviews", "reviews"),)
    assert error.message.startswith('I don\'t understand "reveiws". Did you mean "reviews"?')


def test_help_names_reviews_in_slack_and_the_export_in_a_terminal() -> None:
    assert "\n  /goals reviews" in help_text(SHIPPED, "/goals", terminal=False)
    terminal = help_text(SHIPPED, "goals", terminal=True)
    assert "goals reviews export --reviewer USER_ID [--team TEAM_ID] [--csv]" in terminal


# Words people use: titles and names wherever codes and slugs work ---------------------------------

@pytest.mark.parametrize("words, expected", [
    ("Director cto okr", ("clinical-trials-ops", "M4", (Framework.OKR,))),
    ("director CTO OKR", ("clinical-trials-ops", "M4", (Framework.OKR,))),
    ("manager ii clinical trials operations smart", ("clinical-trials-ops", "M2", (Framework.SMART,))),
    ("MBO Clinical Project Management director", ("clinical-project-management", "M4", (Framework.MBO,))),
    ("Manager   II  cto okr", ("clinical-trials-ops", "M2", (Framework.OKR,))),  # spacing as typed
])
def test_level_titles_and_family_names_work_wherever_codes_do(words: str, expected: tuple[object, ...]) -> None:
    request = parse(words, SHIPPED)
    assert isinstance(request, FrameRequest)
    assert (request.family, request.level, request.frameworks) == expected


def test_titles_work_in_comparisons_and_drafts_too() -> None:
    compared = parse("compare Manager II Director cto", SHIPPED)
    assert isinstance(compared, CompareRequest)
    assert (compared.lower.level, compared.higher.level) == ("M2", "M4")
    drafted = parse("draft Director Clinical Trials Operations okr", SHIPPED)
    assert isinstance(drafted, DraftRequest) and drafted.frame.level == "M4"


def test_a_title_two_levels_share_or_a_code_already_says_names_nothing() -> None:
    vocabulary = Vocabulary(
        levels=(LevelEntry("L1", "Lead", 0), LevelEntry("L2", "Lead", 0), LevelEntry("L3", "cto", 0)),
        families=(FamilyEntry("widgets", "Widgets", "Making", ("cto",), ("L1", "L2", "L3")),))
    assert vocabulary.level("lead") is None  # two levels are called that: neither is guessed
    assert vocabulary.level("cto") is None and vocabulary.family("cto") is not None  # the alias wins
    assert vocabulary.family("widgets") is not None and vocabulary.level("L3") is not None


@pytest.mark.parametrize("words, example", [
    ("M2 clinical-trial-ops okr", "M2 clinical-trials-ops okr"),
    ("M2 cto okrz", "M2 cto okr"),
    ("draftss", "drafts"),  # a subcommand, not an unknown family
    ("lst", "list"),
])
def test_one_mistyped_word_gets_what_was_typed_corrected_as_the_example(words: str, example: str) -> None:
    error = parse(words, SHIPPED)
    assert isinstance(error, GrammarError) and error.example == example
    assert not isinstance(parse(error.example, SHIPPED), GrammarError)  # the example works


def test_a_subcommand_typo_is_not_called_an_unknown_family() -> None:
    error = parse("draftss", SHIPPED)
    assert isinstance(error, GrammarError)
    assert error.message.startswith('I don\'t understand "draftss". Did you mean "drafts"?')


def test_two_unknown_words_or_no_close_one_keep_the_canons_example() -> None:
    for words in ("M2 clinical-trial-ops okrz", "M2 cto bananas", "HL"):  # "HL": close to help, no example
        error = parse(words, SHIPPED)
        assert isinstance(error, GrammarError) and error.example == example_words(SHIPPED)


# Suggestions: every "Did you mean", every "it has", as words that run ------------------------------

@pytest.mark.parametrize("words, suggestions", [
    ("M2 clinical-trails-ops okr", [("clinical-trials-ops", "M2 clinical-trials-ops okr")]),
    ("M2 cto okrz", [("okr", "M2 cto okr")]),
    ("draftss", [("drafts", "drafts")]),
    ("lst", [("list", "list")]),
    ("hlep", [("help", "help")]),
    ("M2 cpm okr", [("M4", "M4 cpm okr")]),  # the levels the family has
    ("Manager II cpm okr", [("M4", "M4 cpm okr")]),  # a title is replaced by a code
    ("cto okr", [("M2", "M2 cto okr"), ("M4", "M4 cto okr")]),
    ("M2 okr", [("clinical-trials-ops", "M2 okr clinical-trials-ops")]),  # only cto has M2
    ("M2 M4 cto", [("M2", "M2 cto"), ("M4", "M4 cto")]),
    ("M2 cto okr smart", [("okr", "M2 cto okr"), ("smart", "M2 cto smart")]),
    ("list foo", [("list", "list")]),
    ("drafts M2", [("drafts", "drafts")]),
    ("draft M2 cto", [(fw, f"draft M2 cto {fw}") for fw in ("smart", "okr", "mbo", "scorecard")]),
    ("draft M2 cpm okr", [("M4", "draft M4 cpm okr")]),
    ("draft M2 ctoo okr", [("cto", "draft M2 cto okr")]),
    ("compare M2 cto", [("M4", "compare M2 cto M4")]),
    ("compare M2 M4 ctoo", [("cto", "compare M2 M4 cto")]),
    ("M2 clinical-trial-ops okrz", [("clinical-trials-ops, okr", "M2 clinical-trials-ops okr")]),
    # corrected, then still without the level: what that error suggests, named with the correction
    ("M2 clinical-project-mgmt okr", [("clinical-project-management M4", "M4 clinical-project-management okr")]),
])
def test_an_error_suggests_words_that_run(words: str, suggestions: list[tuple[str, str]]) -> None:
    error = expect_error(words)
    assert error.suggestions == tuple(Suggestion(label, run) for label, run in suggestions)
    check_suggestions(error, SHIPPED)


def test_suggestions_keep_the_message_as_it_was() -> None:
    error = expect_error("M2 cpm okr")
    assert error.message == "Clinical Project Management has no canon for M2; it has M4."
    assert error.example == "M4 clinical-project-management okr"


def test_no_close_word_suggests_nothing() -> None:
    for words in ("M2 cto bananas", "canon check", "x " * 50):
        assert expect_error(words).suggestions == ()


def test_a_family_with_many_levels_suggests_a_few() -> None:
    codes = [f"L{n}" for n in range(1, 9)]
    vocabulary = Vocabulary(levels=tuple(LevelEntry(code, f"Title {code}", 1) for code in codes),
                            families=(FamilyEntry("widgets", "Widgets", "Making", (), tuple(codes[1:])),))
    error = expect_error("widgets okr", vocabulary)
    assert [s.label for s in error.suggestions] == codes[1:1 + SUGGESTIONS_MAX]
    assert [s.label for s in expect_error("L1 widgets", vocabulary).suggestions] == codes[1:1 + SUGGESTIONS_MAX]


def test_a_suggestion_never_carries_a_flood_of_input() -> None:
    error = expect_error("okr " * 200 + "M2 ctoo")
    assert error.suggestions == ()  # the corrected words would be too long to carry
    check_suggestions(expect_error("M2 " + "z" * 5_000), SHIPPED)


# One mistyped word of a request that works: over every typo of that kind, each suggestion
# runs, and a "Did you mean" always comes with one. Deterministic: the typos are enumerated.

def _typos(word: str) -> list[str]:
    found = set()
    for i in range(len(word)):
        found.add(word[:i] + word[i + 1:])  # a letter left out
        if i + 1 < len(word):
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])  # two swapped
        for letter in "aez":
            found.add(word[:i] + letter + word[i + 1:])  # one wrong
            found.add(word[:i] + letter + word[i:])  # one too many
    found.discard(word)
    return sorted(found)


WORKING_WORDS = [
    (SHIPPED, "M2 clinical-trials-ops okr"),
    (SHIPPED, "M4 clinical-project-management smart"),
    (SHIPPED, "draft M2 cto scorecard"),
    (SHIPPED, "compare M2 M4 clinical-trials-ops mbo"),
    (SHIPPED, "drafts"),
    (SHIPPED, "list"),
    (SMALL, "L2 widgets smart"),
    (SMALL, "L3 gadget-repair mbo"),
]
TYPO_CASES = [(vocabulary, " ".join([*words.split()[:i], typo, *words.split()[i + 1:]]), words)
              for vocabulary, words in WORKING_WORDS
              for i, word in enumerate(words.split()) for typo in _typos(word)]


def test_every_suggestion_for_a_mistyped_word_runs() -> None:
    corrected = 0
    for vocabulary, words, meant in TYPO_CASES:
        result = parse(words, vocabulary)
        if not isinstance(result, GrammarError):
            continue  # some typos are other words ("M4" for "M2")
        check_suggestions(result, vocabulary)
        if "Did you mean" in result.message:
            assert result.suggestions, words
            corrected += parse(result.suggestions[0].words, vocabulary) == parse(meant, vocabulary)
    assert corrected > len(TYPO_CASES) // 2  # most typos get back what was meant, first


@settings(max_examples=300, deadline=None, derandomize=True)
@given(case=st.sampled_from(TYPO_CASES), extra=st.lists(st.sampled_from(KNOWN_WORDS), max_size=3))
def test_suggestions_run_whatever_else_was_typed(case: tuple[Vocabulary, str, str], extra: list[str]) -> None:
    vocabulary, words, _ = case
    check_result(parse([*words.split(), *extra], vocabulary), vocabulary)
