# manila_lite documentation. Build: tox -e docs (needs Graphviz's dot)
project = 'manila_lite'
copyright = '2026, manila_lite developers'
extensions = ['sphinx.ext.graphviz']
master_doc = 'index'
html_theme = 'alabaster'
graphviz_output_format = 'svg'
exclude_patterns = []
