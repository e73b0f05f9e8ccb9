"""The programme's KPIs as pure definitions (``spec/programme.md``): coverage, signing rate, usage rate,
amount drawn against signed lines, indicator completion and first-loan customers, at any date and for a
scope. No database, no clock, no I/O: the store hands over counts by day, these modules turn them into
figures, exactly (integers, fractions, ``Decimal``)."""
