"""Missions and places the demo is built on.

The first three missions carry real mandates, sectors, areas of responsibility and localities,
with approximate coordinates inside the host country. Missions beyond them are generated with
invented names. Armed actors are named as UN reporting names them; every figure is invented.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from missions.choices import LocalityType
from threats.choices import PerpetratorCategory as P

VILLAGE, TOWN = LocalityType.VILLAGE, LocalityType.TOWN
IDP, POC = LocalityType.IDP_SITE, LocalityType.POC_SITE


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float
    locality_type: str = VILLAGE


@dataclass(frozen=True)
class AorTemplate:
    name: str
    lat: float
    lon: float
    localities: tuple[Place, ...] = ()


@dataclass(frozen=True)
class SectorTemplate:
    name: str
    lat: float
    lon: float
    aors: tuple[AorTemplate, ...]


@dataclass(frozen=True)
class MissionTemplate:
    acronym: str
    name: str
    host_country: str
    iso3: str
    pcode_prefix: str
    time_zone: str
    working_languages: str
    alert_standard_hours: int
    mandate_resolution: str
    mandate_adopted_on: datetime.date | None
    mandate_expires_on: datetime.date | None
    poc_priority_tasks: str
    sectors: tuple[SectorTemplate, ...]
    actors: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _aor(name: str, lat: float, lon: float, *places: tuple[Any, ...]) -> AorTemplate:
    return AorTemplate(name, lat, lon, tuple(Place(*place) for place in places))


# One line per few localities: the tables read like a gazetteer.
# fmt: off
MONUSCO_SECTORS = (
    SectorTemplate("North Kivu", -0.40, 29.30, (
        _aor("Beni", 0.49, 29.47,
            ("Oicha", 0.70, 29.52, TOWN), ("Eringeti", 0.93, 29.68), ("Mavivi", 0.58, 29.47),
            ("Mbau", 0.63, 29.55), ("Kamango", 0.62, 29.88), ("Mangina", 0.36, 29.33),
            ("Beni Mavivi IDP site", 0.56, 29.46, IDP),
        ),
        _aor("Lubero", -0.16, 29.24,
            ("Butembo", 0.13, 29.29, TOWN), ("Kirumba", -0.53, 29.17),
            ("Kanyabayonga", -0.70, 29.18, TOWN), ("Alimbongo", -0.37, 29.19),
            ("Kayna", -0.62, 29.17), ("Kipese", -0.33, 29.42),
        ),
        _aor("Rutshuru", -1.18, 29.45,
            ("Kiwanja", -1.16, 29.45, TOWN), ("Rubare", -1.10, 29.39), ("Bunagana", -1.29, 29.60),
            ("Kibirizi", -0.94, 29.33), ("Nyamilima", -0.96, 29.62),
            ("Rutshuru IDP site", -1.19, 29.44, IDP),
        ),
    )),
    SectorTemplate("Ituri", 1.70, 30.10, (
        _aor("Djugu", 1.92, 30.50,
            ("Fataki", 2.07, 30.30), ("Plaine Savo IDP site", 1.96, 30.55, IDP),
            ("Rhoo IDP site", 1.93, 30.53, IDP), ("Drodro", 1.76, 30.49), ("Largu", 1.95, 30.33),
            ("Bule", 1.78, 30.40),
        ),
        _aor("Irumu", 1.45, 29.90,
            ("Bunia", 1.56, 30.25, TOWN), ("Komanda", 1.37, 29.77, TOWN),
            ("Komanda IDP site", 1.38, 29.78, IDP), ("Boga", 1.07, 30.13), ("Gety", 1.22, 30.21),
            ("Nyankunde", 1.43, 30.04),
        ),
        _aor("Mambasa", 1.36, 29.05,
            ("Mambasa", 1.36, 29.05, TOWN), ("Biakato", 1.03, 29.04), ("Lolwa", 1.28, 29.49),
            ("Mandima", 1.30, 28.90), ("Teturi", 1.42, 29.40), ("Niania", 1.41, 27.98),
        ),
    )),
)

MINUSCA_SECTORS = (
    SectorTemplate("Sector West", 6.60, 16.00, (
        _aor("Paoua", 7.24, 16.44,
            ("Paoua", 7.24, 16.44, TOWN), ("Bétoko", 7.20, 16.33), ("Bozoum", 6.32, 16.38, TOWN),
            ("Nana-Barya", 7.55, 17.35), ("Paoua IDP site", 7.25, 16.45, IDP),
            ("Markounda", 7.62, 17.00),
        ),
        _aor("Bocaranga", 7.02, 15.60,
            ("Bocaranga", 7.02, 15.60, TOWN), ("Koui", 6.67, 15.35), ("Ngaoundaye", 7.07, 15.33),
            ("De Gaulle", 6.80, 15.55), ("Niem", 6.12, 15.25), ("Bohong", 6.35, 15.55),
        ),
    )),
    SectorTemplate("Sector Centre", 6.40, 19.70, (
        _aor("Kaga-Bandoro", 6.99, 19.19,
            ("Kaga-Bandoro", 6.99, 19.19, TOWN), ("Lazare IDP site", 7.00, 19.20, IDP),
            ("Mbrès", 6.67, 19.80), ("Batangafo", 7.30, 18.29, TOWN), ("Kabo", 7.70, 18.63),
            ("Ouandago", 7.10, 18.85),
        ),
        _aor("Bambari", 5.76, 20.67,
            ("Bambari", 5.76, 20.67, TOWN), ("Élevage IDP site", 5.78, 20.69, IDP),
            ("Ippy", 6.26, 21.22), ("Grimari", 5.73, 20.06), ("Kouango", 4.98, 19.98),
            ("Maloum", 5.95, 21.00),
        ),
    )),
    SectorTemplate("Sector East", 5.40, 23.60, (
        _aor("Bria", 6.54, 21.99,
            ("Bria", 6.54, 21.99, TOWN), ("PK3 IDP site", 6.56, 22.01, IDP),
            ("Ouadda", 8.08, 22.40), ("Irabanda", 6.80, 22.20), ("Aigbando", 7.20, 22.60),
            ("Yalinga", 6.51, 23.26),
        ),
        _aor("Haut-Mbomou", 5.20, 25.60,
            ("Zémio", 5.03, 25.14, TOWN), ("Zémio IDP site", 5.04, 25.15, IDP),
            ("Obo", 5.40, 26.49, TOWN), ("Mboki", 5.32, 25.96), ("Djemah", 6.05, 25.32),
            ("Dembia", 5.12, 24.45),
        ),
        _aor("Bangassou", 4.74, 22.82,
            ("Bangassou", 4.74, 22.82, TOWN), ("Rafaï", 4.96, 23.92), ("Gambo", 4.65, 22.26),
            ("Ouango", 4.31, 22.55), ("Niakari", 4.85, 23.10), ("Bakouma", 5.70, 22.78),
        ),
    )),
)

UNMISS_SECTORS = (
    SectorTemplate("Unity", 8.90, 29.90, (
        _aor("Bentiu", 9.23, 29.80,
            ("Bentiu", 9.23, 29.80, TOWN), ("Rubkona", 9.27, 29.79, TOWN),
            ("Bentiu IDP camp", 9.28, 29.77, IDP), ("Guit", 9.13, 30.00), ("Mayom", 9.23, 29.17),
            ("Koch", 8.60, 29.95),
        ),
        _aor("Leer", 8.30, 30.14,
            ("Leer", 8.30, 30.14, TOWN), ("Mayendit", 8.17, 29.98), ("Nyal", 8.07, 30.18),
            ("Adok", 8.19, 30.30), ("Thonyor", 8.04, 30.04), ("Ganyiel", 7.72, 30.32),
        ),
    )),
    SectorTemplate("Upper Nile", 9.50, 32.20, (
        _aor("Malakal", 9.53, 31.66,
            ("Malakal", 9.53, 31.66, TOWN), ("Malakal POC site", 9.56, 31.65, POC),
            ("Wau Shilluk", 9.59, 31.60), ("Kodok", 9.88, 32.11), ("Tonga", 9.47, 31.06),
            ("Detwok", 10.36, 32.50),
        ),
        _aor("Nasir", 8.60, 33.07,
            ("Nasir", 8.60, 33.07, TOWN), ("Ulang", 8.63, 32.69), ("Mathiang", 9.55, 33.52),
            ("Kiech Kuon", 8.55, 33.40), ("Torpuot", 8.70, 33.25), ("Jikmir", 8.45, 33.30),
        ),
    )),
    SectorTemplate("Jonglei", 7.00, 32.00, (
        _aor("Bor", 6.21, 31.56,
            ("Bor", 6.21, 31.56, TOWN), ("Panyagor", 7.27, 31.43), ("Mangala", 5.19, 31.77),
            ("Baidit", 6.45, 31.48), ("Kolnyang", 6.05, 31.62), ("Bor IDP site", 6.22, 31.57, IDP),
        ),
        _aor("Pibor", 6.80, 33.13,
            ("Pibor", 6.80, 33.13, TOWN), ("Gumuruk", 6.65, 32.97), ("Lekuangole", 6.97, 32.75),
            ("Verteth", 6.70, 33.40), ("Manyabol", 7.10, 33.00),
            ("Pibor IDP site", 6.81, 33.12, IDP),
        ),
    )),
    SectorTemplate("Central Equatoria", 4.40, 31.20, (
        _aor("Juba", 4.85, 31.58,
            ("Juba", 4.85, 31.58, TOWN), ("Juba UN House POC site", 4.81, 31.52, POC),
            ("Gudele", 4.87, 31.55), ("Gondokoro", 4.90, 31.66), ("Rajaf", 4.75, 31.62),
            ("Lologo", 4.80, 31.60),
        ),
        _aor("Yei", 4.09, 30.68,
            ("Yei", 4.09, 30.68, TOWN), ("Morobo", 3.69, 30.77), ("Lainya", 4.35, 30.96),
            ("Kajo-Keji", 3.88, 31.65, TOWN), ("Mugwo", 4.00, 30.55), ("Otogo", 4.15, 30.60),
        ),
    )),
)
# fmt: on

MONUSCO = MissionTemplate(
    acronym="MONUSCO",
    name=(
        "United Nations Organization Stabilization Mission in the Democratic Republic of the Congo"
    ),
    host_country="Democratic Republic of the Congo",
    iso3="COD",
    pcode_prefix="CD",
    time_zone="Africa/Lubumbashi",
    working_languages="fr,en",
    alert_standard_hours=12,
    mandate_resolution="2765 (2024)",
    mandate_adopted_on=datetime.date(2024, 12, 20),
    mandate_expires_on=datetime.date(2025, 12, 20),
    poc_priority_tasks=(
        "Protect civilians under threat of physical violence in Ituri and North Kivu, through "
        "dialogue, physical protection and support to a protective environment.\n"
        "Keep early-warning networks and community alert hotlines running, with a rapid "
        "response to alerts.\n"
        "Give particular attention to women and children: conflict-related sexual violence and "
        "grave violations against children.\n"
        "Support the disarmament, demobilisation and community reintegration of combatants."
    ),
    sectors=MONUSCO_SECTORS,
    actors={
        P.NON_STATE_ARMED_GROUP: ("ADF", "CODECO", "M23", "Mai-Mai groups"),
        P.HOST_STATE_FORCES: ("FARDC", "Congolese National Police (PNC)"),
        P.FOREIGN_STATE_FORCES: ("Foreign state forces",),
        P.COMMUNAL_MILITIA: ("Zaïre self-defence group", "Wazalendo groups"),
        P.CRIMINAL_GROUP: ("Armed bandits", "Kidnap-for-ransom gang"),
        P.UNKNOWN: ("Unidentified armed men",),
    },
)

MINUSCA = MissionTemplate(
    acronym="MINUSCA",
    name=(
        "United Nations Multidimensional Integrated Stabilization Mission in the Central "
        "African Republic"
    ),
    host_country="Central African Republic",
    iso3="CAF",
    pcode_prefix="CF",
    time_zone="Africa/Bangui",
    working_languages="fr,en",
    alert_standard_hours=24,
    mandate_resolution="2759 (2024)",
    mandate_adopted_on=datetime.date(2024, 11, 14),
    mandate_expires_on=datetime.date(2025, 11, 15),
    poc_priority_tasks=(
        "Protect civilians from the threat of physical violence, with a mobile, flexible and "
        "robust posture in the areas most at risk.\n"
        "Prevent and respond to violence linked to transhumance and to armed groups along the "
        "corridors in the west, centre and south-east.\n"
        "Support local protection committees and community alert networks.\n"
        "Monitor, investigate and report grave violations against children and "
        "conflict-related sexual violence."
    ),
    sectors=MINUSCA_SECTORS,
    actors={
        P.NON_STATE_ARMED_GROUP: ("3R", "UPC", "CPC coalition", "MPC"),
        P.HOST_STATE_FORCES: ("FACA", "Internal security forces (FSI)"),
        P.FOREIGN_STATE_FORCES: ("Foreign state forces",),
        P.COMMUNAL_MILITIA: ("Anti-Balaka groups", "Azande Ani Kpi Gbe"),
        P.CRIMINAL_GROUP: ("Road bandits (zaraguinas)", "Armed poachers"),
        P.UNKNOWN: ("Unidentified armed men",),
    },
)

UNMISS = MissionTemplate(
    acronym="UNMISS",
    name="United Nations Mission in the Republic of South Sudan",
    host_country="South Sudan",
    iso3="SSD",
    pcode_prefix="SS",
    time_zone="Africa/Juba",
    working_languages="en",
    alert_standard_hours=24,
    mandate_resolution="2729 (2024)",
    mandate_adopted_on=datetime.date(2024, 4, 30),
    mandate_expires_on=datetime.date(2025, 4, 30),
    poc_priority_tasks=(
        "Protect civilians under threat of physical violence, with particular protection for "
        "women and children, through proactive deployment and patrols in high-risk areas.\n"
        "Maintain safety and security in and around the protection-of-civilians site and the "
        "IDP camps.\n"
        "Deter and respond to inter-communal and cattle-related violence through early warning, "
        "engagement and rapid deployment.\n"
        "Create conditions for the safe, voluntary and dignified return of the displaced."
    ),
    sectors=UNMISS_SECTORS,
    actors={
        P.NON_STATE_ARMED_GROUP: ("SPLA-IO", "National Salvation Front (NAS)"),
        P.HOST_STATE_FORCES: ("SSPDF", "South Sudan National Police Service"),
        P.FOREIGN_STATE_FORCES: ("Foreign state forces",),
        P.COMMUNAL_MILITIA: ("Armed youth from cattle camps", "White Army"),
        P.CRIMINAL_GROUP: ("Cattle raiders", "Highway robbers"),
        P.UNKNOWN: ("Unidentified armed men",),
    },
)

REAL_MISSIONS = (MONUSCO, MINUSCA, UNMISS)

GENERATED_TASKS = (
    "Protect civilians under threat of physical violence, through dialogue, physical "
    "protection and a protective environment.\n"
    "Answer early-warning alerts within the mission standard."
)

GENERATED_TIME_ZONES = ("Africa/Bamako", "Africa/Khartoum", "Africa/Ndjamena", "Africa/Lagos")
SYLLABLES = (
    "ba", "bo", "da", "di", "ga", "go", "ka", "ki", "ko", "la", "lo", "ma", "mbo", "mu",
    "na", "nde", "ngo", "ri", "sa", "ta", "to", "wa", "ya", "za",
)  # fmt: skip


def place_name(rng: random.Random) -> str:
    """An invented, pronounceable place name: two or three syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def mission_template(index: int) -> MissionTemplate:
    """The template of the mission at `index` (0-based): a real one, then generated ones."""
    if index < len(REAL_MISSIONS):
        return REAL_MISSIONS[index]
    number = index + 1
    rng = random.Random(f"demo-mission:{number}")
    lat, lon = rng.uniform(4, 14), rng.uniform(-5, 25)
    sectors = tuple(
        SectorTemplate(
            f"Sector {direction}",
            lat + dlat,
            lon + dlon,
            tuple(
                AorTemplate(place_name(rng), lat + dlat + rng.uniform(-0.5, 0.5), lon + dlon + d)
                for d in (-0.6, 0.0, 0.6)
            ),
        )
        for direction, dlat, dlon in (("North", 1.2, 0), ("Centre", 0, 0), ("South", -1.2, 0))
    )
    return MissionTemplate(
        acronym=f"DEMO{number:02d}",
        name=f"Demonstration Mission {number:02d}",
        host_country=f"Demonstration country {number:02d}",
        iso3="",
        pcode_prefix=f"X{number:02d}",
        time_zone=GENERATED_TIME_ZONES[index % len(GENERATED_TIME_ZONES)],
        working_languages="en,fr",
        alert_standard_hours=rng.choice((12, 24, 48)),
        mandate_resolution="",
        mandate_adopted_on=None,
        mandate_expires_on=None,
        poc_priority_tasks=GENERATED_TASKS,
        sectors=sectors,
        actors={
            P.NON_STATE_ARMED_GROUP: ("Armed group A", "Armed group B"),
            P.HOST_STATE_FORCES: ("National army", "National police"),
            P.FOREIGN_STATE_FORCES: ("Foreign state forces",),
            P.COMMUNAL_MILITIA: ("Community self-defence group",),
            P.CRIMINAL_GROUP: ("Armed bandits",),
            P.UNKNOWN: ("Unidentified armed men",),
        },
    )
