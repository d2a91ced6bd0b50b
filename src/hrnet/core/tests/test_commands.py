import io

import pytest
from django.core.management import CommandError, call_command

from hrnet.core.models import TaskProgress
from hrnet.geo.models import CountryAlias


def test_import_file_command_shows_progress_and_reports_bad_lines(geography, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("country,alias\nMD,Moldavian Republic\nNarnia,X\n", encoding="utf-8")
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_file", "geo.aliases", str(path), stdout=io.StringIO(), stderr=stderr)

    assert "line 3, column country" in stderr.getvalue()
    assert "2/2" in stderr.getvalue()
    assert not CountryAlias.objects.filter(name="Moldavian Republic").exists()
    assert TaskProgress.objects.get().status == TaskProgress.Status.FAILED


def test_import_file_command_writes_a_valid_file(geography, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("country,alias\nMD,Moldavian Republic\n", encoding="utf-8")
    stdout = io.StringIO()

    call_command("import_file", "geo.aliases", str(path), stdout=stdout, stderr=io.StringIO())

    assert "Rows read: 1. Rows written: 1." in stdout.getvalue()
    assert CountryAlias.objects.filter(name="Moldavian Republic").exists()
