"""Print the shell script docs/deployment.md's test blocks make (```sh deploy-test:NAME),
in the doc's order, each between `doc_hook before NAME` and `doc_hook after NAME`, so
deploy/test/run can add what a test machine needs around a step without changing it."""

# ruff: noqa: T201  # the script is its output

import re
import sys
from pathlib import Path

BLOCK = re.compile(r"^```sh deploy-test:([\w-]+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def main() -> None:
    text = Path(sys.argv[1]).read_text(encoding="utf-8")
    names = []
    for match in BLOCK.finditer(text):
        name, body = match.group(1), match.group(2)
        names.append(name)
        print(f"doc_hook before {name}")
        print(f"doc_step {name}")
        print(body.rstrip("\n"))
        print(f"doc_hook after {name}")
    if not names:
        sys.exit("no ```sh deploy-test:NAME blocks found")
    print(f"# steps: {' '.join(names)}", file=sys.stderr)


if __name__ == "__main__":
    main()
