/**
 * The scripts as Redis runs them (redis/scripts.ts): includes inlined, and the functions and
 * constants of an include that a script never reaches left out, since each one defined costs every
 * call of the script.
 */
import { describe, expect, it } from "vitest";
import type { Cluster, Redis } from "ioredis";
import { createHash } from "node:crypto";
import { scriptTexts } from "../src/redis/scripts.js";
import { SINGLE } from "../../../test/support/topology.js";
import { useTopology } from "./fixtures.js";

/** Lua without its comments, where a name left out must not be used. */
function code(lua: string): string {
  return lua.replace(/--\[\[[^]*?\]\]/g, "").replace(/--.*$/gm, "");
}

describe("scripts as Redis runs them", () => {
  let redis: Redis | Cluster;
  useTopology(SINGLE, (suite) => ({ redis } = suite));

  it("leave out what they never reach of their includes, and use nothing they left out", () => {
    const texts = scriptTexts();
    const fetch = texts.get("fetch")!;
    // fetch-10.lua includes lease.lua and pending-job.lua for a constant and two functions.
    expect(fetch).toMatch(/^local function fetchJobs\(/m);
    expect(fetch).toMatch(/^local function pendingEntry\(/m);
    expect(fetch).toMatch(/^local LEASES_ANCHOR = /m);
    for (const name of ["materializeJob", "parseLease", "leaseValue", "leaseHeld"]) {
      expect(fetch).not.toMatch(new RegExp(`^local function ${name}\\(`, "m"));
      expect(fetch).toContain(`-- (${name}: not used here)`);
    }
    let leftOut = 0;
    for (const [name, lua] of texts) {
      for (const [, missing] of lua.matchAll(/^-- \((\w+): not used here\)$/gm)) {
        leftOut++;
        expect(code(lua), `${name} uses ${missing}, which it left out`).not.toMatch(new RegExp(`\\b${missing}\\b`));
      }
    }
    expect(leftOut).toBeGreaterThan(10);
  });

  it("each compile on Redis, by the hash the runtime calls them by", async () => {
    for (const [name, lua] of scriptTexts()) {
      expect(await redis.script("LOAD", lua), name).toBe(createHash("sha1").update(lua).digest("hex"));
    }
  });
});
