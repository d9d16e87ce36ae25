/**
 * A bare HTTP endpoint serving one registry at `/metrics`, for worker processes, which have no REST
 * server of their own. `taskq serve` serves its metrics through its REST API instead.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

export interface MetricsEndpointOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Interface to bind; `0.0.0.0` for a Prometheus on another host. (Default: `127.0.0.1`, as every taskq listener) */
  host?: string;
}

export interface MetricsEndpoint {
  /** The port actually bound. */
  readonly port: number;
  close(): Promise<void>;
}

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
