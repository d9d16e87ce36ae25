/**
 * A throwaway `redis-server` that speaks only TLS, with a CA and a server certificate for 127.0.0.1
 * made by `openssl` in a temp folder. The plain port is off (`--port 0`), so a test that reaches the
 * server at all went through TLS. Never the shared server on 6379.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./redis-server.js";

export interface TlsRedis {
  readonly port: number;
  /** `rediss://127.0.0.1:<port>` */
  readonly url: string;
  /** PEM of the CA that signed the server's certificate: what a client must trust. */
  readonly ca: string;
  stop(): Promise<void>;
}

/** A CA, and a server certificate for IP 127.0.0.1 signed by it (EC keys: quick to make). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl("req", "-x509", "-new", ...ecKey, "-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "1", "-subj", "/CN=taskq test CA");
  openssl("req", "-new", ...ecKey, "-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=127.0.0.1");
  // Node checks the IP against subjectAltName, not the CN.
  writeFileSync(file("server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
  openssl(
    "x509",
    "-req",
    "-in",
    file("server.csr"),
    "-CA",
    file("ca.crt"),
    "-CAkey",
    file("ca.key"),
    "-CAcreateserial",
    "-out",
    file("server.crt"),
    "-days",
    "1",
    "-extfile",
    file("server.ext"),
  );
  return { ca: file("ca.crt"), cert: file("server.crt"), key: file("server.key") };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function startTlsRedis(extraArgs: string[] = []): Promise<TlsRedis> {
  const dir = mkdtempSync(join(tmpdir(), "taskq-tls-"));
  const { ca, cert, key } = makeCertificates(dir);
  const port = await freePort();
  const child = spawn(
    "redis-server",
    [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--tls-cert-file",
      cert,
      "--tls-key-file",
      key,
      "--tls-ca-cert-file",
      ca,
      "--tls-auth-clients",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      ...extraArgs,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; i < 200 && !(await answers(port)); i++) await new Promise((r) => setTimeout(r, 25));
  return {
    port,
    url: `rediss://127.0.0.1:${port}`,
    ca: readFileSync(ca, "utf8"),
    async stop() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
