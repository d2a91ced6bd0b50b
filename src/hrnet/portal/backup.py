"""`hrnet backup` and `hrnet restore`: one tar.gz archive holding the database dump
(PostgreSQL: pg_dump's custom format; SQLite: the sqlite backup API), the files of the
media and private storages when they are local folders, and a manifest (manifest.json,
the last member) with the version, the engine, the migrations, every file's size and
SHA-256 and the fingerprints of the rights keys the data is encrypted with.

The keys themselves (HRNET_RIGHTS_KEYS) are never in the archive: a stolen backup reveals
no rights case. They are kept apart (docs/backups.md). A restore goes only into an empty
database and empty folders, checks every member against the manifest before writing
anything, and then checks that every rights case decrypts with the configured keys.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from hrnet.rights import crypto

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"postgresql": "database/hrnet.pgdump", "sqlite": "database/hrnet.sqlite3"}
# Archive folder -> storage alias (settings.STORAGES).
STORAGE_FOLDERS = {"media": "default", "private": "private"}
ARCHIVE_PREFIX = "hrnet-backup-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Restored:
    manifest: dict[str, Any]
    files: int
    keys: crypto.KeyReport
    migrations_behind: list[str] = field(default_factory=list)


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Backups support PostgreSQL and SQLite; this database is %(vendor)s.")
            % {"vendor": vendor}
        )
    return vendor


def _version() -> str:
    try:
        return metadata.version("hrnet")
    except metadata.PackageNotFoundError:
        return "unknown"


def _local_folders() -> tuple[dict[str, Path], dict[str, str]]:
    """(archive folder -> local folder of the storages kept on disk, archive folder ->
    backend of those that are not: object storage keeps its own versions)."""
    local, elsewhere = {}, {}
    for folder, alias in STORAGE_FOLDERS.items():
        storage = storages[alias]
        if isinstance(storage, FileSystemStorage):
            local[folder] = Path(storage.location)
        else:
            elsewhere[folder] = f"{type(storage).__module__}.{type(storage).__qualname__}"
    return local, elsewhere


def _files_in(folder: Path) -> Iterator[tuple[str, Path]]:
    """(relative POSIX name, path) of every regular file under `folder`, sorted."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path.relative_to(folder).as_posix(), path


def _libpq_environment() -> dict[str, str]:
    """The connection of `default` for pg_dump/pg_restore, in libpq's variables (a
    password in an argument would show in the process list)."""
    config = connection.settings_dict
    env = dict(os.environ)
    pairs = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config.get("NAME"),
    }
    options = config.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(option):
            pairs[variable] = str(options[option])
    env.update({name: str(value) for name, value in pairs.items() if value})
    return env


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603
            command, env=_libpq_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            _(
                "%(program)s was not found: install the PostgreSQL client programs of the "
                "server's version (Debian: postgresql-client)."
            )
            % {"program": command[0]}
        ) from exc
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()}
        )


def _database_dump(target: Path) -> None:
    if _engine() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
        return
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()


def _database_load(dump: Path) -> None:
    if _engine() == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                str(dump),
            ]
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()


def migration_heads() -> dict[str, list[str]]:
    """Per app, the applied migrations no other applied migration of the app builds on."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied = set(loader.applied_migrations)
    heads: dict[str, list[str]] = {}
    for app, name in sorted(applied):
        node = loader.graph.node_map.get((app, name))
        children = node.children if node is not None else set()
        if not any(child in applied and child[0] == app for child in children):
            heads.setdefault(app, []).append(name)
    return heads


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while hashing what it reads."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    size = path.stat().st_size
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(path.stat().st_mtime)
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _Hashing(handle)
        archive.addfile(info, reader)
    return {"path": name, "size": size, "sha256": reader.digest.hexdigest()}


def _archive_path(output: Path | None, now: datetime) -> Path:
    name = f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}.tar.gz"
    if output is None:
        return Path(settings.HRNET_BACKUP_DIR) / name
    if output.is_dir() or not output.name.endswith((".tar.gz", ".tgz")):
        return output / name
    return output


def backup_create(*, output: Path | None = None, keep: int | None = None) -> Path:
    """Write one archive (database, local storages, manifest) and return its path.
    `keep`: afterwards delete all but the newest `keep` archives of that folder."""
    engine = _engine()
    now = datetime.now(UTC)
    path = _archive_path(output, now).resolve()
    local, elsewhere = _local_folders()
    for location in local.values():
        if path.is_relative_to(location.resolve()):
            raise BackupError(
                _("The archive %(path)s would be inside %(folder)s, which it backs up.")
                % {"path": path, "folder": location}
            )
    keys = crypto.key_report()  # before anything is written: a missing key is worth knowing
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "hrnet_version": _version(),
        "engine": engine,
        "migrations": migration_heads(),
        "storages": {},
        "storages_not_included": elsewhere,
        "files": [],
        # Fingerprints only: the keys are never in a backup.
        "rights_keys": keys.manifest(),
    }
    try:
        with tempfile.TemporaryDirectory(dir=path.parent) as scratch:
            dump = Path(scratch) / "database"
            _database_dump(dump)
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                manifest["database"] = _add(archive, DATABASE_MEMBERS[engine], dump)
                for folder, location in local.items():
                    count = size = 0
                    for name, file_path in _files_in(location):
                        entry = _add(archive, f"files/{folder}/{name}", file_path)
                        manifest["files"].append(entry)
                        count += 1
                        size += entry["size"]
                    manifest["storages"][folder] = {"files": count, "bytes": size}
                data = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(now.timestamp())
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(data))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    if keep:
        for old in sorted(path.parent.glob(f"{ARCHIVE_PREFIX}*.tar.gz"), reverse=True)[keep:]:
            old.unlink()
    return path


# --- restore ------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "" not in parts


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """The archive's regular files in order, streamed; anything else is refused."""
    try:
        with tarfile.open(path, mode="r|gz") as archive:
            for member in archive:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(
                        _("The archive holds %(name)s, which no hrnet backup contains.")
                        % {"name": member.name}
                    )
                handle = archive.extractfile(member)
                if handle is None:  # not reached: regular files have content
                    continue
                yield member, handle
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            _("%(path)s is not a readable hrnet backup: %(error)s") % {"path": path, "error": exc}
        ) from exc


def _copy(handle: IO[bytes], target: IO[bytes] | None) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest()


def archive_verify(path: Path) -> dict[str, Any]:
    """The manifest of `path` once every member has been read and matches it (size and
    SHA-256); BackupError in words otherwise. Writes nothing."""
    seen: dict[str, str] = {}
    manifest: dict[str, Any] | None = None
    for member, handle in _members(path):
        if member.name == MANIFEST:
            try:
                manifest = json.loads(handle.read())
            except ValueError as exc:
                raise BackupError(
                    _("The manifest of %(path)s is damaged.") % {"path": path}
                ) from exc
        else:
            seen[member.name] = _copy(handle, None)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(path)s has no manifest of a format this version reads.") % {"path": path}
        )
    expected = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    expected[manifest["database"]["path"]] = manifest["database"]["sha256"]
    for name in sorted(expected.keys() | seen.keys()):
        if expected.get(name) != seen.get(name):
            raise BackupError(
                _(
                    "%(name)s in the archive does not match its manifest: the archive is "
                    "incomplete or damaged; nothing was restored."
                )
                % {"name": name}
            )
    return manifest


def restore_refusals(local: dict[str, Path]) -> list[str]:
    """Why this database and these folders cannot receive a restore (empty: they can)."""
    refusals = []
    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        raise BackupError(
            _(
                "Cannot open the database %(name)s: %(error)s. Create it (empty) and check "
                "DATABASE_URL; nothing was restored."
            )
            % {"name": connection.settings_dict["NAME"], "error": str(exc).strip()}
        ) from exc
    if tables:
        refusals.append(
            _(
                "The database %(name)s is not empty (%(count)s tables). Restore only into "
                "a new, empty database: create one and point DATABASE_URL at it."
            )
            % {"name": connection.settings_dict["NAME"], "count": len(tables)}
        )
    for folder, location in local.items():
        if next(_files_in(location), None) is not None:
            refusals.append(
                _(
                    "The folder %(location)s (%(folder)s files) is not empty. Restore only "
                    "into empty folders: move its files away or point the setting at a new "
                    "folder."
                )
                % {"location": location, "folder": folder}
            )
    return refusals


def _migrations_unknown(manifest: dict[str, Any]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in loader.graph.nodes
    ]


def backup_restore(*, archive: Path) -> Restored:
    """Restore `archive` into the empty database and folders of this configuration."""
    engine = _engine()
    local, _elsewhere = _local_folders()
    refusals = restore_refusals(local)
    if refusals:
        raise BackupError("\n".join([*refusals, _("Nothing was restored.")]))
    manifest = archive_verify(archive)
    if manifest["engine"] != engine:
        raise BackupError(
            _(
                "The archive holds a %(archived)s database; this server uses %(engine)s. "
                "Restore it into a %(archived)s database."
            )
            % {"archived": manifest["engine"], "engine": engine}
        )
    unknown = _migrations_unknown(manifest)
    if unknown:
        raise BackupError(
            _(
                "The archive was made by a newer version of hrnet (%(version)s): this one "
                "does not know the migrations %(migrations)s. Install that version or a "
                "later one, then restore."
            )
            % {"version": manifest.get("hrnet_version"), "migrations": ", ".join(unknown)}
        )
    missing_folders = sorted(
        {entry["path"].split("/")[1] for entry in manifest["files"]} - local.keys()
    )
    if missing_folders:
        raise BackupError(
            _(
                "The archive holds %(folders)s files but this server keeps them in object "
                "storage; restore those into the bucket by hand (docs/backups.md)."
            )
            % {"folders": ", ".join(missing_folders)}
        )
    files = 0
    with tempfile.TemporaryDirectory() as scratch:
        for member, handle in _members(archive):
            if member.name == manifest["database"]["path"]:
                dump = Path(scratch) / "database"
                with dump.open("wb") as target:
                    _copy(handle, target)
                _database_load(dump)
                dump.unlink()
            elif member.name.startswith("files/"):
                _files, folder, name = member.name.split("/", 2)
                destination = local[folder] / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                with destination.open("xb") as target:
                    _copy(handle, target)
                files += 1
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    behind = sorted(
        f"{app}.{name}"
        for app, name in loader.graph.leaf_nodes()
        if (app, name) not in loader.applied_migrations
    )
    return Restored(
        manifest=manifest, files=files, keys=crypto.key_report(), migrations_behind=behind
    )
