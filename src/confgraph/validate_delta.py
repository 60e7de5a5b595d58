"""What a change can make invalid: the focus nodes that reach a changed triple.

confgraph's shapes only look forward from a focus node: along property paths without
`sh:inversePath`, and in SPARQL constraints that start at `$this` (checked on every
violating example by tests/test_validate_delta.py). A node's results therefore depend
only on the triples it reaches, and a node that reaches no changed triple keeps the
results it had in the published release, which conformed. So when only a few graphs
changed, the nodes from which a changed triple's subject can be reached (walking the
published store's merge and ontology backwards, confgraph.reach) are validated, given
only the triples they reach in the new data (all the shapes can read); the others need
not be. A validation that finds anything is repeated over every node, for the whole
report.
"""

from __future__ import annotations

from confgraph.validate import SHAPES_DIR, ShapesDirs, shape_files


def looks_forward(shapes_dir: ShapesDirs) -> bool:
    """Tell whether the shapes are confgraph's own, which only look forward (see above)."""
    return shape_files(shapes_dir) == shape_files(SHAPES_DIR)
