"""OAI-PMH 2.0 data provider over an archive the converter wrote: ``repository`` (the items and
their records, from the archive's manifest), ``protocol`` (a request's arguments → its response
document) and ``server`` (HTTP at ``/oai``)."""
