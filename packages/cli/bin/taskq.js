#!/usr/bin/env node
// The taskq binary: taskq ships TypeScript sources, so register tsx's ESM loader before loading them.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
