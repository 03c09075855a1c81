"""Build hook: ship the repository's top-level ``rubrics/`` inside the package.

The built-in question banks live at the top of the repository, where users read and edit them;
an installed mockint (wheel, ``pip install .``, ``pipx install``) finds them as package data in
``mockint/rubrics/`` (see ``mockint.locations.builtin_rubrics_dir``). Everything else is
configured in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BANKS = Path("rubrics")
PACKAGED = Path("mockint") / "rubrics"


class build_py_with_banks(build_py):  # noqa: N801 (setuptools' command naming)
    """``build_py`` that also copies ``rubrics/*.toml`` into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            # An editable install runs from the checkout, which has rubrics/ already.
            return
        for bank in self._banks():
            target = Path(self.build_lib) / PACKAGED / bank.name
            self.mkpath(str(target.parent))
            self.copy_file(str(bank), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        packaged = [str(Path(self.build_lib) / PACKAGED / b.name) for b in self._banks()]
        return super().get_outputs(include_bytecode) + packaged

    @staticmethod
    def _banks() -> list[Path]:
        return sorted(BANKS.glob("*.toml"))


setup(cmdclass={"build_py": build_py_with_banks})
