# Hand-written data migration (issue 22): a "Medical referral" response becomes a referral to
# a health service (status "made": nothing more was recorded), and the key-population
# spellings written by older demo data take the vocabulary's codes, so pages show words.

from django.db import migrations

KEY_POPULATION_CODES = {
    "people_who_use_drugs": "pwud",
    "people_who_inject_drugs": "pwid",
    "sex_worker": "sex_workers",
    "sw": "sex_workers",
    "tg": "transgender",
}


def forward(apps, schema_editor):
    responses = apps.get_model("rights", "CaseResponse")
    responses.objects.filter(action="medical_referral").update(
        action="referral", service="health", referral_status="made"
    )
    cases = apps.get_model("rights", "Case")
    for case in cases.objects.exclude(key_populations=[]).only("pk", "key_populations"):
        codes = list(dict.fromkeys(KEY_POPULATION_CODES.get(c, c) for c in case.key_populations))
        if codes != case.key_populations:
            cases.objects.filter(pk=case.pk).update(key_populations=codes)


def backward(apps, schema_editor):
    responses = apps.get_model("rights", "CaseResponse")
    responses.objects.filter(action="referral", service="health").update(
        action="medical_referral", service="", referral_status=""
    )


class Migration(migrations.Migration):
    dependencies = [("rights", "0004_referrals_and_response_versions")]

    operations = [migrations.RunPython(forward, backward)]
