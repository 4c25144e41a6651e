"""The playbook as frozen objects, built from checked files with their agreed values written in:
the one currency of the site, the change features and the commands. Also the export (export.py),
the whole playbook as one JSON document and as CSV tables, which both `playbook export` and the
site's downloads publish."""
