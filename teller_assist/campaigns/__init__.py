"""Group credit campaigns: rosters, members and their scenario factors (spec/programme.md)."""
