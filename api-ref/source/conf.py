# API reference of manila_lite (os-api-ref). Build: tox -e api-ref
project = 'manila_lite API Reference'
copyright = '2026, manila_lite developers'
extensions = ['os_api_ref', 'openstackdocstheme']
html_theme = 'openstackdocs'
html_theme_options = {'sidebar_mode': 'toc'}
openstackdocs_repo_name = 'manila_lite'
openstackdocs_auto_name = False
master_doc = 'index'
exclude_patterns = []
