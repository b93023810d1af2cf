from django.db import migrations, models


class Migration(migrations.Migration):
    """Editions choose their outcome basis and the sections they leave out.

    Editions made before this counted outcomes as at the end of the year: they keep that
    basis, so a draft's figures do not change under it. New editions take the default, the
    latest outcome known when the report is made."""

    dependencies = [
        ("reports", "0001_reports_context_editions_tables"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="outcome_basis",
            field=models.CharField(default="year-end", max_length=20),
        ),
        migrations.AlterField(
            model_name="edition",
            name="outcome_basis",
            field=models.CharField(default="latest", max_length=20),
        ),
        migrations.AddField(
            model_name="edition",
            name="sections_off",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
