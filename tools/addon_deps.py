"""Print the comma-separated modules the suite's addons depend on, the suite's own addons left out."""

import ast
import pathlib
import sys

addons_dir = pathlib.Path(__file__).resolve().parent.parent / "addons"
suite = {path.parent.name for path in addons_dir.glob("*/__manifest__.py")}
depends = set()
for name in sys.argv[1].split(",") if len(sys.argv) > 1 else suite:
    manifest = ast.literal_eval((addons_dir / name / "__manifest__.py").read_text())
    depends.update(manifest.get("depends", []))
print(",".join(sorted(depends - suite)))
