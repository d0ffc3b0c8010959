"""jsonschema request bodies, one module per resource; names carry the
first microversion they apply to (``CREATE_2_0``)."""
