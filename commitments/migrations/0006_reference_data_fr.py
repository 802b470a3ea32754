"""The reference frame in French, and its English texts in their own columns.

0005 gave each text a column per language; here the English columns take the texts the rows
already hold, and the French columns the translations below (in the terms of the Declaration's
French version, the Déclaration d'engagements communs sur les opérations de maintien de la paix
des Nations Unies). Rows are keyed by number or code, as in 0003, so running the migration again
updates them in place. An English column an administrator has already filled is kept.
"""

from django.db import migrations
from django.db.models import F, Q

# number → label
PRIORITY_AREAS = {
    1: "Politique",
    2: "Femmes, paix et sécurité",
    3: "Protection",
    4: "Sûreté et sécurité",
    5: "Performance et application du principe de responsabilité",
    6: "Consolidation et pérennisation de la paix",
    7: "Partenariats",
    8: "Conduite du personnel et des opérations de maintien de la paix",
}

# number → (short label, summary)
PARAGRAPHS = {
    3: (
        "Primauté de la politique",
        "Le maintien de la paix sert une stratégie politique : les opérations appuient les "
        "processus et les solutions politiques, elles ne s’y substituent pas.",
    ),
    5: (
        "Mandats échelonnés et hiérarchisés",
        "Les mandats doivent être clairs, réalistes et hiérarchisés, afin que les opérations "
        "puissent concentrer leurs moyens sur ce qui compte le plus à chaque étape.",
    ),
    8: (
        "Femmes, paix et sécurité",
        "Les femmes participent pleinement et véritablement aux processus de paix et au "
        "maintien de la paix, et l’analyse de genre éclaire la planification, les opérations "
        "et l’établissement des rapports.",
    ),
    9: (
        "Responsabilité première de l’État hôte en matière de protection",
        "C’est à l’État hôte qu’il incombe au premier chef de protéger les civils sur son "
        "territoire ; les opérations de maintien de la paix l’y aident sans se substituer à "
        "lui.",
    ),
    10: (
        "Renforcement de la protection assurée par les opérations de maintien de la paix",
        "Les opérations protègent plus efficacement les civils grâce à des approches adaptées "
        "à chaque contexte, à une attention portée aux femmes et aux enfants, à la "
        "détermination à employer tous les moyens nécessaires et à un dialogue plus étroit "
        "avec la population locale.",
    ),
    15: (
        "Restrictions imposées par les pays fournisseurs de contingents",
        "Les restrictions non déclarées nuisent à la performance ; les pays fournisseurs de "
        "contingents et le Secrétariat s’emploient à les déclarer, à les limiter et à les "
        "lever.",
    ),
    18: (
        "Partenaires régionaux",
        "Les organisations régionales et sous-régionales agissent aux côtés de l’ONU, selon "
        "des rôles et des responsabilités convenus et coordonnés.",
    ),
    19: (
        "Coopération de l’État hôte",
        "L’État hôte coopère avec l’opération, respecte sa liberté de circulation et son "
        "statut, et participe à la protection des civils et à la consolidation de la paix.",
    ),
    22: (
        "Diligence voulue dans l’appui aux forces non onusiennes",
        "Avant d’appuyer des forces de sécurité non onusiennes, l’opération évalue le risque "
        "de violations graves, l’atténue et réexamine régulièrement cet appui.",
    ),
}

# code → (label, description), paragraph 10's four key elements
KEY_ELEMENTS = {
    "tailored-approaches": (
        "Approches adaptées au contexte",
        "La protection est planifiée à partir d’une analyse des menaces propres à chaque zone "
        "et des personnes qu’elles mettent en danger, et elle est ajustée à mesure que les "
        "menaces évoluent.",
    ),
    "women-and-children": (
        "Protection des femmes et des enfants",
        "Une attention particulière est portée aux risques auxquels sont exposés les femmes "
        "et les enfants, notamment les violences sexuelles et les violations graves commises "
        "contre des enfants, ainsi qu’à leur rôle dans la définition de la protection.",
    ),
    "all-necessary-means": (
        "Tous les moyens nécessaires",
        "La détermination à agir, y compris par la force si nécessaire, pour protéger les "
        "civils menacés, dans le respect de la Charte, du mandat et du droit international.",
    ),
    "strategic-communications": (
        "Communication stratégique et dialogue avec la population locale",
        "Un dialogue régulier et dans les deux sens avec les communautés : expliquer ce que "
        "l’opération peut faire et ne peut pas faire, écouter leurs préoccupations et "
        "maintenir ouverts les canaux d’alerte rapide.",
    ),
}

# number → (label, description)
TIERS = {
    1: (
        "Protection par le dialogue et la mobilisation",
        "Protéger les civils par des moyens politiques et civils : dialogue avec les parties "
        "au conflit et les autorités, médiation, plaidoyer, mobilisation communautaire et "
        "réseaux d’alerte rapide.",
    ),
    2: (
        "Protection physique",
        "Protéger les civils contre des violences physiques imminentes ou en cours par la "
        "présence, les patrouilles, la dissuasion, l’interposition et, si nécessaire, l’emploi "
        "de la force par les militaires et la police.",
    ),
    3: (
        "Instauration d’un environnement protecteur",
        "Créer les conditions d’une sécurité durable pour les civils : état de droit, "
        "surveillance des droits de l’homme et application du principe de responsabilité, "
        "réforme du secteur de la sécurité, réduction de la violence et appui au retour des "
        "personnes déplacées en toute sécurité.",
    ),
}

PHASES = {
    1: (
        "Prévention",
        "Aucune menace claire contre les civils n’a encore été détectée ; la mission s’emploie "
        "à empêcher l’apparition de risques.",
    ),
    2: (
        "Préemption",
        "Une menace a été détectée et s’aggrave ; la mission agit tôt pour l’empêcher de "
        "dégénérer en violence.",
    ),
    3: (
        "Réponse",
        "Des violences contre les civils sont imminentes ou en cours ; la mission agit pour y "
        "mettre fin et protéger les personnes menacées.",
    ),
    4: (
        "Consolidation",
        "Les violences ont diminué ; la mission aide à stabiliser la zone, soutient les "
        "personnes touchées et s’attaque aux causes pour qu’elles ne reprennent pas.",
    ),
}

TRANSLATED = {
    "PriorityArea": ("label",),
    "Paragraph": ("label", "summary"),
    "KeyElement": ("label", "description"),
    "Tier": ("label", "description"),
    "Phase": ("label", "description"),
}


def copy_english(apps, model_name, fields):
    """Give each row's English column the text it holds, unless it already has one."""
    model = apps.get_model("commitments", model_name)
    for field in fields:
        empty = Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
        model.objects.filter(empty).update(**{f"{field}_en": F(field)})


def load_french(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        copy_english(apps, model_name, fields)
    PriorityArea = apps.get_model("commitments", "PriorityArea")
    for number, label in PRIORITY_AREAS.items():
        PriorityArea.objects.filter(number=number).update(label_fr=label)
    Paragraph = apps.get_model("commitments", "Paragraph")
    for number, (label, summary) in PARAGRAPHS.items():
        Paragraph.objects.filter(number=number).update(label_fr=label, summary_fr=summary)
    KeyElement = apps.get_model("commitments", "KeyElement")
    for code, (label, description) in KEY_ELEMENTS.items():
        KeyElement.objects.filter(code=code).update(label_fr=label, description_fr=description)
    for model_name, rows in (("Tier", TIERS), ("Phase", PHASES)):
        model = apps.get_model("commitments", model_name)
        for number, (label, description) in rows.items():
            model.objects.filter(number=number).update(label_fr=label, description_fr=description)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0005_translations"),
    ]

    operations = [
        # the reverse drops the columns themselves (0005)
        migrations.RunPython(load_french, migrations.RunPython.noop),
    ]
