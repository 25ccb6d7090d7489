"""A realistic year of data for measuring the reports (``manage.py generate_year --units 15``).

About 1,000,000 counter sale lines (~400,000 sales), 50,000 online orders, 2,000 participants,
5,000 production batches with their lots, training, premi payouts and PNBP deposits, for N UPTs
under one Kanwil, every sale settled into ``production.Settlement`` with its allocations (premi,
PNBP, capital) by the split engine (``production.allocation.allocate_line`` over the shares of
the rule in force, ``reversal_rows`` for returns), as ``settle_sale`` does.

For benchmarks only, on an empty database (``migrate`` first). Rows go in with raw multi-row
inserts (SQLite ``executemany``, PostgreSQL ``COPY``) in chunks, ids given by the generator,
foreign keys checked once at the end on SQLite and by PostgreSQL's own deferred triggers skipped
with ``session_replication_role=replica`` (needs a superuser; the ids are built consistent). Not
generated: the stock movement ledger, lot consumptions and the premi ledger rows (the reports do
not read them), so ``check_stock``/``check_allocations`` are not meant for this data.

Parts: ``rawload`` (loading rows), ``people`` (units, catalogue, participants, batches),
``sales`` (counter sales, online orders, settlement), ``money`` (training, premi, PNBP),
``year`` (the generator that runs them in order).
"""
