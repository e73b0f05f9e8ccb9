"""Reading the core bank's nightly extracts (spec/extracts.md): formats, row rules, batches."""
