from teller_assist.cli import main

if __name__ == "__main__":  # guarded: the demo generator's worker processes import this module
    raise SystemExit(main())
