"""Allow `python -m mockint`."""

from mockint.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
