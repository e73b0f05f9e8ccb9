"""Use cases, one module each; the window and the command line are thin faces over these."""
