"""Copy as text on any size, as a property: for generated texts and generated canons (long
levels, long lines), the Slack copy holds every line of the text form whole and in order (a
line longer than a block holds is the only one cut, its pieces in order and nothing lost),
and every block and message stays within Slack's limits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.canon.model import Family, Level
from bot.frames.build import build_frame
from bot.frames.frameworks import ALL_FRAMEWORKS
from bot.frames.text import render_frame
from bot.slack.shared.layout import text_messages
from bot.slack.shared.limits import MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX
from bot.slack.shared.text import escaped_length
from support.block_texts import copied_lines, texts

WORDS = st.text(alphabet=st.sampled_from("abcdefgh ijklmn&<>—é,.;:()'\""), min_size=1, max_size=40)


def assert_copied_whole(text: str) -> None:
    messages = [message.as_kwargs() for message in text_messages(text, title="Copy as text")]
    for message in messages:
        assert len(message["blocks"]) <= MESSAGE_BLOCKS_MAX
        assert all(len(shown) <= SECTION_TEXT_MAX for shown in texts(message["blocks"]))
    read = copied_lines(messages)
    at = 0
    for line in text.split("\n"):
        if escaped_length(line) <= SECTION_TEXT_MAX:
            assert read[at] == line, f"line {line[:60]!r} not whole at block line {at}"
            at += 1
            continue
        joined = ""  # a line too long for one block: its pieces, in order, nothing lost
        while joined != line:
            assert line.startswith(joined + read[at])
            joined += read[at]
            at += 1
    assert at == len(read)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(st.just(""), WORDS, st.lists(WORDS, min_size=20, max_size=200).map(" ".join),
                                st.integers(2990, 7000).map(lambda n: ("word & " * n)[:n])),
                      min_size=1, max_size=120).filter(lambda lines: any(line.strip() for line in lines)))
def test_any_text_is_copied_with_every_line_whole_and_in_order(lines: list[str]) -> None:
    assert_copied_whole("\n".join(lines))


SENTENCE = st.lists(WORDS, min_size=1, max_size=400).map(lambda words: " ".join(words).strip() or "Leads")
# Long text, cheaply: a drawn phrase repeated to a drawn length (up to past a block's size).
LONG_SENTENCE = st.tuples(WORDS, st.integers(100, 3200)).map(
    lambda drawn: (f"Leads {drawn[0].strip() or 'x'} & " * 400)[:drawn[1]].strip())


@st.composite
def canons(draw: st.DrawFn) -> tuple[Family, Level]:
    # Long levels: enough text that a frame needs many blocks, and lines near a block's size.
    responsibilities = draw(st.lists(LONG_SENTENCE, min_size=20, max_size=40))
    dimensions = draw(st.lists(st.tuples(WORDS, LONG_SENTENCE), min_size=0, max_size=12))
    level = Level(code="L1", title="Level One",
                  dimensions=[{"name": f"Dimension {i}: {name.strip() or 'x'}", "text": text}
                              for i, (name, text) in enumerate(dimensions)])
    family = Family(slug="generated", name="Generated & Co", function="F", levels={"L1": {
        "responsibilities": responsibilities,
        "rubrics": {"complexity": draw(LONG_SENTENCE), "knowledge_application": draw(LONG_SENTENCE)}}})
    return family, level


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(canon=canons())
def test_a_generated_canon_is_copied_whole_in_every_framework(canon: tuple[Family, Level]) -> None:
    family, level = canon
    for framework in ALL_FRAMEWORKS:
        assert_copied_whole(render_frame(build_frame(framework, family, level)))
