"""Checks the import graph of src/hrnet beyond what import-linter's contracts say.

- no two modules import each other (function-local imports count);
- no module imports another module's private name (`_name`).

Prints each finding and exits 1 if there is one. `--pairs` lists the mutual pairs only.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def collect() -> tuple[dict[str, set[str]], list[str], set[str]]:
    modules: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        modules[module_name(path)] = path
    edges: dict[str, set[str]] = {name: set() for name in modules}
    private: list[str] = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("hrnet"):
                        target = alias.name
                        while target and target not in modules:
                            target = target.rpartition(".")[0]
                        if target and target != name:
                            edges[name].add(target)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    source = f"{base}.{node.module}" if node.module else base
                else:
                    source = node.module or ""
                if not source.startswith("hrnet"):
                    continue
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    if sub in modules:
                        target = sub
                    else:
                        target = source
                        while target and target not in modules:
                            target = target.rpartition(".")[0]
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            private.append(
                                f"{path.relative_to(ROOT)}:{node.lineno}: "
                                f"imports private {alias.name} from {source}"
                            )
                    if target and target != name:
                        edges[name].add(target)
    return edges, private, set(modules)


def main() -> int:
    edges, private, _ = collect()
    pairs = sorted(
        {
            tuple(sorted((a, b)))
            for a, targets in edges.items()
            for b in targets
            if a in edges.get(b, set())
        }
    )
    for a, b in pairs:
        print(f"mutual import: {a} <-> {b}")
    if "--pairs" not in sys.argv:
        for line in private:
            print(line)
    problems = len(pairs) + (0 if "--pairs" in sys.argv else len(private))
    print(f"{len(pairs)} mutual pairs, {len(private)} private imports")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
