/**
 * The whole type mapping, through the real codecs generated from `fixtures/all-types/jobs.ts`: what
 * each type and tag accepts and refuses, `Date` on the wire and in code, and `@default` on decode.
 * (That each schema's static type is exactly its TypeScript type is checked by `typecheck.test.ts`.)
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import {
  CommentCodec,
  DepartmentCodec,
  EverythingCodec,
  PointCodec,
  ShapeCodec,
  StampedCodec,
  StatusCodec,
  type Everything,
} from "./fixtures/all-types/generated/codecs.js";

const FIXTURE = path.join(import.meta.dirname, "fixtures/all-types");
const AT = new Date("2024-05-01T12:00:00.000Z");

function valid(): Everything {
  return {
    post: { id: "p1", title: "hello", status: "draft" },
    shape: { kind: "circle", radius: 1 },
    level: 3,
    point: [1, 2],
    frozen: ["a", true],
    counts: { a: 1 },
    labels: {},
    at: AT,
    history: [AT],
    note: null,
    tags: ["x"],
    thread: { text: "root", replies: [{ text: "reply", replies: [] }] },
    stamped: { id: "s", at: AT },
    code: "abc",
    word: "abc",
    count: 1,
    ratio: 0.5,
    picks: [1],
    empty: {},
  };
}

/** The rules `value` breaks, as `path rule`. */
function broken(change: (value: Record<string, unknown>) => void): string[] {
  const value = valid() as unknown as Record<string, unknown>;
  change(value);
  return EverythingCodec.issues(value).map((issue) => `${issue.path} ${issue.rule}`);
}

describe("type mapping", () => {
  it("the fixture's generated files are fresh", () => {
    const result = generate({ entry: path.join(FIXTURE, "jobs.ts"), out: path.join(FIXTURE, "generated"), check: true });
    expect(result.diagnostics).toEqual([]);
    expect(result.stale).toEqual([]);
  });

  it("accepts a value of every supported type", () => {
    expect(EverythingCodec.issues(valid())).toEqual([]);
  });

  it("string enums and literal unions accept their values only", () => {
    expect(StatusCodec.check("live")).toBe(true);
    expect(StatusCodec.check("Live")).toBe(false);
    expect(broken((v) => (v.level = "medium"))).toContain("/level anyOf");
  });

  it("tuples have a fixed length and a type per position", () => {
    expect(PointCodec.check([1, 2])).toBe(true);
    expect(PointCodec.check([1])).toBe(false);
    expect(PointCodec.check([1, 2, 3])).toBe(false);
    expect(PointCodec.check(["1", 2])).toBe(false);
  });

  it("records check every value; index signatures are records", () => {
    expect(broken((v) => (v.counts = { a: "1" }))).toContain("/counts/a type");
    expect(broken((v) => (v.labels = { a: 1 }))).toContain("/labels/a type");
  });

  it("discriminated unions accept each member and refuse a mix", () => {
    expect(ShapeCodec.check({ kind: "square", side: 2 })).toBe(true);
    expect(ShapeCodec.check({ kind: "square", radius: 2 })).toBe(false);
  });

  it("a Date is an ISO string on the wire and a Date again once decoded", () => {
    const json = StampedCodec.encode({ id: "s", at: AT }, "stamped");
    expect(JSON.parse(json)).toEqual({ id: "s", at: "2024-05-01T12:00:00.000Z" });
    const decoded = StampedCodec.decode(json);
    expect(decoded.at).toBeInstanceOf(Date);
    expect(decoded.at.getTime()).toBe(AT.getTime());
    const everything = EverythingCodec.decode(EverythingCodec.encode(valid(), "payload"));
    expect(everything.history[0]).toBeInstanceOf(Date);
    expect(everything.thread.replies[0].text).toBe("reply");
  });

  it("refuses what is not a Date in code and what is not a date-time on the wire", () => {
    expect(StampedCodec.check({ id: "s", at: AT })).toBe(true);
    expect(StampedCodec.check({ id: "s", at: "2024-05-01T12:00:00.000Z" })).toBe(false);
    expect(StampedCodec.check({ id: "s", at: new Date("nonsense") })).toBe(false);
    expect(() => StampedCodec.decode('{"id":"s","at":"yesterday"}')).toThrow(/\/at: format/);
  });

  it("does not change the value it encodes", () => {
    const value = valid();
    EverythingCodec.encode(value, "payload");
    expect(value.at).toBe(AT);
  });

  it("recursive types check every level", () => {
    const deep = { text: "a", replies: [{ text: "b", replies: [{ text: "", replies: [] }] }] };
    expect(CommentCodec.issues(deep).map((issue) => `${issue.path} ${issue.rule}`)).toEqual(["/replies/0/replies/0/text minLength"]);
    expect(DepartmentCodec.check({ name: "d", head: { name: "p", department: { name: "e", head: { name: "q" } } } })).toBe(true);
    expect(DepartmentCodec.check({ name: "d", head: { name: "p", department: { name: "e" } } })).toBe(false);
  });

  it("interfaces with extends and intersections have every property", () => {
    expect(broken((v) => (v.post = { title: "t", status: "live" }))).toContain("/post required");
    expect(broken((v) => (v.stamped = { id: "s" }))).toContain("/stamped required");
  });

  it("applies each constraint tag", () => {
    expect(broken((v) => (v.word = "a"))).toEqual(["/word minLength"]);
    expect(broken((v) => (v.word = "abcdef"))).toEqual(["/word maxLength"]);
    expect(broken((v) => (v.word = "ABC"))).toEqual(["/word pattern"]);
    expect(broken((v) => (v.code = "abcd"))).toEqual(["/code maxLength"]);
    expect(broken((v) => (v.email = "nope"))).toEqual(["/email format"]);
    expect(broken((v) => (v.uri = "not a uri"))).toEqual(["/uri format"]);
    expect(broken((v) => (v.uuid = "1234"))).toEqual(["/uuid format"]);
    expect(broken((v) => (v.when = "2024-05-01"))).toEqual(["/when format"]);
    expect(broken((v) => (v.day = "2024-05-01T00:00:00Z"))).toEqual(["/day format"]);
    expect(broken((v) => (v.count = 1.5))).toEqual(["/count type"]);
    expect(broken((v) => (v.count = 0))).toEqual(["/count minimum"]);
    expect(broken((v) => (v.count = 11))).toEqual(["/count maximum"]);
    expect(broken((v) => (v.ratio = 0))).toEqual(["/ratio exclusiveMinimum"]);
    expect(broken((v) => (v.ratio = 1))).toEqual(["/ratio exclusiveMaximum"]);
    expect(broken((v) => (v.step = 7))).toEqual(["/step multipleOf"]);
    expect(broken((v) => (v.picks = []))).toEqual(["/picks minItems"]);
    expect(broken((v) => (v.picks = [1, 2, 3, 4]))).toEqual(["/picks maxItems"]);
    expect(broken((v) => (v.picks = [1, 1]))).toEqual(["/picks uniqueItems"]);
    expect(broken((v) => (v.empty = { a: 1 }))[0]).toMatch(/^\/empty/);
  });

  it("fills in @default values on decode, and only where the field is missing", () => {
    const wire = JSON.parse(EverythingCodec.encode(valid(), "payload"));
    const decoded = EverythingCodec.decode(JSON.stringify(wire));
    expect([decoded.limit, decoded.notify, decoded.state]).toEqual([10, true, "draft"]);
    const given = EverythingCodec.decode(JSON.stringify({ ...wire, limit: 3, notify: false, state: "live" }));
    expect([given.limit, given.notify, given.state]).toEqual([3, false, "live"]);
  });
});
