"""The general ledger: journals of balanced postings, the chart of accounts, the checks that hold it together, the
trial balance, the per-recipient statement and the closing of fiscal years.

Jobs write journals (jobs/booking.py); this package reads them. A correction is never an edit: it is a new journal
that books only the difference from what its job and date booked before and links to the journal it corrects
(`journal.corrects_id`). That is the reversing-journal-plus-new-journal pattern with the two netted, account by
account and line by line: reversal (-old) + new (+new) = (new - old), so every balance, at every date, is the same
as with a full reversal, while each journal stays small and says exactly what changed (docs/exports.md).
"""
