"""Ship the reference frame: A4P priority areas, paragraphs and key elements; POC tiers and phases.

Rows are keyed by number or code, never by label, so running the migration again updates them in
place and an administrator's later corrections to labels never break a lookup. Labels and
summaries are short paraphrases in our own words, not the Declaration's text.
"""

from django.db import migrations

PRIORITY_AREAS = [
    (1, "politics", "Politics"),
    (2, "women-peace-security", "Women, peace and security"),
    (3, "protection", "Protection"),
    (4, "safety-security", "Safety and security"),
    (5, "performance-accountability", "Performance and accountability"),
    (6, "peacebuilding-sustaining-peace", "Peacebuilding and sustaining peace"),
    (7, "partnerships", "Partnerships"),
    (8, "conduct", "Conduct of peacekeepers and peacekeeping operations"),
]

# (number, priority area code, short label, summary)
PARAGRAPHS = [
    (
        3,
        "politics",
        "Primacy of politics",
        "Peacekeeping serves a political strategy: operations support political processes and "
        "solutions rather than replace them.",
    ),
    (
        5,
        "politics",
        "Sequenced and prioritised mandates",
        "Mandates should be clear, realistic and ordered by priority, so that operations can "
        "focus their means on what matters most at each stage.",
    ),
    (
        8,
        "women-peace-security",
        "Women, peace and security",
        "Women take part fully and meaningfully in peace processes and in peacekeeping, and "
        "gender analysis informs planning, operations and reporting.",
    ),
    (
        9,
        "protection",
        "Host state's primary responsibility to protect",
        "The host state holds the first responsibility for protecting civilians on its "
        "territory; peacekeeping operations support it and do not take its place.",
    ),
    (
        10,
        "protection",
        "Stronger protection by peacekeeping operations",
        "Operations protect civilians more effectively through approaches suited to each "
        "context, attention to women and children, readiness to use all necessary means and "
        "closer engagement with local people.",
    ),
    (
        15,
        "performance-accountability",
        "Caveats of contributing countries",
        "Undeclared caveats weaken performance; contributing countries and the Secretariat "
        "work to declare, limit and remove them.",
    ),
    (
        18,
        "partnerships",
        "Regional partners",
        "Regional and sub-regional organisations work alongside the UN, with roles and "
        "responsibilities agreed and coordinated.",
    ),
    (
        19,
        "partnerships",
        "Host-state cooperation",
        "The host state cooperates with the operation, respects its freedom of movement and "
        "status, and takes part in protecting civilians and building peace.",
    ),
    (
        22,
        "conduct",
        "Due diligence when supporting non-UN forces",
        "Before supporting non-UN security forces, the operation assesses the risk of grave "
        "violations, mitigates it and keeps the support under review.",
    ),
]

# Paragraph 10's four key elements: (number, code, label, description)
KEY_ELEMENTS = [
    (
        1,
        "tailored-approaches",
        "Tailored, context-specific approaches",
        "Protection is planned from an analysis of the threats in each area and the people "
        "they endanger, and adjusted as the threats change.",
    ),
    (
        2,
        "women-and-children",
        "Protection of women and children",
        "Particular attention to the risks women and children face, including sexual violence "
        "and grave violations against children, and to their part in shaping protection.",
    ),
    (
        3,
        "all-necessary-means",
        "All necessary means",
        "Readiness to act, including by force when required, to protect civilians under threat, "
        "within the Charter, the mandate and international law.",
    ),
    (
        4,
        "strategic-communications",
        "Strategic communications and engagement with local populations",
        "Regular two-way engagement with communities: explaining what the operation can and "
        "cannot do, listening to their concerns and keeping early-warning channels open.",
    ),
]

# (number, label, description)
TIERS = [
    (
        1,
        "Protection through dialogue and engagement",
        "Protecting civilians by political and civilian means: dialogue with parties to the "
        "conflict and authorities, mediation, advocacy, community engagement and early-warning "
        "networks.",
    ),
    (
        2,
        "Provision of physical protection",
        "Protecting civilians from imminent or ongoing physical violence by presence, patrols, "
        "deterrence, interposition and, where required, the use of force by military and police.",
    ),
    (
        3,
        "Establishment of a protective environment",
        "Building conditions that make civilians safer over time: rule of law, human rights "
        "monitoring and accountability, security sector reform, violence reduction and support "
        "for safe return of the displaced.",
    ),
]

PHASES = [
    (
        1,
        "Prevention",
        "No clear threat to civilians has been identified yet; the mission works to keep risks "
        "from emerging.",
    ),
    (
        2,
        "Pre-emption",
        "A threat has been identified and is rising; the mission acts early to stop it turning "
        "into violence.",
    ),
    (
        3,
        "Response",
        "Violence against civilians is imminent or happening; the mission acts to stop it and "
        "protect those at risk.",
    ),
    (
        4,
        "Consolidation",
        "Violence has subsided; the mission helps stabilise the area, supports those affected "
        "and addresses the causes so that it does not return.",
    ),
]

PARAGRAPH_WITH_KEY_ELEMENTS = 10


def load_reference_frame(apps, schema_editor):
    PriorityArea = apps.get_model("commitments", "PriorityArea")
    Paragraph = apps.get_model("commitments", "Paragraph")
    KeyElement = apps.get_model("commitments", "KeyElement")
    Tier = apps.get_model("commitments", "Tier")
    Phase = apps.get_model("commitments", "Phase")

    areas = {}
    for number, code, label in PRIORITY_AREAS:
        areas[code], _ = PriorityArea.objects.update_or_create(
            number=number, defaults={"code": code, "label": label}
        )
    for number, area_code, label, summary in PARAGRAPHS:
        Paragraph.objects.update_or_create(
            number=number,
            defaults={"priority_area": areas[area_code], "label": label, "summary": summary},
        )
    paragraph = Paragraph.objects.get(number=PARAGRAPH_WITH_KEY_ELEMENTS)
    for number, code, label, description in KEY_ELEMENTS:
        KeyElement.objects.update_or_create(
            code=code,
            defaults={
                "paragraph": paragraph,
                "number": number,
                "label": label,
                "description": description,
            },
        )
    for model, rows in ((Tier, TIERS), (Phase, PHASES)):
        for number, label, description in rows:
            model.objects.update_or_create(
                number=number, defaults={"label": label, "description": description}
            )


def unload_reference_frame(apps, schema_editor):
    # Children before parents. Rows still in use elsewhere (implementations, threats,
    # activities, indicators) stop the reversal, as they should.
    KeyElement = apps.get_model("commitments", "KeyElement")
    delete_rows(schema_editor, KeyElement, "code", [row[1] for row in KEY_ELEMENTS])
    Paragraph = apps.get_model("commitments", "Paragraph")
    delete_rows(schema_editor, Paragraph, "number", [row[0] for row in PARAGRAPHS])
    PriorityArea = apps.get_model("commitments", "PriorityArea")
    delete_rows(schema_editor, PriorityArea, "number", [row[0] for row in PRIORITY_AREAS])
    Tier = apps.get_model("commitments", "Tier")
    delete_rows(schema_editor, Tier, "number", [row[0] for row in TIERS])
    Phase = apps.get_model("commitments", "Phase")
    delete_rows(schema_editor, Phase, "number", [row[0] for row in PHASES])


def delete_rows(schema_editor, model, field, values):
    """Delete the rows of `model` whose `field` is in `values`, in plain SQL.

    Not QuerySet.delete(): on a rollback across several migrations the historical models can
    point at stale classes or at tables already dropped, and the deletion collector trips over
    them. The database's own foreign keys still refuse to delete a row something refers to.
    """
    table = schema_editor.quote_name(model._meta.db_table)
    column = schema_editor.quote_name(model._meta.get_field(field).column)
    placeholders = ", ".join(["%s"] * len(values))
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", list(values))


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(load_reference_frame, unload_reference_frame),
    ]
