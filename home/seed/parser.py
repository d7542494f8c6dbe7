"""Reads the seed page text into the structure the site's pages are built from.

The seed is the public page as SKR published it: paragraphs separated by blank
lines, headings on lines of their own. The parser keys on the page's own wording
("följande teman:", "Informationsansvarig", …) so that a corrected sentence in the
text flows into the site, and fails loudly when the text no longer has that shape.
The privacy and accessibility texts, which SKR's page does not have, lie beside it
as HTML.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SEED_FILE = DATA_DIR / "om-toppolitikerprogrammen.txt"

SWEDISH_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ],
        start=1,
    )
}

# The seed calls the continuation both "Toppledarprogrammet - Fortsättning" and
# "Toppolitikerprogrammet - Fortsättning"; the site uses the latter, with a dash.
PROGRAM_TITLES = {
    "Toppledarprogrammet - Fortsättning": "Toppolitikerprogrammet – Fortsättning",
    "Toppolitikerprogrammet - Fortsättning": "Toppolitikerprogrammet – Fortsättning",
}


class SeedFormatError(ValueError):
    """The seed text no longer has the shape this parser knows."""


@dataclass
class SeedTheme:
    title: str
    description: str


@dataclass
class SeedProgram:
    title: str
    lead: str
    goal: str
    audience: str
    duration_months: int
    duration_text: str
    themes_intro: str
    themes: list[SeedTheme] = field(default_factory=list)


@dataclass
class SeedFormat:
    sessions: int
    venue: str
    start_time: datetime.time
    end_time: datetime.time
    end_time_is_approximate: bool
    evening_activity: bool


@dataclass
class SeedContact:
    name: str
    job_title: str


@dataclass
class SeedInterestForm:
    title: str
    intro: list[str]
    choice_label: str


@dataclass
class SeedContent:
    published: datetime.date
    title: str
    intro: str
    audience: str
    approach: str
    program_format: SeedFormat
    programs: list[SeedProgram]
    change_note: str
    interest_form: SeedInterestForm
    contacts: list[SeedContact]
    contact_form_title: str
    contact_form_name: str
    verification_label: str
    verification_help: str


def _paragraphs(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _time(text: str) -> datetime.time:
    hours, minutes = text.split(".")
    return datetime.time(int(hours), int(minutes))


def _published(paragraph: str) -> datetime.date:
    match = re.fullmatch(r"Publicerad (\d{1,2}) (\w+) (\d{4})", paragraph)
    if not match or match[2] not in SWEDISH_MONTHS:
        raise SeedFormatError(f"Väntade 'Publicerad <datum>', fick {paragraph!r}.")
    return datetime.date(int(match[3]), SWEDISH_MONTHS[match[2]], int(match[1]))


def _program_format(paragraph: str) -> SeedFormat:
    match = re.search(
        r"vid (\d+) tillfällen på (.+?)\. Vi börjar (\d{1,2}\.\d{2}) dag 1 "
        r"och slutar (ca )?(\d{1,2}\.\d{2}) dag 2(, kvällsaktivitet ingår)?",
        paragraph,
    )
    if not match:
        raise SeedFormatError(f"Hittade inte de praktiska uppgifterna i {paragraph!r}.")
    return SeedFormat(
        sessions=int(match[1]),
        venue=match[2],
        start_time=_time(match[3]),
        end_time=_time(match[5]),
        end_time_is_approximate=bool(match[4]),
        evening_activity=bool(match[6]),
    )


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.:])\s+", paragraph) if s.strip()]


def _program(title: str, paragraph: str, default_audience: str) -> SeedProgram:
    """Split a programme's opening paragraph into lead, goal, audience and duration."""
    duration = re.search(r"pågår under ((?:drygt |ca )?(\d+) månader)", paragraph)
    if not duration:
        raise SeedFormatError(f"Hittade ingen längd för {title!r}.")
    sentences = _sentences(paragraph)
    # The sentence that introduces the themes; the continuation's also gives its
    # duration ("Programmet pågår under drygt 7 månader, och innehåller …").
    themes_intro = next((s for s in sentences if s.endswith("teman:")), "")
    sentences = [s for s in sentences if s != themes_intro]
    # A goal of its own only when the paragraph gives it a sentence of its own:
    # Toppolitikerprogrammet's ("… med målet att …") is part of its lead, and
    # made into a goal too it was shown twice, as the lead and under "Mål".
    goal = next((s for s in sentences if s.startswith("Målet")), "")
    audience = re.search(r"avsedd för dig som (.+?)\.", paragraph)
    lead = " ".join(s for s in sentences if s != goal and "pågår under" not in s)
    return SeedProgram(
        title=PROGRAM_TITLES.get(title, title),
        lead=lead or sentences[0],
        goal=goal,
        audience=f"Dig som {audience[1]}." if audience else default_audience,
        duration_months=int(duration[2]),
        duration_text=duration[1],
        themes_intro=themes_intro,
    )


def parse(text: str) -> SeedContent:
    paragraphs = _paragraphs(text)
    try:
        published, title, intro, approach, facts = paragraphs[:5]
        change_at = next(
            i for i, p in enumerate(paragraphs) if p.startswith("Innehållet kan")
        )
        interest_at = next(
            i for i, p in enumerate(paragraphs) if p.startswith("Intresseanmälan")
        )
        owner_at = paragraphs.index("Informationsansvarig")
        contact_at = paragraphs.index("Kontakta oss")
    except (ValueError, StopIteration) as error:
        raise SeedFormatError(
            "Seedtexten saknar en väntad rubrik eller stycke."
        ) from error

    roles = re.search(r"för dig som är (.+?)\.", intro)
    default_audience = f"Dig som är {roles[1]}." if roles else ""
    programs, current = [], None
    body = paragraphs[5:change_at]
    index = 0
    while index < len(body) - 1:
        heading, paragraph = body[index], body[index + 1]
        if paragraph.endswith("teman:"):
            current = _program(heading, paragraph, default_audience)
            programs.append(current)
        elif current is None:
            raise SeedFormatError(f"Tema {heading!r} står före något program.")
        else:
            current.themes.append(SeedTheme(title=heading, description=paragraph))
        index += 2

    form_lines = [
        line.strip()
        for line in "\n".join(paragraphs[interest_at + 3 : owner_at]).splitlines()
    ]
    choice_label = next(line for line in form_lines if line.startswith("Jag är"))
    choice_label = choice_label.split(":")[0] + ":"
    verification = re.search(r"(Verifiering)\W", paragraphs[interest_at + 3])
    help_line = next(line for line in form_lines if line.startswith("Vi kontrollerar"))

    contacts = []
    for block in paragraphs[owner_at + 1 : contact_at]:
        lines = [
            line.strip(" •\t") for line in block.splitlines() if line.strip(" •\t")
        ]
        contacts.append(
            SeedContact(name=lines[0], job_title=lines[1] if len(lines) > 1 else "")
        )

    return SeedContent(
        published=_published(published),
        title=title,
        intro=intro,
        audience=default_audience,
        approach=approach,
        program_format=_program_format(facts),
        programs=programs,
        change_note=paragraphs[change_at],
        interest_form=SeedInterestForm(
            title=paragraphs[interest_at],
            intro=paragraphs[interest_at + 1 : interest_at + 3],
            choice_label=choice_label,
        ),
        contacts=contacts,
        contact_form_title=paragraphs[contact_at],
        contact_form_name=paragraphs[contact_at + 1].splitlines()[0].strip(),
        verification_label=verification[1] if verification else "Verifiering",
        verification_help=help_line,
    )


def load(path: str | Path = SEED_FILE) -> SeedContent:
    return parse(Path(path).read_text(encoding="utf-8"))


def read_html(name: str) -> str:
    """The body of a seeded text page, from ``data/<name>.html``."""
    return (DATA_DIR / f"{name}.html").read_text(encoding="utf-8").rstrip("\n")
