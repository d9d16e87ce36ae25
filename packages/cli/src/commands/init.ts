/**
 * `taskq init`: scaffolds a project: `jobs.ts` with one queue and one job, `taskq.config.json`, and a
 * `generate` script in package.json. It never overwrites: when any of them is already there, it
 * writes nothing and says which, so running it in an existing project is harmless.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { CONFIG_FILE } from "../taskq-config.js";

const EXIT_REFUSED = 1;
const SCRIPT = "taskq generate";

const JOBS_TS = `import { Queue, Job, type JobContext } from "@taskq/runtime";

/** What a welcome email needs. */
export type WelcomeEmail = {
  /** @format email */
  to: string;
  /**
   * @minLength 1
   * @maxLength 100
   */
  name: string;
};

export type Sent = { messageId: string };

@Queue("mail", { concurrency: 5 })
export class MailJobs {
  /** Sends the welcome email to a new user. */
  @Job({ attempts: 5, backoff: { type: "exponential", delayMs: 10_000 } })
  async sendWelcome(payload: WelcomeEmail, ctx: JobContext): Promise<Sent> {
    ctx.log(\`sending to \${payload.to}\`);
    return { messageId: \`welcome-\${ctx.id}\` };
  }
}
`;

const CONFIG = `${JSON.stringify({ entry: "jobs.ts", out: "generated" }, null, 2)}\n`;

export function registerInit(program: Command): void {
  program
    .command("init")
    .description(`scaffold jobs.ts, ${CONFIG_FILE} and a "generate" npm script (never overwrites)`)
    .action(() => runInit());
}

function runInit(): void {
  const packageJson = readPackageJson();
  const taken = [
    existsSync("jobs.ts") && "jobs.ts",
    existsSync(CONFIG_FILE) && CONFIG_FILE,
    packageJson?.scripts?.generate !== undefined && packageJson.scripts.generate !== SCRIPT && `the "generate" script of package.json`,
  ].filter((name): name is string => typeof name === "string");
  if (taken.length > 0) throw new CliError(`init would overwrite ${taken.join(", ")}; nothing was written`, EXIT_REFUSED);
  writeFileSync("jobs.ts", JOBS_TS);
  writeFileSync(CONFIG_FILE, CONFIG);
  const next = packageJson ?? { name: "jobs", private: true, type: "module" };
  next.scripts = { ...next.scripts, generate: SCRIPT };
  writeFileSync("package.json", `${JSON.stringify(next, null, 2)}\n`);
  console.log(`taskq: wrote jobs.ts, ${CONFIG_FILE}, and the "generate" script of package.json`);
  console.log(`next: ${nextSteps().join(", then ")}`);
  if (next.type !== "module") {
    console.log('note: the generated code is ES modules; set "type": "module" in package.json (Node.js 20.19 or later)');
  }
}

/** What is left to do: the installs this project lacks (see the README's "Install"), then generating. */
function nextSteps(): string[] {
  const installed = (name: string) => existsSync(path.join("node_modules", name, "package.json"));
  const steps: string[] = [];
  if (!installed("@taskq/runtime") || !installed("typebox")) steps.push("npm install @taskq/runtime typebox");
  if (!installed("@taskq/cli")) steps.push("npm install --save-dev @taskq/cli");
  steps.push("npm run generate");
  return steps;
}

type PackageJson = { scripts?: Record<string, string> } & Record<string, unknown>;

function readPackageJson(): PackageJson | undefined {
  if (!existsSync("package.json")) return undefined;
  try {
    return JSON.parse(readFileSync("package.json", "utf8")) as PackageJson;
  } catch (error) {
    throw new CliError(`package.json is not valid JSON: ${(error as Error).message}`, EXIT_REFUSED);
  }
}
