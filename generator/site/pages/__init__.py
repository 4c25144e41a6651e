"""What each family of generated pages shows beyond the entries themselves, one module per family:
stages and their cards, assets, the finder, the glossary (and where its terms are used), the
lifecycle and its diagram, onboarding, coverage, agreed values, what needs review, shared goals;
and how the long reference pages are split into runs of pages (paging.py)."""
