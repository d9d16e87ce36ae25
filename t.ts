import { Redis, Cluster } from "ioredis";
const r = new Redis("redis://127.0.0.1:6379");
r.defineCommand("hello", { numberOfKeys: 1, lua: "return {KEYS[1], ARGV[1]}" });
console.log(typeof Cluster, await (r as any).hello("k", "v"), await r.time());
await r.quit();
