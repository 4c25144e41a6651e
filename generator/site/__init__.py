"""The website: the MkDocs plugin, the pages rendered from the templates (render.py, with the text
made inert in safe_text.py and the links in links.py and urls.py), what each family of pages shows
(pages/), the navigation, the files served besides the pages, the page cache, the templates and
the theme (the scripts and styles every page loads)."""
