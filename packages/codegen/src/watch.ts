// `taskq generate --watch` (watchGenerate).
import { watch as watchFolder, type FSWatcher } from "node:fs";
import path from "node:path";
import { JobMemo } from "./analyze/job-memo.js";
import { SourceProject } from "./analyze/source-project.js";
import { generate, type GenerateOptions, type GenerateResult } from "./generate.js";

/** Options of {@link watchGenerate}: those of {@link generate}, less `check`, plus the callbacks. */
export interface WatchOptions extends Omit<GenerateOptions, "check"> {
  /** Called after the first run and after every rebuild, with how long generating took. */
  onGenerate(result: GenerateResult, elapsedMs: number): void;
  /** Called when a run throws (a lock file that is not JSON, an unreadable file). */
  onError?(error: unknown): void;
  /** Saves closer together than this make one rebuild. (Default: 30) */
  debounceMs?: number;
}

/** A running watch, from {@link watchGenerate}. */
export interface Watcher {
  /** Re-reads `changed` files and regenerates now; what a save does after the debounce. */
  rebuild(changed: Iterable<string>): void;
  /** Stops watching; a rebuild already pending is dropped. */
  close(): void;
}

/**
 * `taskq generate --watch`: generates now, then again whenever jobs.ts or a module it imports is saved.
 * The ts-morph project stays loaded between runs and only the saved files are re-read, so a rebuild
 * costs one re-check of the changed files rather than a cold start. Folders are watched (not files)
 * because editors often save by writing a new file and renaming it over the old one.
 */
export function watchGenerate(options: WatchOptions): Watcher {
  const cwd = options.cwd ?? process.cwd();
  const project = new SourceProject(path.resolve(cwd, options.entry), new JobMemo());
  const folders = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const run = (changed: Iterable<string>) => {
    const started = performance.now();
    try {
      project.refresh(changed);
      const result = generate({ ...options, check: false }, project);
      options.onGenerate(result, performance.now() - started);
    } catch (error) {
      options.onError?.(error);
    }
    follow();
  };

  /** Watches the folder of every file the project holds now (an edit may have imported a new one). */
  const follow = () => {
    const files = new Set(project.files());
    for (const folder of new Set([...files].map((file) => path.dirname(file)))) {
      if (folders.has(folder)) continue;
      const watcher = watchFolder(folder, (_event, name) => {
        const file = name && path.join(folder, name.toString());
        if (!file || !new Set(project.files()).has(file)) return;
        pending.add(file);
        clearTimeout(timer);
        timer = setTimeout(() => {
          const changed = pending;
          pending = new Set();
          run(changed);
        }, options.debounceMs ?? 30);
      });
      folders.set(folder, watcher);
    }
  };

  run([]);
  return {
    rebuild: run,
    close() {
      clearTimeout(timer);
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
    },
  };
}
