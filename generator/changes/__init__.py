"""What changed between two revisions: git access, the diff of two models, sign-off and the
approvals it needs, the pull-request comment and the site's recent changes."""
