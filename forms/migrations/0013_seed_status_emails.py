from django.db import migrations

DEFAULTS = {
    "antagen": (
        "Du är antagen till {program} {omgång}",
        "Hej {namn}!\n\n"
        "Välkommen till {program} {omgång}! Du är antagen och har en plats i "
        "programmet.\n\n"
        "Träffarna: {datum}\nPlats: {plats}\n\n"
        "I kalenderfilen som följer med det här mejlet finns alla träffar, så att "
        "du kan lägga in dem i din kalender.\n\n"
        "Varmt välkommen!\nSKR, Toppolitikerprogrammen",
    ),
    "reserv": (
        "Du står som reserv till {program} {omgång}",
        "Hej {namn}!\n\n"
        "Tack för din intresseanmälan till {program} {omgång}. Platserna är "
        "fyllda, men du står som reserv. Om någon plats blir ledig hör vi av oss "
        "till dig.\n\n"
        "Träffarna: {datum}\n\n"
        "Vänliga hälsningar\nSKR, Toppolitikerprogrammen",
    ),
    "avböjd": (
        "Om din intresseanmälan till {program} {omgång}",
        "Hej {namn}!\n\n"
        "Tack för din intresseanmälan till {program} {omgång}. Vi har tyvärr "
        "inte plats för dig den här gången. Välkommen att anmäla intresse igen "
        "till nästa omgång.\n\n"
        "Vänliga hälsningar\nSKR, Toppolitikerprogrammen",
    ),
}


def seed(apps, schema_editor):
    template = apps.get_model("forms", "StatusEmailTemplate")
    for status, (subject, body) in DEFAULTS.items():
        template.objects.get_or_create(
            status=status, defaults={"subject": subject, "body": body}
        )


class Migration(migrations.Migration):
    dependencies = [("forms", "0012_admissions_and_status_emails")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
