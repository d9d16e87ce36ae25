/**
 * taskq as a user gets it: the three packages built and packed, installed from their tarballs into an
 * app in a temporary folder outside this repository (nothing linked to the workspace), `taskq init`
 * and `taskq generate` run there, the app compiled by tsc under the strictest flags a user may set,
 * and run on plain `node` against a real Redis.
 */
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type TestRedis } from "../support/redis-server.js";

const run = promisify(execFile);
const REPO = fileURLToPath(new URL("../../", import.meta.url));
const APP_FILES = fileURLToPath(new URL("./app/", import.meta.url));
const TSC = path.join(REPO, "node_modules/typescript/bin/tsc");

// The app's processes get none of this repository's development settings: no node options, and not
// the tsconfig.json whose paths point tsx at the sources (vitest.config.ts sets TSX_TSCONFIG_PATH).
const { NODE_OPTIONS: _devOptions, npm_config_node_options: _npmOptions, TSX_TSCONFIG_PATH: _devTsconfig, ...cleanEnv } = process.env;
const env = { ...cleanEnv, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };

async function sh(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const started = Date.now();
  const { stdout, stderr } = await run(command, args, { cwd, env: { ...env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 });
  return { stdout, stderr, ms: Date.now() - started };
}

const npm = (args: string[], cwd: string) => sh("npm", [...args, "--prefer-offline"], cwd);

let work: string;
let app: string;
let tarballs: Record<"runtime" | "codegen" | "cli", string>;
let redis: TestRedis;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), "taskq-install-"));
  app = path.join(work, "app");
  const packed = await sh(process.execPath, [path.join(REPO, "scripts/pack.mjs"), path.join(work, "packed")], REPO);
  const files = packed.stdout.trim().split("\n");
  const find = (name: string) => files.find((file) => path.basename(file).startsWith(`taskq-${name}-`))!;
  tarballs = { runtime: find("runtime"), codegen: find("codegen"), cli: find("cli") };
  redis = await startRedis();
}, 300_000);

afterAll(async () => {
  await redis?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it("hold the compiled code, its Lua scripts and templates, README and LICENSE, and no sources, tests or benches", async () => {
    const listing = async (tarball: string) => (await sh("tar", ["tzf", tarball], work)).stdout.trim().split("\n");
    const runtime = await listing(tarballs.runtime);
    const codegen = await listing(tarballs.codegen);
    const cli = await listing(tarballs.cli);
    for (const files of [runtime, codegen, cli]) {
      expect(files).toContain("package/README.md");
      expect(files).toContain("package/LICENSE");
      expect(files).toContain("package/CHANGELOG.md");
      expect(files.filter((file) => /\/(src|test|tests|bench|fixtures)\//.test(file) || file.endsWith(".test.js"))).toEqual([]);
      expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    }
    expect(runtime).toEqual(
      expect.arrayContaining(["package/dist/index.js", "package/dist/index.d.ts", "package/dist/index.d.ts.map", "package/dist/index.js.map"]),
    );
    expect(runtime).toEqual(
      expect.arrayContaining(["package/dist/internal.js", "package/dist/internal.d.ts", "package/dist/contract/index.js", "package/dist/contract/index.d.ts"]),
    );
    expect(runtime).toEqual(
      expect.arrayContaining(["package/dist/scripts/enqueue-8.lua", "package/dist/worker/thread-bootstrap.mjs", "package/dist/http/dashboard/index.html"]),
    );
    expect(codegen).toEqual(expect.arrayContaining(["package/dist/templates/client.ts.hbs", "package/dist/templates/worker.ts.hbs"]));
    expect(cli).toEqual(expect.arrayContaining(["package/bin/taskq.js", "package/dist/main.js"]));
    // The packed manifests are the repository's, and name no source (src/*.ts, which no tarball holds).
    for (const [name, tarball] of Object.entries(tarballs)) {
      const packed = JSON.parse((await sh("tar", ["xzf", tarball, "-O", "package/package.json"], work)).stdout) as { exports?: unknown };
      const source = JSON.parse(readFileSync(path.join(REPO, "packages", name, "package.json"), "utf8")) as { exports?: unknown };
      expect(packed.exports).toEqual(source.exports);
      expect(JSON.stringify(packed)).not.toMatch(/"\.\/src\/|(?<!\.d)\.ts"/);
    }
    // One version across the packages, the internal dependencies pinned to it.
    const manifest = (name: keyof typeof tarballs) => JSON.parse(readFileSync(path.join(REPO, "packages", name, "package.json"), "utf8"));
    const version = manifest("runtime").version;
    expect(manifest("codegen").version).toBe(version);
    expect(manifest("cli").version).toBe(version);
    expect(manifest("cli").dependencies).toMatchObject({ "@taskq/runtime": version, "@taskq/codegen": version });
    // The generator reads jobs.ts against the runtime's contract (@taskq/runtime/contract).
    expect(manifest("codegen").dependencies).toMatchObject({ "@taskq/runtime": version });
  });

  it("pass npm publish --dry-run with nothing to warn of but the missing registry login", async () => {
    for (const name of ["runtime", "codegen", "cli"]) {
      const { stderr } = await sh("npm", ["publish", "--dry-run"], path.join(REPO, "packages", name));
      const warnings = stderr.split("\n").filter((line) => /^npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
      expect(warnings, `npm publish --dry-run of @taskq/${name}`).toEqual([]);
    }
  });

  it("install into an app outside the repository, generate, compile under strict flags and run on plain node", async () => {
    mkdirSync(app);
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "signup-app", version: "1.0.0", private: true, type: "module" }, null, 2));

    // A producer's install: the runtime and typebox, nothing for HTTP, metrics or TypeScript.
    const installed = await npm(["install", tarballs.runtime, "typebox@^1.4.3"], app);
    const production = (await sh("npm", ["ls", "--all", "--parseable", "--omit=dev"], app)).stdout;
    for (const heavy of ["fastify", "prom-client", "msgpackr", "@opentelemetry/api", "tsx", "typescript", "ts-morph", "handlebars"]) {
      expect(production).not.toMatch(new RegExp(`node_modules/${heavy}(\\n|$)`));
    }
    // Tracing needs @opentelemetry/api, an optional peer the producer did not install: asked for, it
    // says what to install (the build tools below bring it in, through the CLI's prom-client).
    const untraced = await sh(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        'import { Client } from "@taskq/runtime"; try { new Client({ tracing: true }); } catch (e) { console.log(e.name + ": " + e.message); } process.exit(0);',
      ],
      app,
      { TASKQ_REDIS_URL: redis.url },
    );
    expect(untraced.stdout.trim()).toBe("ConfigError: tracing needs the @opentelemetry/api package: npm install @opentelemetry/api");
    // The build-time tools, as an app's devDependencies.
    const devInstalled = await npm(["install", "--save-dev", tarballs.cli, tarballs.codegen, "@types/node@^20.19.0"], app);
    console.log(`install: producer ${installed.ms} ms, build tools ${devInstalled.ms} ms`);
    const tsx = await sh("npm", ["ls", "tsx", "--all", "--parseable"], app).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(tsx.stdout.trim()).toBe("");

    const version = await sh("npx", ["taskq", "--version"], app);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO, "packages/cli/package.json"), "utf8")).version);

    await sh("npx", ["taskq", "init"], app);
    expect(readFileSync(path.join(app, "jobs.ts"), "utf8")).toContain("@Queue(");
    expect(JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")).scripts.generate).toBe("taskq generate");
    // The app's own jobs: a constrained payload, a Date, a result type, a thread-pool queue.
    for (const file of ["jobs.ts", "main.ts", "tsconfig.json"]) copyFileSync(path.join(APP_FILES, file), path.join(app, file));
    rmSync(path.join(app, "taskq.lock.json"), { force: true });
    await sh("npm", ["run", "generate"], app);
    await sh("npx", ["taskq", "generate", "--check"], app);
    expect(readFileSync(path.join(app, "generated/index.ts"), "utf8")).toMatch(/^\/\/ @generated by taskq/);

    // tsc: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, noPropertyAccessFromIndexSignature,
    // verbatimModuleSyntax, module nodenext, and skipLibCheck off so taskq's own .d.ts are checked too.
    const compiled = await sh(process.execPath, [TSC, "-p", "tsconfig.json"], app).catch((error: { stdout: string }) => {
      throw new Error(`tsc failed:\n${error.stdout}`);
    });
    console.log(`tsc (strict flags, lib check on): ${compiled.ms} ms`);

    const { stdout } = await sh(process.execPath, ["dist/main.js"], app, { TASKQ_REDIS_URL: redis.url });
    const seen = JSON.parse(stdout.trim().split("\n").at(-1)!);
    // A typed result, decoded (the Date arrived as a Date: getUTCFullYear ran in the handler).
    expect(seen.year).toBe(2024);
    expect(seen.messageId).toMatch(/^welcome-\d+-Ada$/);
    // A payload refused with its fields and rules, before anything was written.
    expect(seen.refused.name).toBe("ValidationError");
    expect(seen.refused.paths).toEqual(["/to", "/name"]);
    expect(seen.refused.message).toMatch(/\/to: format/);
    // A dead-lettered job: result() rejects with JobFailedError, and the dead-letter queue holds it.
    expect(seen.dead).toEqual({ name: "JobFailedError", message: expect.stringContaining("mailbox nobody@example.com does not exist") });
    expect(seen.deadIds).toEqual([seen.bouncedId]);
    // A thread-pool job ran in a worker thread (thread id ≠ the main thread's 0) from compiled JavaScript.
    expect(seen.digest.sha).toBe(seen.expectedSha);
    expect(seen.digest.threadId).toBeGreaterThan(0);

    // `taskq worker` runs the compiled folder on plain node, and stops on SIGTERM with exit code 0.
    const worker = spawn(path.join(app, "node_modules/.bin/taskq"), ["worker", "dist/generated", "--redis", redis.url], { cwd: app, env });
    let output = "";
    worker.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await expect.poll(() => output, { timeout: 20_000 }).toMatch(/serving mail, cpu/);
    const exited = new Promise<number | null>((resolve) => worker.once("exit", resolve));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    // On the generated TypeScript, with no tsx in the app, it says in one line what to do.
    const noLoader = await sh("npx", ["taskq", "worker", "generated", "--redis", redis.url], app).catch((error: { code: number; stderr: string }) => error);
    expect(noLoader).toMatchObject({ code: 2, stderr: expect.stringMatching(/is TypeScript: compile it with your tsc .* or install tsx/) });
  }, 600_000);
});
