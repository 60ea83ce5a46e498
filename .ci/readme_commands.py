"""Print the shell commands of the README's "The two commands" block, one a line.

CI runs exactly these, so the README and CI cannot drift apart.
"""

import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## The two commands", 1)[1]
block = re.search(r"```sh\n(.*?)```", section, re.S)
if block is None:
    sys.exit("no ```sh block under '## The two commands'")
for line in block.group(1).splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        print(line)
