"""Ship the six grave violations against children monitored under resolution 1612.

Keyed by number, so running the migration again updates the rows in place.
"""

from django.db import migrations

GRAVE_VIOLATIONS = [
    (1, "killing-maiming", "Killing and maiming"),
    (2, "recruitment-use", "Recruitment and use by armed forces or groups"),
    (3, "sexual-violence", "Sexual violence"),
    (4, "attacks-schools-hospitals", "Attacks on schools or hospitals"),
    (5, "abduction", "Abduction"),
    (6, "denial-humanitarian-access", "Denial of humanitarian access"),
]


def load_grave_violations(apps, schema_editor):
    GraveViolation = apps.get_model("incidents", "GraveViolation")
    for number, code, label in GRAVE_VIOLATIONS:
        GraveViolation.objects.update_or_create(
            number=number, defaults={"code": code, "label": label}
        )


def unload_grave_violations(apps, schema_editor):
    # Violations still recorded on an incident stop the reversal, as they should.
    GraveViolation = apps.get_model("incidents", "GraveViolation")
    delete_rows(schema_editor, GraveViolation, "number", [row[0] for row in GRAVE_VIOLATIONS])


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
        ("incidents", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_grave_violations, unload_grave_violations),
    ]
