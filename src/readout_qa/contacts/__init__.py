"""Contacts: who called, met or visited whom, when, across every readout.

Questions over many readouts ("How many times did Biden call Trudeau in 2023?", "Which
leaders did Trump call in February 2025?") cannot be answered from a handful of
retrieved passages; they are answered from a table of contacts, derived from the store
like the BM25 index. One module per job:

* :mod:`.clauses`: which sentences state a contact, of which kind (rules, not a model);
* :mod:`.participants`: who takes part (titled names, the publisher's own principals,
  roles and countries); :mod:`.when`: the event date (not the publication date);
* :mod:`.extract`: one readout -> its :class:`~.extract.Mention` s (and ``Contact`` s);
* :mod:`.people`: name forms across readouts as one person; :mod:`.merge`: one event
  read out by two governments as one contact;
* :mod:`.rows` and :mod:`.table`: the SQLite table in the data directory, synced by
  content hash, queried by participants, dates and kind;
* :mod:`.questions` and :mod:`.answerer`: contact questions answered from the table.
"""
