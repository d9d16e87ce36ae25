/**
 * The handlebars templates in the repository's `templates/` folder, compiled once. noEscape: the
 * output is TypeScript, not HTML; every string a template prints was built as code by `emit/`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

export const TEMPLATES_DIR = fileURLToPath(new URL("../../../../templates/", import.meta.url));

export type TemplateName = "index.ts" | "client.ts" | "codecs.ts" | "worker.ts" | "threads.ts";

const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();

export function renderTemplate(name: TemplateName, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(`${TEMPLATES_DIR}${name}.hbs`, "utf8");
    template = Handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
