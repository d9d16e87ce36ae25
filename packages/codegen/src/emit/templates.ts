/**
 * The handlebars templates, compiled once. noEscape: the output is TypeScript, not HTML; every string
 * a template prints was built as code by `emit/`.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

/**
 * Where the templates are: `dist/templates/` beside the compiled `dist/emit/`, where the build copies
 * them and the package carries them; running the sources in this repository, their source folder,
 * the repository's `templates/`.
 */
const TEMPLATE_DIRS = [new URL("../templates/", import.meta.url), new URL("../../../../templates/", import.meta.url)].map((url) => fileURLToPath(url));

function templatesDir(): string {
  const dir = TEMPLATE_DIRS.find((candidate) => existsSync(`${candidate}index.ts.hbs`));
  if (dir === undefined) throw new Error(`@taskq/codegen is incomplete: no templates in ${TEMPLATE_DIRS[0]}; reinstall it`);
  return dir;
}

export type TemplateName = "index.ts" | "client.ts" | "codecs.ts" | "worker.ts" | "threads.ts";

const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();

export function renderTemplate(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(`${templatesDir()}${name}.hbs`, "utf8");
    template = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
