"""``/api/v1/jobs/{id}/graph``: the evidence subgraph of a candidate for a job."""

from __future__ import annotations

import marshmallow as ma
import networkx as nx
from flask import Response, json
from flask.views import MethodView
from marshmallow import validate

from api import wiring
from api.auth import protect
from api.openapi import Blueprint, errors
from api.schemas.common import Id
from graph.evidence import evidence_subgraph

blp = Blueprint("graphs", __name__, url_prefix="/api/v1/jobs",
                description="Evidence subgraphs (node-link JSON or GraphML)")
protect(blp)
GRAPHML = "application/graphml+xml"


class GraphArgs(ma.Schema):
    candidate_id = Id(required=True, strict=False)
    format = ma.fields.String(load_default="json", validate=validate.OneOf(["json", "graphml"]))


class NodeLinkSchema(ma.Schema):
    directed = ma.fields.Boolean(required=True)
    multigraph = ma.fields.Boolean(required=True)
    graph = ma.fields.Dict(required=True)
    nodes = ma.fields.List(ma.fields.Dict(), required=True,
                           metadata={"description": "id, type, label and details"})
    links = ma.fields.List(ma.fields.Dict(), required=True,
                           metadata={"description": "source, target, relation (weight)"})


@blp.route("/<id:job_id>/graph")
class EvidenceGraph(MethodView):
    @blp.arguments(GraphArgs, location="query")
    @blp.response(200, NodeLinkSchema)
    @blp.doc(responses={"200": {"content": {GRAPHML: {"schema": {"type": "string"}}}}})
    @errors(blp, 404)
    def get(self, args: dict, job_id: int):
        """job -> requirements -> skills <- (paths) <- credentials and experience <- candidate."""
        job = wiring.jobs().get(job_id)
        candidate = wiring.candidates().get(args["candidate_id"])
        graph = evidence_subgraph(job, candidate, wiring.skill_graph())
        if args["format"] == "graphml":
            return Response("\n".join(nx.generate_graphml(graph)), mimetype=GRAPHML)
        return Response(json.dumps(nx.node_link_data(graph, edges="links")),
                        mimetype="application/json")
