import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, JOB_STATES, type JobState } from "../src/index.js";
import { parseJobState } from "../src/store/index.js";
import { startRedis, type TestRedis } from "../../../test/support/redis-server.js";
import { tweetJob, uniquePrefix } from "./fixtures.js";

const SCRIPTS = new URL("../src/scripts/", import.meta.url);

/** Every Lua file of the runtime, includes too, as [name, text]. */
function scripts(): Array<[string, string]> {
  const files = readdirSync(SCRIPTS, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".lua"));
  return files.map((file) => [file, readFileSync(new URL(file, SCRIPTS), "utf8")]);
}

/** The states a script writes: `HSET <key> … "s", "<state>"` and enqueue's `field("s", "<state>")`. */
function statesWritten(lua: string): string[] {
  const writes = [...lua.matchAll(/HSET"?,[^\n]*?"s", "([^"]*)"/g), ...lua.matchAll(/field\("s", "([^"]*)"\)/g)];
  return writes.map((match) => match[1]);
}

describe("job states", () => {
  it("name every state a script writes, and every named state is written by some script", () => {
    const written = new Set(scripts().flatMap(([, lua]) => statesWritten(lua)));
    // "waiting" is also the state of a new record, which leaves the field out.
    expect([...written].sort()).toEqual([...JOB_STATES].sort());
  });

  it("finds no state written in a form the check above does not read", () => {
    for (const [file, lua] of scripts()) {
      const stateWrites = lua.split("\n").filter((line) => /"s",/.test(line) && /HSET|field\(/.test(line));
      for (const line of stateWrites) expect(statesWritten(line), `${file}: ${line.trim()}`).toHaveLength(1);
    }
  });

  it("reads a stored state as a JobState, a missing field as waiting, and text no script writes as unreadable", () => {
    for (const state of JOB_STATES) expect(parseJobState(state, true)).toBe(state);
    expect(parseJobState(null, true)).toBe("waiting");
    expect(parseJobState(null, false)).toBeUndefined();
    expect(parseJobState("hacked", true)).toBeUndefined();
    // A switch over JobState must handle "blocked": this compiles only while it is a member.
    const blocked: JobState = "blocked";
    expect(JOB_STATES).toContain(blocked);
  });
});

describe("JobHandle.state()", () => {
  let redis: TestRedis;
  let client: Client;
  beforeAll(async () => {
    redis = await startRedis();
    client = new Client({ connection: redis.url });
  });
  afterAll(async () => {
    await client.close();
    await redis.stop();
  });

  it("says blocked for a job waiting on its parent, waiting for the parent, cancelled after a cancel", async () => {
    const tweet = tweetJob(uniquePrefix());
    const parent = await client.enqueue(tweet, { content: "parent" });
    const child = await client.enqueue(tweet, { content: "child" }, { dependsOn: [parent] });
    expect(await child.state()).toBe("blocked");
    expect(await parent.state()).toBe("waiting");
    expect(await parent.cancel()).toBe(true);
    expect(await parent.state()).toBe("cancelled");
  });
});
