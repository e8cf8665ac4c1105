"""Open Referral HSDS 3.0 for the directory: the read API, import and export.

* `mapping`: Lotse's models as HSDS objects (and what is kept and left out)
* `queries`: what the public may see (published offers and what they use), prefetched
* `api`, `urls`: the read-only API under `/api/hsds/`
* `importer`: `manage.py import_hsds` (JSON or a tabular datapackage folder)
* `exporter`, `datapackage`: `manage.py export_hsds` (JSON, or `--datapackage` CSV files)
* `schemas`: the official compiled schemas the importer checks records with
"""
