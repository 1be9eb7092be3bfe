import sys


def main() -> int:
    raise SystemExit("the GateLab window is not built yet")


if __name__ == "__main__":
    sys.exit(main())
