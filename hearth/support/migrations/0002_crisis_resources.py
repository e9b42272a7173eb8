from django.db import migrations


def load(apps, schema_editor):
    from hearth.support.data_load import starting_resources

    CrisisResource = apps.get_model("support", "CrisisResource")
    if CrisisResource.objects.exists():
        return
    CrisisResource.objects.bulk_create(
        [CrisisResource(checked=False, **fields) for fields in starting_resources()]
    )


def unload(apps, schema_editor):
    CrisisResource = apps.get_model("support", "CrisisResource")
    CrisisResource.objects.filter(checked=False).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
