# Hand-written: Django has no operation for triggers (see audit/migration_operations.py).

from django.db import migrations

from audit.migration_operations import AppendOnlyTriggers


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        AppendOnlyTriggers(model_name='auditentry'),
    ]
