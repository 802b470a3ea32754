"""The indicator catalogue in French, and its English texts in their own columns.

0017 gave each text a column per language; here the English columns take the texts the rows
already hold, and the French columns the translations below: names, definitions as 0008, 0009
and 0010 left them (with how each figure aggregates over time), data sources and the terms of
each ratio. Rows are keyed by code, so running the migration again updates them in place. An
English column an administrator has already filled is kept.
"""

from django.db import migrations
from django.db.models import F, Q

TRANSLATED = ("name", "definition", "data_source", "numerator_label", "denominator_label")

FLUX_ATTEINTES = (
    "Un flux : les personnes touchées au cours de la période s’additionnent d’une semaine, d’un "
    "mois et d’une année à l’autre, et d’un lieu à l’autre."
)
FLUX_FAITS = (
    "Un flux : les faits de la période s’additionnent dans le temps et d’un lieu à l’autre."
)
SOURCE_VICTIMES = (
    "Fiches d’incident saisies par le JOC ; nombres de victimes vérifiés par la composante "
    "Droits de l’homme."
)
SOURCE_ACTIVITES = (
    "Fiches d’activité saisies par les sections, la composante militaire et la composante de "
    "police."
)

CATALOGUE = {
    "POC-01": {
        "name": "Civils tués",
        "definition": (
            "Civils tués lors d’incidents survenus au cours de la période, répartis entre "
            "femmes, hommes, filles, garçons et inconnus. Compte les décès enregistrés sur les "
            "fiches d’incident datées de la période ; exclut les incidents jugés infirmés, les "
            "membres de forces ou de groupes armés tués lors des hostilités et les décès dus à "
            "des accidents ou à des maladies. Période : mois civil, selon la date des faits. "
            + FLUX_ATTEINTES
        ),
        "data_source": SOURCE_VICTIMES,
    },
    "POC-02": {
        "name": "Civils blessés",
        "definition": (
            "Civils blessés ou mutilés lors d’incidents survenus au cours de la période, "
            "répartis entre femmes, hommes, filles, garçons et inconnus. Exclut les incidents "
            "jugés infirmés, les personnes tuées (comptées dans POC-01) et les blessures dues à "
            "des accidents. Période : mois civil, selon la date des faits. " + FLUX_ATTEINTES
        ),
        "data_source": SOURCE_VICTIMES,
    },
    "POC-03": {
        "name": "Civils enlevés",
        "definition": (
            "Civils emmenés et retenus contre leur gré par un auteur lors d’incidents survenus "
            "au cours de la période, répartis entre femmes, hommes, filles, garçons et inconnus. "
            "Exclut les arrestations opérées par les autorités (enregistrées comme détentions "
            "arbitraires lorsqu’elles sont illégales) et les incidents jugés infirmés. "
            "Période : mois civil, selon la date des faits. " + FLUX_ATTEINTES
        ),
        "data_source": (
            "Fiches d’incident saisies par le JOC et vérifiées par la composante Droits de "
            "l’homme."
        ),
    },
    "POC-04": {
        "name": "Victimes de violences sexuelles liées aux conflits",
        "definition": (
            "Victimes de violences sexuelles liées aux conflits enregistrées sur les incidents "
            "survenus au cours de la période, réparties entre femmes, hommes, filles, garçons et "
            "inconnus. Compte les victimes, non les actes : une victime compte une fois par "
            "incident. Exclut les incidents jugés infirmés et les violences sexuelles sans lien "
            "avec le conflit. Donnée restreinte : le chiffre ne sort de la mission que sous "
            "forme de totaux. Période : mois civil, selon la date des faits. " + FLUX_ATTEINTES
        ),
        "data_source": (
            "Fiches d’incident restreintes, saisies avec le consentement des victimes dans le "
            "cadre des arrangements de suivi coordonnés par les conseillers pour la protection "
            "des femmes."
        ),
    },
    "POC-05": {
        "name": "Incidents de protection enregistrés",
        "definition": (
            "Incidents survenus au cours de la période dans lesquels des civils ont subi un "
            "préjudice ou ont été directement menacés, tous types confondus. Un incident compte "
            "une fois, quel que soit le nombre de victimes ou de violations qu’il comporte. "
            "Exclut les incidents jugés infirmés. Période : mois civil, selon la date des "
            "faits. " + FLUX_FAITS
        ),
        "data_source": (
            "Fiches d’incident saisies par le JOC à partir des patrouilles, des partenaires et "
            "des sections."
        ),
    },
    "POC-06": {
        "name": "Incidents attribués aux forces de sécurité de l’État hôte",
        "definition": (
            "Incidents survenus au cours de la période dont la catégorie d’auteur est celle des "
            "forces de sécurité de l’État hôte. Chacun soulève des questions de diligence "
            "voulue en matière de droits de l’homme lorsque la mission appuie ces forces. "
            "Exclut les incidents dont l’auteur est inconnu et les incidents jugés infirmés. "
            "Période : mois civil, selon la date des faits. " + FLUX_FAITS
        ),
        "data_source": (
            "Fiches d’incident ; attribution vérifiée par la composante Droits de l’homme."
        ),
    },
    "POC-07": {
        "name": "Violations graves commises contre des enfants",
        "definition": (
            "Violations graves commises contre des enfants (victimes de moins de 18 ans) "
            "enregistrées sur les incidents survenus au cours de la période. Un incident "
            "comportant plusieurs violations compte chacune d’elles une fois : un enlèvement "
            "suivi d’un recrutement compte pour deux. Exclut les incidents jugés infirmés. "
            "Donnée restreinte : le chiffre ne sort de la mission que sous forme de totaux. "
            "Période : mois civil, selon la date des faits. " + FLUX_FAITS
        ),
        "data_source": (
            "Fiches d’incident restreintes ; violations documentées par la Protection de "
            "l’enfance dans le cadre du mécanisme de surveillance et de communication de "
            "l’information."
        ),
    },
    "POC-08": {
        "name": "Personnes déplacées par la violence",
        "definition": (
            "Personnes nouvellement déplacées du fait d’incidents survenus au cours de la "
            "période, selon l’estimation portée sur chaque fiche d’incident. Exclut les "
            "déplacements dus à des aléas naturels, les personnes déjà déplacées avant "
            "l’incident et les incidents jugés infirmés. Les estimations ne sont pas ventilées. "
            "Période : mois civil, selon la date des faits. Un flux : les nouveaux déplacements "
            "de la période s’additionnent dans le temps et d’un lieu à l’autre (les personnes "
            "déjà déplacées sont un stock, compté dans POC-27)."
        ),
        "data_source": (
            "Fiches d’incident ; estimations des déplacements fournies par les partenaires "
            "humanitaires lorsque la mission ne peut pas compter elle-même."
        ),
    },
    "POC-09": {
        "name": "Alertes rapides reçues",
        "definition": (
            "Alertes rapides reçues au cours de la période, de toutes sources : réseaux "
            "d’alerte communautaires, comités locaux de protection, assistants de liaison "
            "communautaire, patrouilles, partenaires et membres des communautés. Une alerte "
            "relayée par plusieurs canaux est enregistrée, et comptée, une seule fois. "
            "Période : mois civil, selon l’heure de réception. " + FLUX_FAITS
        ),
        "data_source": "Registre des alertes tenu par le JOC.",
    },
    "POC-10": {
        "name": "Alertes traitées dans le délai fixé par la mission",
        "definition": (
            "Part des alertes reçues au cours de la période dont la réponse est arrivée sur le "
            "terrain dans le délai de réponse aux alertes fixé par la mission, mesuré de la "
            "réception à l’arrivée, parmi les alertes traitées ou manquées. Les alertes closes "
            "comme fausses alertes sont exclues. Une alerte encore en attente de réponse alors "
            "que son délai court n’est ni traitée ni manquée et n’est pas comptée ; une fois le "
            "délai écoulé sans arrivée, elle compte comme hors délai. Appréciation faite au "
            "moment du calcul des chiffres : une telle alerte devient manquée au recalcul "
            "suivant, au plus tard celui de la nuit. Période : mois civil, selon l’heure de "
            "réception. Un flux d’alertes : la part est recalculée à partir des alertes de "
            "l’ensemble de la période et du lieu, jamais obtenue par la moyenne des mois ou "
            "des zones."
        ),
        "data_source": "Registre des alertes tenu par le JOC ; délai fixé par chaque mission.",
    },
    "POC-11": {
        "name": "Délai médian de réponse aux alertes",
        "definition": (
            "Nombre médian d’heures entre la réception d’une alerte et l’arrivée de la réponse "
            "sur le terrain, sur les alertes reçues au cours de la période dont la réponse est "
            "arrivée. Les alertes sans arrivée sont exclues ici (POC-10 les compte comme "
            "manquées une fois leur délai écoulé). Période : mois civil, selon l’heure de "
            "réception. Un flux d’alertes : la médiane porte sur toutes les alertes traitées "
            "de la période et du lieu, jamais sur des médianes de médianes."
        ),
        "data_source": "Registre des alertes tenu par le JOC.",
    },
    "POC-12": {
        "name": "Menaces à risque élevé en cours",
        "definition": (
            "Menaces inscrites au registre à la fin de la période qui sont toujours en cours "
            "(émergentes, actives ou contenues) et dont le score de risque se situe dans la "
            "tranche élevée ou très élevée de la mission. Exclut les menaces résolues. Un stock "
            "en fin de période, non une somme sur la période. Un stock : les menaces en cours à "
            "la fin de la période ; un trimestre vaut son dernier jour, jamais la somme de ses "
            "mois."
        ),
        "data_source": (
            "Registre des menaces tenu par l’unité POC, avec les évaluations des menaces de la "
            "JMAC."
        ),
    },
    "POC-13": {
        "name": "Activités de protection menées",
        "definition": (
            "Activités de protection commencées au cours de la période, tous types et niveaux "
            "confondus : patrouilles, dialogue communautaire, dialogue avec les groupes armés "
            "ou les autorités, campagnes de communication, projets de réduction de la violence "
            "et formations. Exclut les activités prévues mais non réalisées. Période : mois "
            "civil, selon la date de début. " + FLUX_FAITS
        ),
        "data_source": SOURCE_ACTIVITES,
    },
    "POC-14": {
        "name": "Personnes touchées par les activités de protection",
        "definition": (
            "Personnes touchées par les activités de protection commencées au cours de la "
            "période, réparties entre femmes, hommes, filles et garçons, telles qu’enregistrées "
            "sur chaque activité (les activités n’enregistrent aucun autre groupe). Une personne "
            "touchée par plusieurs activités compte une fois par activité. Exclut les auditeurs "
            "des émissions. Période : mois civil, selon la date de début. Un flux : les "
            "personnes touchées par les activités de la période s’additionnent dans le temps et "
            "d’un lieu à l’autre."
        ),
        "data_source": SOURCE_ACTIVITES,
    },
    "POC-15": {
        "name": "Éléments clés A4P en bonne voie",
        "definition": (
            "Éléments clés du paragraphe 10 dont l’état de mise en œuvre pour la mission est "
            "« en bonne voie » ou « réalisé » à la fin de la période. Exclut les éléments non "
            "commencés, en cours ou en retard. Un stock en fin de période, sur quatre. Un "
            "stock : l’état des éléments à la fin de la période, sur quatre ; les mois ne "
            "s’additionnent jamais."
        ),
        "data_source": (
            "Fiches de mise en œuvre des engagements examinées par l’unité POC."
        ),
    },
    "POC-16": {
        "name": "Comités locaux de protection fonctionnels",
        "definition": (
            "Part des comités locaux de protection créés avec l’appui de la mission qui sont "
            "fonctionnels à la fin du trimestre : ils se sont réunis au moins une fois dans le "
            "trimestre, disposent d’un plan de protection à jour et d’un canal de communication "
            "opérationnel avec la mission. Exclut les comités créés par des partenaires sans "
            "l’appui de la mission. Un stock : le dernier relevé de la période dans chaque "
            "zone, comités et comités fonctionnels étant additionnés d’une zone à l’autre et la "
            "part recalculée à partir de ces totaux."
        ),
        "data_source": "Rapports de suivi des comités établis par les Affaires civiles.",
        "numerator_label": "Comités locaux de protection fonctionnels",
        "denominator_label": "Comités locaux de protection créés avec l’appui de la mission",
    },
    "POC-17": {
        "name": "Points focaux actifs des réseaux d’alerte communautaires",
        "definition": (
            "Points focaux des réseaux d’alerte communautaires qui ont établi ou reçu au moins "
            "un contact avec la mission au cours du mois (une alerte ou un appel de contrôle "
            "périodique), comptés en fin de mois. Exclut les points focaux inscrits mais "
            "injoignables pendant tout le mois. Un stock : les points focaux actifs au dernier "
            "relevé de chaque lieu, additionnés d’un lieu à l’autre ; un trimestre vaut son "
            "dernier mois, jamais la somme de ses mois."
        ),
        "data_source": (
            "Liste des points focaux tenue par les Affaires civiles, recoupée avec les "
            "registres d’appels du JOC."
        ),
    },
    "POC-18": {
        "name": "Personnes interrogées qui se sentent en sécurité",
        "definition": (
            "Part des personnes interrogées lors de l’enquête de perception de la mission qui "
            "déclarent se sentir en sécurité ou en parfaite sécurité dans leur localité, "
            "réparties entre femmes, hommes, filles et garçons. Compte les entretiens menés à "
            "terme lors de la vague d’enquête de l’année ; exclut les refus et les réponses "
            "« ne sait pas ». Un flux : la vague d’enquête de l’année, la part étant recalculée "
            "à partir des personnes interrogées additionnées d’un lieu et d’un groupe à "
            "l’autre."
        ),
        "data_source": (
            "Enquête de perception menée dans des localités échantillonnées, par la mission ou "
            "un partenaire sous contrat."
        ),
        "numerator_label": "Personnes interrogées qui se sentent en sécurité ou en parfaite "
        "sécurité",
        "denominator_label": "Personnes interrogées ayant répondu à la question sur la sécurité",
    },
    "POC-19": {
        "name": "Missions des équipes conjointes de protection",
        "definition": (
            "Missions des équipes conjointes de protection menées à terme au cours de la "
            "période, lors desquelles des membres du personnel civil, militaire et de "
            "police évaluent ensemble les menaces avec une communauté et conviennent de mesures "
            "de protection. Exclut les missions prévues mais annulées et les visites d’une "
            "seule composante. " + FLUX_FAITS
        ),
        "data_source": (
            "Rapports de mission des équipes conjointes de protection compilés par les Affaires "
            "civiles."
        ),
    },
    "POC-20": {
        "name": "Femmes au sein des comités locaux de protection",
        "definition": (
            "Part des femmes parmi les membres des comités locaux de protection appuyés par la "
            "mission, à la fin du trimestre. Exclut les comités créés par des partenaires sans "
            "l’appui de la mission. Un stock : le dernier relevé de la période dans chaque "
            "zone, membres et membres femmes étant additionnés d’une zone à l’autre et la part "
            "recalculée à partir de ces totaux."
        ),
        "data_source": "Listes des membres des comités tenues par les Affaires civiles.",
        "numerator_label": "Femmes membres des comités locaux de protection",
        "denominator_label": "Membres des comités locaux de protection",
    },
    "POC-21": {
        "name": "Enfants séparés des groupes armés",
        "definition": (
            "Enfants (de moins de 18 ans) séparés ou libérés de forces ou de groupes armés et "
            "remis à des acteurs de la protection de l’enfance au cours de la période, répartis "
            "entre filles et garçons. Exclut les adultes recrutés lorsqu’ils étaient enfants et "
            "les enfants partis mais non accueillis par des acteurs de la protection de "
            "l’enfance. Un flux : les enfants accueillis au cours de la période s’additionnent "
            "dans le temps et d’un lieu à l’autre."
        ),
        "data_source": (
            "Procès-verbaux de remise de la Protection de l’enfance, communiqués aux "
            "partenaires de la protection de l’enfance."
        ),
    },
    "POC-22": {
        "name": (
            "Personnel de sécurité de l’État hôte formé au DIH et à la diligence voulue"
        ),
        "definition": (
            "Militaires et policiers de l’État hôte ayant suivi jusqu’au bout, au cours du "
            "trimestre, une formation dispensée par la mission sur le droit international "
            "humanitaire, les droits de l’homme et la politique de diligence voulue en matière "
            "de droits de l’homme, répartis entre femmes et hommes. Compte les personnes ayant "
            "terminé le cours ; exclut les participations partielles et les sessions de "
            "recyclage de personnes déjà comptées dans l’année. Un flux : les personnes formées "
            "au cours de la période s’additionnent dans le temps et d’un lieu à l’autre."
        ),
        "data_source": (
            "Feuilles de présence aux formations de la Réforme du secteur de la sécurité et "
            "des Droits de l’homme."
        ),
    },
    "POC-23": {
        "name": "Évaluations des risques au titre de la diligence voulue menées avant l’appui",
        "definition": (
            "Part des décisions prises au cours du trimestre d’appuyer des forces de sécurité "
            "non onusiennes (nouvel appui ou modification importante de l’appui) qui ont été "
            "précédées d’une évaluation des risques achevée au titre de la politique de "
            "diligence voulue en matière de droits de l’homme. Exclut les reconductions "
            "couvertes par une évaluation toujours valable. Un flux de décisions : la part est "
            "recalculée à partir des décisions de l’ensemble de la période et du lieu."
        ),
        "data_source": (
            "Registre de la diligence voulue en matière de droits de l’homme tenu par la "
            "composante Droits de l’homme."
        ),
        "numerator_label": "Décisions d’appui précédées d’une évaluation des risques achevée",
        "denominator_label": "Décisions d’appuyer des forces de sécurité non onusiennes",
    },
    "POC-24": {
        "name": "Déploiements rapides vers les points chauds",
        "definition": (
            "Déploiements d’unités militaires ou de police (forces de réaction rapide, bases "
            "opérationnelles temporaires, déploiements de combat permanents) lancés au cours "
            "de la période vers une zone sous menace imminente, en réponse à une alerte ou à "
            "une évaluation des menaces. Exclut les patrouilles de routine et les relèves "
            "programmées. " + FLUX_FAITS
        ),
        "data_source": (
            "Ordres d’opérations de la force et de la police, communiqués par l’intermédiaire "
            "du JOC."
        ),
    },
    "POC-25": {
        "name": "Émissions de radio consacrées à la protection",
        "definition": (
            "Heures d’émissions consacrées à la protection des civils diffusées au cours de la "
            "période sur la radio de la mission ou de partenaires : le mandat, les numéros "
            "d’alerte, les droits, les services offerts aux victimes. Une rediffusion compte à "
            "chaque diffusion ; exclut les bulletins d’information et la musique. Un flux : "
            "les heures diffusées au cours de la période s’additionnent dans le temps et d’un "
            "lieu à l’autre."
        ),
        "data_source": (
            "Registres de diffusion de l’Information / Communication stratégique."
        ),
    },
    "POC-26": {
        "name": "Participants à la réduction de la violence communautaire",
        "definition": (
            "Personnes ayant pris part aux projets de réduction de la violence communautaire "
            "menés au cours du trimestre, réparties entre femmes, hommes, filles, garçons et "
            "inconnus, comptées une fois par projet. Exclut les bénéficiaires indirects, tels "
            "que l’ensemble de la communauté. Un flux : les participants aux projets de la "
            "période s’additionnent dans le temps et d’un lieu à l’autre."
        ),
        "data_source": (
            "Listes des participants aux projets fournies par la section DDR / RVC et les "
            "partenaires d’exécution."
        ),
    },
    "POC-27": {
        "name": "Personnes déplacées abritées sur les sites de protection des civils",
        "definition": (
            "Personnes déplacées à l’intérieur de leur propre pays vivant sur les sites de "
            "protection des civils placés sous la protection de la mission à la fin du mois, "
            "réparties entre femmes, hommes, filles, garçons et inconnus. Exclut les personnes "
            "vivant dans des camps ou des communautés d’accueil hors des sites. Un stock en fin "
            "de mois, non une somme. Un stock : les personnes présentes sur les sites au "
            "dernier relevé de la période de chaque site, additionnées d’un site à l’autre ; "
            "un trimestre vaut son dernier mois, jamais la somme de ses mois."
        ),
        "data_source": (
            "Dénombrements et enregistrements effectués par les partenaires humanitaires "
            "chargés de la gestion des sites, communiqués à la mission."
        ),
    },
}


def copy_english(Indicator):
    """Give each row's English columns the texts it holds, unless they already have one."""
    for field in TRANSLATED:
        empty = Q(**{f"{field}_en__isnull": True}) | Q(**{f"{field}_en": ""})
        Indicator.objects.filter(empty).update(**{f"{field}_en": F(field)})


def load_french(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    copy_english(Indicator)
    for code, texts in CATALOGUE.items():
        Indicator.objects.filter(code=code).update(
            **{f"{field}_fr": texts.get(field, "") for field in TRANSLATED}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0017_translations"),
    ]

    operations = [
        # the reverse drops the columns themselves (0017)
        migrations.RunPython(load_french, migrations.RunPython.noop),
    ]
