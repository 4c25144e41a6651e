"""The playbook as frozen objects, built from checked files with their agreed values written in:
the one currency of the site, the change features and the commands."""
