#!/usr/bin/env python3
"""A small OTLP/HTTP trace receiver for tests: the protocol's published protobuf definitions (PyPI
opentelemetry-proto, pinned in ops/requirements.txt), no collector.

    otlp_receiver.py PORT SPANS_FILE

Listens on 127.0.0.1:PORT. `POST /v1/traces` takes an ExportTraceServiceRequest as `application/x-protobuf`
(optionally gzip-encoded), appends one JSON line per span to SPANS_FILE (trace and span ids in lower-case hex, the
parent's, the span's name and kind, its resource's service.name, start and end in nanoseconds, its status code and
its attributes), and answers an empty ExportTraceServiceResponse. `GET /health` answers 200 once it listens.
Anything else: 404 (415 for a body that is not protobuf). TracingEndToEndTests starts it.
"""
import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

MAX_BODY = 64 << 20


def attribute_value(value):
    """The Python value of an OTLP AnyValue (scalars; arrays as lists; anything else as its text)."""
    kind = value.WhichOneof("value")
    if kind in ("string_value", "bool_value", "int_value", "double_value"):
        return getattr(value, kind)
    if kind == "array_value":
        return [attribute_value(item) for item in value.array_value.values]
    return None if kind is None else str(getattr(value, kind))


def spans_of(request):
    """One dict per span of an ExportTraceServiceRequest."""
    for resource_spans in request.resource_spans:
        resource = {a.key: attribute_value(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                yield {
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "service": resource.get("service.name"),
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "status": span.status.code,
                    "attributes": {a.key: attribute_value(a.value) for a in span.attributes},
                }


class Receiver(BaseHTTPRequestHandler):
    lock = threading.Lock()
    spans_file = None

    def log_message(self, *_):
        pass

    def answer(self, status, body=b"", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(200, b"ok\n") if self.path == "/health" else self.answer(404)

    def do_POST(self):
        if self.path != "/v1/traces":
            return self.answer(404)
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            return self.answer(400, b"missing or oversized body\n")
        body = self.rfile.read(length)
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        if not self.headers.get("Content-Type", "").startswith("application/x-protobuf"):
            return self.answer(415, b"only application/x-protobuf\n")
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception as error:  # a body that is not an ExportTraceServiceRequest
            return self.answer(400, f"not an ExportTraceServiceRequest: {error}\n".encode())
        lines = "".join(json.dumps(span, sort_keys=True) + "\n" for span in spans_of(request))
        with Receiver.lock, open(Receiver.spans_file, "a", encoding="utf-8") as out:
            out.write(lines)
        self.answer(200, ExportTraceServiceResponse().SerializeToString(), "application/x-protobuf")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    Receiver.spans_file = sys.argv[2]
    open(Receiver.spans_file, "a", encoding="utf-8").close()
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver)
    server.serve_forever()


if __name__ == "__main__":
    main()
