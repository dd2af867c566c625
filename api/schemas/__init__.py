"""marshmallow schemas: the API's request and response shapes, at the edge only."""
