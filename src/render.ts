/**
 * Handlebars set up for code, not HTML: no escaping, missing fields are errors, and a
 * `json` helper for string and object literals so quoting is never done by hand.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { region } from "../generators/sections.ts";
import { templatesDir } from "./paths.ts";

const handlebars = Handlebars.create();
handlebars.registerHelper("json", (value: unknown) => JSON.stringify(value));
handlebars.registerHelper("eq", (a: unknown, b: unknown) => a === b);
// `{{#region "handle-flow"}}…{{/region}}`: a part of a user-owned file that `generate` keeps current.
handlebars.registerHelper("region", function (this: unknown, name: string, options: Handlebars.HelperOptions) {
  return `${region(name, options.fn(this).replace(/^\n+|\n+$/g, ""))}\n`;
});

const cache = new Map<string, Handlebars.TemplateDelegate>();
/** Blocks several templates share, each `templates/partials/<kebab-name>.hbs`, used as `{{> camelName}}`. */
const PARTIALS = { inProcessClient: "in-process-client.hbs" };
let partialsRegistered = false;

/** Renders `templates/<name>` with `data`. */
export function render(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    if (!partialsRegistered) {
      for (const [partial, file] of Object.entries(PARTIALS)) handlebars.registerPartial(partial, readTemplate(`partials/${file}`));
      partialsRegistered = true;
    }
    const text = readFileSync(path.join(templatesDir, name), "utf8");
    template = handlebars.compile(text, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return template(data);
}

/** A file copied as it is. */
export function readTemplate(name: string): string {
  return readFileSync(path.join(templatesDir, name), "utf8");
}
