/**
 * Serves the dashboard: static files from ./dashboard/ (plain HTML, CSS and JavaScript, no build
 * step), read once at start. They are public: the page holds no data, and calls the API with the
 * token the operator gives it (`/#token=…`).
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";

const FILES = [
  { path: "/", file: "index.html", type: "text/html; charset=utf-8" },
  { path: "/dashboard.js", file: "dashboard.js", type: "text/javascript; charset=utf-8" },
  { path: "/dashboard.css", file: "dashboard.css", type: "text/css; charset=utf-8" },
];

export function registerDashboard(app: FastifyInstance): void {
  for (const { path, file, type } of FILES) {
    const body = readFileSync(new URL(`./dashboard/${file}`, import.meta.url), "utf8");
    app.get(path, { config: { scope: "public" } }, async (_request, reply) => reply.type(type).header("cache-control", "no-cache").send(body));
  }
}
