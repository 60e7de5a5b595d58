"""Write a synthetic corpus of programmes shaped like the real one; every invented name says so."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from itertools import product
from pathlib import Path
from typing import Any

from confgraph.errors import ConfgraphError
from confgraph.starter import template_file

# The table of countries shipped with confgraph (the one `confgraph init` writes).
COUNTRIES_CSV = "reference/countries.csv"
MARK = "(synthetic)"
# How many of each a meeting has; tuned so that 750 meetings give about a million triples.
SHAPE = {"floor countries": 18, "floor organisations": 16, "input countries": 4,
         "input organisations": 10, "side event speakers": 3}  # fmt: skip
FIRST_DAY = dt.date(2001, 1, 1)  # a Monday; meeting i starts i weeks later
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
GROUPS = {"member-states": "Member States", "stakeholders": "Stakeholders",
          "other-inputs": "Other inputs"}  # fmt: skip
LANGUAGES = (("en", "English"), ("fr", "French"), ("es", "Spanish"), ("ar", "Arabic"))
# Real IANA zones with a country code they belong to; the cities at them are invented.
ZONES = (("AUT", "Europe/Vienna"), ("CHE", "Europe/Zurich"), ("USA", "America/New_York"),
         ("KEN", "Africa/Nairobi"), ("THA", "Asia/Bangkok"), ("CHL", "America/Santiago"),
         ("MAR", "Africa/Casablanca"), ("DEU", "Europe/Berlin"), ("ETH", "Africa/Addis_Ababa"),
         ("MEX", "America/Mexico_City"), ("JPN", "Asia/Tokyo"), ("QAT", "Asia/Qatar"))  # fmt: skip
FIRST_NAMES = ("Amara", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiroshi", "Ines",
               "Jonas", "Kalinda", "Lucas", "Mei", "Nadia", "Omar", "Paula", "Quentin", "Rosa",
               "Samir", "Tove", "Uma", "Viktor", "Wanjiru", "Ximena", "Yusuf", "Zofia", "Arjun",
               "Beatriz", "Chidi", "Daria", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Julia",
               "Kofi", "Leila", "Mateo", "Nour")  # fmt: skip
LAST_NAMES = ("Abara", "Berglund", "Castellano", "Dufresne", "Eriksen", "Fontaine", "Garamond",
              "Halvorsen", "Ibarra", "Jankowski", "Kovalenko", "Lindqvist", "Moravec", "Nakamura",
              "Okonkwo", "Petrescu", "Quiroga", "Rasmussen", "Sandoval", "Takahashi", "Umarov",
              "Valdivia", "Wojcik", "Xavier", "Yilmaz", "Zelenko", "Achebe", "Borowski", "Cardenas",
              "Demir", "Esposito", "Ferreira", "Gashi", "Haddad", "Iversen", "Jovanovic", "Kamara",
              "Lombardi", "Mensah", "Novak")  # fmt: skip
HONORIFICS = ("Ms.", "Mr.", "Dr.", "Prof.")
JOB_TITLES = ("Director", "Senior Research Fellow", "Programme Officer", "Policy Adviser",
              "Head of Research", "Legal Officer", "Executive Director", "Project Coordinator",
              "Professor of Law", "Chief of Section", "Senior Adviser", "Researcher")  # fmt: skip
REGIONS = ("Northern", "Southern", "Eastern", "Western", "Central", "Coastal", "Highland",
           "Riverside", "Island", "Desert", "Valley", "Metropolitan")  # fmt: skip
KINDS = ("Institute", "Alliance", "Network", "Foundation", "Council", "Centre", "Association",
         "Coalition", "Observatory", "Forum")  # fmt: skip
FIELDS = ("Migration Research", "Migrant Rights", "Labour Mobility", "Refugee Protection",
          "Human Security", "Border Studies", "Diaspora Affairs", "Child Protection",
          "Remittances", "Climate Mobility", "Decent Work", "Integration Policy",
          "Humanitarian Action", "Legal Aid", "Data and Statistics")  # fmt: skip
TOPICS = ("regular pathways for migration", "the protection of migrants in vulnerable situations",
          "labour migration and decent work", "climate change and human mobility",
          "the contributions of diasporas", "return, readmission and reintegration",
          "data for evidence-based policy", "the rights of migrant children",
          "remittances and financial inclusion", "border governance and human rights",
          "smuggling of migrants", "trafficking in persons", "social cohesion and inclusion",
          "consular protection and assistance", "skills recognition and mobility")  # fmt: skip
SENTENCES = (
    "This panel will examine actions taken and gaps in responses to {topic}.",
    "Panelists will discuss the range of stakeholders involved in {other}, from local "
    "authorities to international organisations and civil society.",
    "It will consider national and cross-border coordination and cooperation on {topic}, "
    "including between State and non-State actors.",
    "The discussion will address the challenges and opportunities of a framework that seeks "
    "to advance {other} while protecting the rights of everyone concerned.",
    "Speakers will highlight concrete examples of practice on {topic} and the roles that "
    "various actors play in them.",
    "The panel will review the data, indicators and evaluation methods available on {other} "
    "and where they fall short.",
    "Particular attention will be given to women, children and older persons and to their "
    "access to services, information and justice.",
    "Participants are invited to share lessons learned and recommendations that could inform "
    "the commitments under discussion on {topic}.",
)


class GenerateError(ConfgraphError):
    """The output directory cannot take a generated corpus."""


@dataclass(frozen=True)
class Pools:
    """What every meeting draws from, so that agents recur across meetings."""

    countries: dict[str, tuple[str, str]]  # code -> (name, an alias or "")
    organisations: dict[str, dict[str, Any]]
    people: dict[str, dict[str, Any]]
    venues: tuple[dict[str, str], ...]
    regulars: tuple[str, ...]  # co-facilitators: meeting i has regulars i and i+1

    def name_of(self, ref: str) -> str:
        """Return the name of a country code or organisation key."""
        if ref in self.countries:
            return self.countries[ref][0]
        return self.organisations[ref]["name"]


def generate_corpus(meetings: int, out: Path, seed: int = 1) -> list[Path]:
    """Write N synthetic programmes with their registries under OUT; return the files."""
    _check_empty(out)
    countries = read_countries(template_file(COUNTRIES_CSV))
    pools = make_pools(random.Random(f"{seed}-pools"), countries, meetings)
    (out / "programmes").mkdir(parents=True)
    (out / "reference").mkdir()
    (out / "reference" / "countries.csv").write_bytes(template_file(COUNTRIES_CSV).read_bytes())
    header = f"Synthetic data written by `confgraph generate --meetings {meetings} --seed {seed}`"
    _write_yaml(out / "organisations.yaml", pools.organisations, header)
    _write_yaml(out / "dataset.yaml", synthetic_metadata(meetings, seed), header)
    files = []
    for index in range(meetings):
        programme = make_programme(random.Random(f"{seed}-meeting-{index}"), pools, index)
        path = out / "programmes" / f"{programme['meeting']['key']}.yaml"
        _write_yaml(path, programme, header)
        files.append(path)
    return files


def synthetic_metadata(meetings: int, seed: int) -> dict[str, Any]:
    """Return the dataset.yaml of a synthetic corpus: it says that it is one."""
    return {
        "title": f"Synthetic programmes: {meetings} meetings, seed {seed}",
        "description": "Programmes written by `confgraph generate` to measure with; "
        "every name of a person, organisation, city and meeting in them is invented.",
        "licence": "CC0-1.0",
        "publisher": {"name": "confgraph generate"},
        "keywords": ["synthetic data"],
    }


def _check_empty(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GenerateError(f"{out}: not an empty directory; choose a new one for the corpus")


def read_countries(path: Path | Traversable) -> dict[str, tuple[str, str]]:
    """Return the real ISO 3166-1 table as code -> (name, first alias or "")."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["iso_alpha3"]: (row["name"], (row.get("aliases") or "").split("|")[0].strip())
        for row in rows
    }


def make_pools(rng: random.Random, countries: dict[str, tuple[str, str]], meetings: int) -> Pools:
    """Draw the organisations, people and venues shared by all meetings."""
    organisations = make_organisations(rng, countries, 40 + 2 * meetings)
    people = make_people(rng, countries, organisations, 30 + 6 * meetings)
    venues = make_venues(rng, 2 + meetings // 10)
    regulars = tuple(list(people)[: max(3, meetings // 20)])
    return Pools(countries, organisations, people, venues, regulars)


def make_organisations(
    rng: random.Random, countries: dict[str, tuple[str, str]], count: int
) -> dict[str, dict[str, Any]]:
    """Return invented organisations, a few part of another, some tied to a real country."""
    combos = list(product(REGIONS, KINDS, FIELDS))
    organisations: dict[str, dict[str, Any]] = {}
    for region, kind, field in rng.sample(combos, min(count, len(combos))):
        name = f"Synthetic {region} {kind} for {field}"
        entry: dict[str, Any] = {"name": name}
        if rng.random() < 0.5:
            entry["acronym"] = "S" + "".join(w[0] for w in f"{region} {kind} {field}".split())
        if rng.random() < 0.4:
            entry["country"] = rng.choice(sorted(countries))
        if organisations and rng.random() < 0.15:
            entry["part_of"] = rng.choice(list(organisations))
        if rng.random() < 0.2:
            entry["alt_labels"] = [f"{region} {kind} on {field} {MARK}"]
        organisations[slug(name)] = entry
    return organisations


def make_people(
    rng: random.Random,
    countries: dict[str, tuple[str, str]],
    organisations: dict[str, dict[str, Any]],
    count: int,
) -> dict[str, dict[str, Any]]:
    """Return invented people; one in five is a diplomat affiliated with a real country."""
    names = rng.sample(list(product(FIRST_NAMES, "ABCDEFGHJKLMNPRSTVW", LAST_NAMES)), count)
    people = {}
    for first, initial, last in names:
        name = f"{first} {initial}. {last} {MARK}"
        if rng.random() < 0.2:
            code = rng.choice(sorted(countries))
            title = f"Permanent Representative of {countries[code][0]} to the United Nations"
            person = {"honorific": f"H.E. {rng.choice(('Ms.', 'Mr.'))}", "job_title": title}
            person["affiliations"] = [code]
        else:
            person = {"honorific": rng.choice(HONORIFICS), "job_title": rng.choice(JOB_TITLES)}
            person["affiliations"] = rng.sample(list(organisations), rng.choice((1, 1, 1, 2)))
        people[slug(f"{first} {initial} {last}")] = {"name": name, **person}
    return people


def make_venues(rng: random.Random, count: int) -> tuple[dict[str, str], ...]:
    """Return invented venues in invented cities, each at a real time zone and country."""
    venues = []
    for number in range(1, count + 1):
        country, zone = rng.choice(ZONES)
        name = f"Synthetic Conference Centre {number}"
        city = f"Synthetic City {number}"
        venue = {"key": slug(name), "name": name, "city": city, "country": country}
        venues.append({**venue, "timezone": zone})
    return tuple(venues)


def make_programme(rng: random.Random, pools: Pools, index: int) -> dict[str, Any]:
    """Return one two-day programme: opening, panels, side events, summary, closing."""
    first = FIRST_DAY + dt.timedelta(weeks=index)
    topics = rng.sample(TOPICS, 4)
    people: dict[str, dict[str, Any]] = {}
    days = make_days(rng, pools, index, first, topics, people)
    statements, aliases = make_statements(rng, pools, ("panel-1", "panel-2", "panel-3"))
    inputs = make_inputs(rng, pools, aliases)
    venue = rng.choice(pools.venues)
    meeting = {
        "key": f"{first:%Y-%m}-synthetic-session-{index + 1:04d}",
        "short_title": f"Synthetic session {index + 1}",
        "title": f"Synthetic thematic session {index + 1} on {topics[0]}",
        "series": f"Synthetic consultation process {index % 5 + 1}",
        "venue": {k: v for k, v in venue.items() if k != "timezone"},
        "room": "Synthetic Plenary Room",
        "timezone": venue["timezone"],
        "links": [f"https://example.org/synthetic/session-{index + 1}/background"],
        "days": days,
    }
    return {
        "meeting": meeting,
        "people": dict(sorted(people.items())),
        "groups": GROUPS,
        "aliases": dict(sorted(aliases.items())),
        "statements": statements,
        "inputs": inputs,
    }


def make_days(
    rng: random.Random,
    pools: Pools,
    index: int,
    first: dt.date,
    topics: list[str],
    people: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """Return the two days, recording every person they name in PEOPLE."""
    cast = Cast(rng, pools, people)
    chairs = [pools.regulars[(index + k) % len(pools.regulars)] for k in (0, 1)]
    moderators: list[str] = []
    day1 = [
        item(
            "opening",
            "opening",
            "Synthetic opening segment",
            "10:00",
            "10:15",
            "Welcoming remarks by the co-facilitators",
            cast.roles(chairs, "co-facilitator"),
        ),
        cast.panel(1, topics[1], "10:15", "13:00", moderators),
        cast.break_with_side_event(
            "day-1-lunch", f"Lunch / Space for side-events {MARK}", topics[3], 1
        ),
        cast.panel(2, topics[2], "15:00", "18:00", moderators),
    ]
    day2 = [
        cast.panel(3, topics[0], "10:00", "13:00", moderators),
        cast.break_with_side_event("day-2-side-events", f"Side-event {MARK}", topics[1], 2),
        cast.summary(moderators),
        item(
            "closing",
            "closing",
            "Synthetic closing remarks",
            "17:50",
            "18:00",
            "Closing remarks by the co-facilitators",
            cast.roles(chairs, "co-facilitator"),
        ),
    ]
    second = first + dt.timedelta(days=1)
    return [day(1, first, day1), day(2, second, day2)]


def day(number: int, date: dt.date, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a day with its heading written as the real programme writes it."""
    label = f"Day {number}: {WEEKDAYS[date.weekday()]}, {date.day} {MONTHS[date.month - 1]} "
    return {"date": date, "label": f"{label}{date.year}", "items": items}


def item(
    key: str, kind: str, title: str, start: str, end: str, text: str | None, people: list
) -> dict[str, Any]:
    """Return a programme item, leaving out empty fields."""
    entry: dict[str, Any] = {"key": key, "kind": kind, "title": title, "start": start, "end": end}
    if text:
        entry["description"] = text
    if people:
        entry["people"] = people
    return entry


class Cast:
    """Pick the people of one meeting's items from the shared pool."""

    def __init__(self, rng: random.Random, pools: Pools, people: dict[str, dict]) -> None:
        self.rng = rng
        self.pools = pools
        self.people = people
        self.keys = list(pools.people)

    def roles(self, keys: list[str], role: str, listed_as: str | None = None) -> list[dict]:
        """Return participations of KEYS in ROLE, each listed as the source would."""
        for key in keys:
            self.people[key] = self.pools.people[key]
        return [
            {"person": k, "role": role, "listed_as": listed_as or self.listing(k)} for k in keys
        ]

    def listing(self, key: str) -> str:
        """Return 'Ms. Name, Job title, Affiliation' for a person."""
        person = self.pools.people[key]
        parts = [f"{person['honorific']} {person['name']}", person["job_title"]]
        if person["affiliations"][0] not in self.pools.countries:
            parts.append(self.pools.name_of(person["affiliations"][0]))
        return ", ".join(parts)

    def panel(self, number: int, topic: str, start: str, end: str, moderators: list) -> dict:
        """Return a panel of three to six people, one or two of them moderators."""
        chosen = self.rng.sample(self.keys, self.rng.randint(3, 6))
        split = self.rng.choice((1, 2))
        chairs, speakers = chosen[:split], chosen[split:]
        moderators.extend(chairs)
        people = self.roles(speakers, "panelist") + self.roles(chairs, "moderator")
        title = f"Synthetic panel on {topic}"
        entry = item(f"panel-{number}", "panel", title, start, end, self.description(topic), people)
        return {**entry, "number": number}

    def description(self, topic: str) -> str:
        """Return about a hundred words on a topic."""
        other = self.rng.choice(TOPICS)
        sentences = self.rng.sample(SENTENCES, 6)
        return " ".join(s.format(topic=topic, other=other) for s in sentences)

    def break_with_side_event(self, key: str, title: str, topic: str, number: int) -> dict:
        """Return a two-hour break holding one side event in its own room."""
        speakers = self.roles(self.rng.sample(self.keys, SHAPE["side event speakers"]), "speaker")
        side = item(
            f"side-event-{number}",
            "side-event",
            f"Synthetic side event on {topic}",
            "13:15",
            "14:45",
            None,
            speakers,
        )
        side["room"] = f"Synthetic Room M{number}"
        side["links"] = [f"https://example.org/synthetic/side-events/{slug(topic)}"]
        return {**item(key, "break", title, "13:00", "15:00", None, []), "items": [side]}

    def summary(self, moderators: list[str]) -> dict:
        """Return the summary panel: a thematic expert and the moderators presenting."""
        expert = self.roles(self.rng.sample(self.keys, 1), "thematic-expert")
        text = "Moderators present the key recommendations resulting from their panels"
        presenters = self.roles(list(dict.fromkeys(moderators)), "presenter", text)
        title = "Synthetic synopsis of the main conclusions and outcomes"
        return item(
            "summary-panel",
            "summary-panel",
            title,
            "15:00",
            "17:50",
            f"{text}. A thematic expert gives an overview.",
            expert + presenters,
        )


def make_statements(
    rng: random.Random, pools: Pools, panels: tuple[str, ...]
) -> tuple[list[dict], dict[str, list[str]]]:
    """Return about fifty statements from the floor and the aliases their listings use."""
    aliases: dict[str, list[str]] = {}
    statements = []
    for code in sorted(rng.sample(sorted(pools.countries), SHAPE["floor countries"])):
        for at in sorted(rng.sample(panels, rng.choice((0, 1, 2, 3)))) or [None]:
            statements.append(floor(pools, [code], "member-states", at, aliases, rng))
    for key in sorted(rng.sample(list(pools.organisations), SHAPE["floor organisations"])):
        at = rng.choice((*panels, "summary-panel", None, None, None))
        statements.append(floor(pools, [key], "stakeholders", at, aliases, rng))
    statements.extend(special_statements(rng, pools))
    return statements, aliases


def floor(
    pools: Pools, by: list[str], group: str, at: str | None, aliases: dict, rng: random.Random
) -> dict[str, Any]:
    """Return one statement, listed by name (or alias) with its panel in brackets."""
    names = []
    for ref in by:
        name = _listed_name(pools, ref, rng)
        if name != pools.name_of(ref):
            aliases.setdefault(ref, [name])
        names.append(name)
    listed = " et ".join(names)
    entry: dict[str, Any] = {"by": by[0] if len(by) == 1 else by, "group": group}
    if at:
        entry["at"] = at
        listed += " (panel 4)" if at == "summary-panel" else f" ({at.replace('-', ' ')})"
    return {**entry, "listed_as": listed}


def _listed_name(pools: Pools, ref: str, rng: random.Random) -> str:
    if ref in pools.countries:
        alias = pools.countries[ref][1]
        return alias if alias and rng.random() < 0.5 else pools.countries[ref][0]
    return pools.organisations[ref].get("acronym") or pools.organisations[ref]["name"]


def special_statements(rng: random.Random, pools: Pools) -> list[dict[str, Any]]:
    """Return joint statements, language versions and statements on behalf of another."""
    orgs = rng.sample(list(pools.organisations), 8)
    codes = rng.sample(sorted(pools.countries), 2)
    result: list[dict[str, Any]] = [
        {"by": orgs[0:2], "group": "stakeholders", "listed_as": _joint(pools, orgs[0:2])},
        {"by": codes, "group": "member-states", "listed_as": _joint(pools, codes)},
    ]
    for key in orgs[2:4]:
        for language, word in rng.sample(LANGUAGES, 2):
            result.append(
                {
                    "by": key,
                    "group": "stakeholders",
                    "language": language,
                    "listed_as": f"{pools.name_of(key)} ({word})",
                }
            )
    for speaker, behalf in ((orgs[4], orgs[5]), (orgs[6], orgs[7])):
        listed = f"{pools.name_of(speaker)} pour {pools.name_of(behalf)}"
        result.append(
            {"by": speaker, "group": "stakeholders", "on_behalf_of": behalf, "listed_as": listed}
        )
    return result


def _joint(pools: Pools, refs: list[str]) -> str:
    return " et ".join(pools.name_of(ref) for ref in refs)


def make_inputs(rng: random.Random, pools: Pools, aliases: dict) -> list[dict[str, Any]]:
    """Return about fifteen written inputs by countries and organisations, one of them joint."""
    codes = sorted(rng.sample(sorted(pools.countries), SHAPE["input countries"]))
    refs = codes + rng.sample(list(pools.organisations), SHAPE["input organisations"])
    inputs = [{"by": ref, "group": "other-inputs", "listed_as": pools.name_of(ref)} for ref in refs]
    joint = rng.sample(list(pools.organisations), 2)
    inputs.append({"by": joint, "group": "other-inputs", "listed_as": _joint(pools, joint)})
    return inputs


def slug(text: str) -> str:
    """Return TEXT as lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _write_yaml(path: Path, data: dict[str, Any], header: str) -> None:
    lines = [f"# {header}; every name in it is invented.", *_yaml_lines(data, 0)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _yaml_lines(value: dict[str, Any] | list[Any], indent: int) -> list[str]:
    """Return block YAML; scalars are JSON-quoted (a subset of YAML's double-quoted style)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, dict | list) and child and not _flat(child):
                lines += [f"{pad}{key}:", *_yaml_lines(child, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {_scalar(child)}")
        return lines
    for child in value:
        if isinstance(child, dict):
            nested = _yaml_lines(child, indent + 2)
            lines += [f"{pad}- {nested[0].lstrip()}", *nested[1:]]
        else:
            lines.append(f"{pad}- {_scalar(child)}")
    return lines


def _flat(value: dict[str, Any] | list[Any]) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _scalar(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}"  # only an empty mapping is written inline
    return json.dumps(value, ensure_ascii=False)
