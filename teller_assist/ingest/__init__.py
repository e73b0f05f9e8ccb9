"""Reading the core bank's nightly extracts (docs/extracts.md): formats, row rules, batches."""
