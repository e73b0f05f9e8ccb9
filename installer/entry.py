"""The frozen program's entry point (PyInstaller): the same ``teller-assist`` command as a checkout's."""

import multiprocessing
import sys

if __name__ == "__main__":
    # the import and the demo generator parse in "spawn" worker processes: in a frozen program each
    # worker is this executable started again, and freeze_support() runs the worker's task and exits
    multiprocessing.freeze_support()
    from teller_assist.cli import main

    sys.exit(main())
