"""Head office's target lists and each officer's daily tasks: "grant one, strike one" (授信一户，剔除一户).

Pure rules over plain data (the date is an argument): which task a target needs today, whether it is
struck, and how a list is split to the branches. The store reads the facts; the service decides with
these rules and records what happened.
"""
