// `npm run format` / `npm run format:check`. Prettier's defaults are this code's style (double quotes,
// semicolons, trailing commas, `(x) =>`, two spaces) but for the width: lines here run long (99% of
// them fit in 155 characters), and 160 keeps most hand-made lines as they are.
/** @type {import("prettier").Config} */
export default {
  printWidth: 160,
};
