"""@mentions: each person has a mention name (`Preference.handle`) made from their name,
transliterated to Latin letters ("Айгерим Нурланова" -> "aigerim.nurlanova"), unique, and
never their email address. `@name` in a post is found outside code, and the mentioned
person is told if they may read the thread."""

from __future__ import annotations

import re
import unicodedata

# One letter or two for each Cyrillic letter (Russian, Ukrainian, Kazakh, Kyrgyz...).
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўқғңүұһөә",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "yu",
            "ya",
            "i",
            "yi",
            "ye",
            "g",
            "u",
            "k",
            "g",
            "n",
            "u",
            "u",
            "h",
            "o",
            "a",
        ],
        strict=True,
    )
)
MENTION = re.compile(r"(?<![\w@./])@([a-z0-9][a-z0-9._-]{1,58}[a-z0-9])", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def handle_base(name: str) -> str:
    """A mention name from a person's name: lower-case Latin, words joined by dots."""
    letters = []
    for char in unicodedata.normalize("NFC", name.lower()):
        mapped = _CYRILLIC.get(char)
        if mapped is not None:
            letters.append("" if mapped == "-" else mapped)
        elif char.isalnum():
            # Latin letters lose their accents (á -> a); other scripts are left out.
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            letters.append(plain if plain.isalnum() else " ")
        else:
            letters.append(" ")
    words = "".join(letters).split()
    return ".".join(words)[:50].strip(".") or "member"


def mentioned_handles(body: str) -> list[str]:
    """The mention names written in `body`, in order, once each, code left out."""
    text = _CODE.sub(" ", body or "")
    return list(dict.fromkeys(match.lower() for match in MENTION.findall(text)))
