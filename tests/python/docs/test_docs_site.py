"""`make docs` builds one offline HTML file whose rendered page shows a mart and its lineage, in headless Chromium."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# The model whose page and lineage graph are checked: a mart, with its upstream staging models.
DOCS_MODEL = "fct_order_lines"
PROJECT = "commerce_dw"
# cytoscape keeps its instance on the graph container; the lineage graph is drawn on a canvas, not in the DOM.
VISIBLE_NODES_JS = """() => {
    const cy = document.querySelector('#cy')._cyreg.cy;
    const [width, height] = [cy.width(), cy.height()];
    return cy.nodes(':visible').map(node => {
        const box = node.renderedBoundingBox();
        const inside = box.x1 >= 0 && box.y1 >= 0 && box.x2 <= width && box.y2 <= height;
        return {id: node.id(), label: node.data('label'), inside: inside};
    });
}"""
VISIBLE_EDGES_JS = """() => document.querySelector('#cy')._cyreg.cy.edges(':visible')
    .map(edge => [edge.source().id(), edge.target().id()])"""
GRAPH_DRAWS_JS = """ids => {
    const container = document.querySelector('#cy');
    if (!(container && container._cyreg)) return false;
    const cy = container._cyreg.cy;
    return ids.every(id => cy.getElementById(id).visible());
}"""


def graph_label(node: dict[str, Any]) -> str:
    """How dbt docs labels a node in the lineage graph."""
    if node["resource_type"] == "source":
        return f"{node['source_name']}.{node['name']}"
    return node["name"]


def ancestors(manifest: dict[str, Any], unique_id: str) -> dict[str, str]:
    """Every upstream node of unique_id (models, seeds, snapshots, sources), as id -> graph label."""
    nodes = {**manifest["nodes"], **manifest["sources"]}
    found: dict[str, str] = {}
    pending = list(nodes[unique_id]["depends_on"]["nodes"])
    while pending:
        parent = pending.pop()
        if parent in found:
            continue
        found[parent] = graph_label(nodes[parent])
        pending.extend(nodes[parent].get("depends_on", {}).get("nodes", []))
    return found


def is_staging_model(manifest: dict[str, Any], unique_id: str) -> bool:
    return unique_id.startswith("model.") and "staging" in manifest["nodes"][unique_id]["fqn"]


def parents(manifest: dict[str, Any], unique_id: str) -> dict[str, str]:
    nodes = {**manifest["nodes"], **manifest["sources"]}
    return {parent: graph_label(nodes[parent]) for parent in nodes[unique_id]["depends_on"]["nodes"]}


def assert_graph_draws(page: Page, model: str, unique_id: str, upstream: dict[str, str]) -> None:
    """The lineage graph on the page draws the model, each upstream node inside the view, and edges into the model."""
    expected = {unique_id: model, **upstream}
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertions below say what is missing
        page.wait_for_function(GRAPH_DRAWS_JS, arg=list(expected), timeout=20_000)
    page.wait_for_timeout(1_000)  # the layout animates into place
    drawn = {node["id"]: node for node in page.evaluate(VISIBLE_NODES_JS)}
    missing = sorted(label for node, label in expected.items() if node not in drawn)
    assert not missing, f"the lineage graph of {model} lacks {missing}"
    for node, label in expected.items():
        assert drawn[node]["label"] == label
        assert drawn[node]["inside"], f"{label} is drawn outside the visible graph area"
    edges = {tuple(edge) for edge in page.evaluate(VISIBLE_EDGES_JS)}
    assert any(target == unique_id for _, target in edges), f"no edge into {model} in the lineage graph"


@pytest.mark.parametrize("model", [DOCS_MODEL])
def test_model_page_and_lineage_graph_render(
    model: str, docs_target: Path, manifest: dict[str, Any], page: Page, artifacts_dir: Path
) -> None:
    unique_id = f"model.{PROJECT}.{model}"
    assert unique_id in manifest["nodes"], f"{model} is not a model of the project"
    direct = parents(manifest, unique_id)
    upstream = ancestors(manifest, unique_id)
    if not is_staging_model(manifest, unique_id):
        assert any(is_staging_model(manifest, node) for node in upstream), f"{model} has no upstream staging model"
    site = (docs_target / "static_index.html").as_uri()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    # The model's page, as a reader opens it: its name, and its parents under "Depends On".
    page.goto(f"{site}#!/model/{unique_id}")
    title = page.locator(".app-title h1").first
    title.wait_for()
    assert model in title.inner_text()
    body = page.locator("body").inner_text()
    for label in direct.values():
        assert label.split(".")[-1] in body, f"the page of {model} does not list its parent {label} (Depends On)"
    page.screenshot(path=artifacts_dir / f"{model}-page.png", full_page=True)

    # Its lineage button: the side graph of the model with its direct parents.
    page.click('a[title="View Lineage Graph"]')
    assert_graph_draws(page, model, unique_id, direct)
    page.screenshot(path=artifacts_dir / f"{model}-lineage-sidebar.png")

    # The full upstream lineage (selector +model), back to the staging models and the sources. A fresh load: the
    # app reads the graph selection from the URL only when it starts.
    page.goto("about:blank")
    page.goto(f"{site}#!/model/{unique_id}?g_v=1&g_i=%2B{model}")
    assert_graph_draws(page, model, unique_id, upstream)
    page.screenshot(path=artifacts_dir / f"{model}-lineage.png")

    remote = [url for url in requests if not url.startswith(("file:", "data:", "blob:"))]
    assert not remote, f"the docs site is not self-contained: it fetched {remote[:5]}"
