// A bare `/metrics` HTTP endpoint (serveMetrics).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** Options of {@link serveMetrics}. */
export interface MetricsEndpointOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind; `0.0.0.0` for a Prometheus on another host. (Default: `127.0.0.1`, as every taskq listener) */
  host?: string;
}

/** A listening `/metrics` endpoint. */
export interface MetricsEndpoint {
  /** The port actually bound. */
  readonly port: number;
  /** Stops listening. */
  close(): Promise<void>;
}

/**
 * Serves `registry` at `GET /metrics` on a bare HTTP server, for worker processes, which have no REST
 * server of their own (`taskq worker --metrics-port`). `taskq serve` serves its metrics through its
 * REST API instead. Resolves once listening.
 */
export async function serveMetrics(registry: Registry, options: MetricsEndpointOptions): Promise<MetricsEndpoint> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found", details: { path: request.url } }));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: error.message })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
