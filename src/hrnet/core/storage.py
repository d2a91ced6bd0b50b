"""Django's "private" storage, never served under MEDIA_URL: library files and discussion
attachments. Files leave it only through each app's download view, after its permission
check."""

from __future__ import annotations

import os
from datetime import datetime
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible


@deconstructible(path="hrnet.core.storage.PrivateStorage")
class PrivateStorage(Storage):
    """Looks up `storages["private"]` at each call rather than once at import, so a change
    of settings (tests, a deployment's own backend) is honoured."""

    @property
    def backend(self) -> Storage:
        return storages["private"]

    def _open(self, name: str, mode: str = "rb") -> File:
        return self.backend.open(name, mode)

    def _save(self, name: str, content: IO[Any]) -> str:
        return self.backend.save(name, content)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        return self.backend.generate_filename(filename)

    def delete(self, name: str) -> None:
        self.backend.delete(name)

    def exists(self, name: str) -> bool:
        return self.backend.exists(name)

    def size(self, name: str) -> int:
        return self.backend.size(name)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(path)

    def get_modified_time(self, name: str) -> datetime:
        return self.backend.get_modified_time(name)

    def path(self, name: str) -> str:
        return self.backend.path(name)

    def url(self, name: str | None) -> str:
        # Never a public address: files are handed out by download views only.
        raise NotImplementedError("Private files have no public URL.")


private_storage = PrivateStorage()
