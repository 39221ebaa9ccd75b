"""Help, the family list and error answers, as plain text for the CLI and for Slack.

`prog` is how the person invokes Goals where they are: `goals` in a terminal, `/goals` in
Slack; examples are built from the loaded canon so they always work.
"""

from __future__ import annotations

from bot.canon.repository import Vocabulary
from bot.grammar.requests import FRAMEWORK_CHOICES, REVIEWS_WORD, GrammarError, compare_example, example_words


def help_text(vocabulary: Vocabulary, prog: str, terminal: bool) -> str:
    example = example_words(vocabulary)
    families = [f for f in vocabulary.families if f.level_codes]
    examples = [f"{prog} {example}"]
    if families:
        other = families[-1]
        short = other.aliases[0] if other.aliases else other.slug
        examples += [f"{prog} {short.upper()} smart {other.level_codes[-1].lower()}",
                     f"{prog} {other.level_codes[-1]} {short}"]
    comparison = compare_example(vocabulary)
    if comparison.startswith("compare "):
        examples.append(f"{prog} {comparison}")
    examples.append(f"{prog} list")
    if terminal:
        examples.append(f"{prog} canon check [DIR]")
    lines = [
        "Goals turns the job architecture (the canon) into goal templates: SMART goals, "
        "OKRs, MBO areas and a Scorecard. Every line is canon text or a fixed template "
        "around it; ⟨baseline⟩, ⟨target⟩ and ⟨date⟩ are yours to fill in.",
        "",
        f"Usage: {prog} LEVEL FAMILY [FRAMEWORK]",
        f"       {prog} compare LEVEL LEVEL FAMILY [FAMILY] [FRAMEWORK]",
        f"  LEVEL      a level code or title: {', '.join(vocabulary.level_codes) or 'none'}",
        "  FAMILY     a job family's slug, alias or name (see list)",
        f"  FRAMEWORK  {FRAMEWORK_CHOICES} (no framework: all four)",
        "Words go in any order and any case. compare shows two levels side by side and a stretch",
        "frame: the higher level's frame (okr if no framework) for someone at the lower one.",
        "",
        "Examples:",
        *(f"  {example}" for example in examples),
    ]
    if terminal:
        lines += ["", "canon check validates a canon directory (default: GOALS_CANON_DIR, "
                      "else the shipped canon/).",
                  f"{prog} store check | migrate | copy --from DIR_OR_URL --to DIR_OR_URL works on the "
                  "store DATABASE_URL or GOALS_DATA_DIR names.",
                  f"{prog} reviews export --reviewer USER_ID [--team TEAM_ID] [--csv] writes, as CSV, every "
                  "draft sent to that reviewer, one row per placeholder (that store too).",
                  f"{prog} remind [--now ISO-8601] sends the reminders due now (or then) once, as the "
                  "running app does every minute (for a cron; it needs goals-bot's settings)."]
    elif families:
        lines += ["", "Drafts: fill in ⟨baseline⟩, ⟨target⟩ and ⟨date⟩ for yourself, privately. "
                      "Click Draft targets on any frame, or:",
                  f"  {prog} draft {example}",
                  "Your drafts (each also lives in your DM with Goals):",
                  f"  {prog} drafts",
                  "The drafts people sent you for review:",
                  f"  {prog} {REVIEWS_WORD}"]
    return "\n".join(lines)


def list_text(vocabulary: Vocabulary) -> str:
    lines = ["Job families (slug, aliases: levels with canon):"]
    for family in vocabulary.families:
        aliases = f" ({', '.join(family.aliases)})" if family.aliases else ""
        levels = ", ".join(family.level_codes) or "no levels yet"
        lines.append(f"  {family.slug}{aliases}: {levels} — {family.name} · {family.function}")
    lines += ["", "Levels:"]
    lines += [f"  {level.code} — {level.title} ({level.dimension_count} level dimensions)"
              for level in vocabulary.levels]
    return "\n".join(lines)


def error_text(error: GrammarError, prog: str) -> str:
    return f"{error.message}\nTry: {prog} {error.example}"
